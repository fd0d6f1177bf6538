"""Soak: many clients pipelining ack-requesting events, 30% of them invalid, for rounds.

The server (``tests.soak_server``) runs in its own process. One asyncio client process
drives every connection with raw Engine.IO 4 / Socket.IO 5 frames over aiohttp
websockets (far cheaper than one ``socketio.AsyncClient`` each), keeping ``WINDOW``
events in flight per connection, below ``Limits.max_in_flight`` (64), so no call is
``rate_limited``. After each round one connection calls the declared ``stats`` event:
the server reports its handler calls per ``(client, seq)`` and resets them, then runs
``gc.collect()``; the test reads the server's VmRSS from ``/proc/<pid>/status``.

Asserted: every valid event handled exactly once with the right ack; every invalid one
answered with the error ack of its kind (``code`` and ``event``), one WARNING line each,
no handler call; no server-side disconnect (at the end the clients disconnect, and only
those are counted); RSS growth from the end of round 2 to the end of the last round
under 5 MB. Events per second are printed (run with ``-s``), not asserted.

Size: 100 clients x 300 events x 10 rounds by default (~40 s on 2 cores with the packet
codec); ``SIOSCHEMA_SOAK=clients,events,rounds`` any other (``20,100,3`` for a quick
run). ``SIOSCHEMA_SOAK_KINDS=asgi,flask`` also soaks Flask-SocketIO (threading mode:
a thread per event, ~1,500 events/s here, so it is not in the default run).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
import pytest

ROOT = Path(__file__).resolve().parents[2]
# 100 x 300 x 10: ~300,000 events at ~8,000 events/s on 2 cores, ~40 s
SIZE = os.environ.get("SIOSCHEMA_SOAK", "100,300,10")
CLIENTS, EVENTS, ROUNDS = (int(n) for n in SIZE.split(","))
KINDS = os.environ.get("SIOSCHEMA_SOAK_KINDS", "asgi").split(",")
INVALID = 0.3
WINDOW = 32  # events in flight per connection; Limits.max_in_flight is 64
SEED = 5
RSS_GROWTH_LIMIT_KB = 5 * 1024
ROUND_TIMEOUT = 40  # seconds

Expected = tuple[str, Any]  # ("ack", data) or ("error", (code, event))


# -- what the clients send -------------------------------------------------------------


def _frame(id: int, *data: Any) -> str:
    return f"42{id}" + json.dumps(list(data), separators=(",", ":"))


def valid(rng: random.Random, client: int, seq: int) -> tuple[str, Expected]:
    """A valid event of one of the three kinds, and its ack."""
    kind = rng.randrange(3)
    if kind == 0:
        x, y = rng.randint(0, 100), rng.randint(-1000, 1000)
        move = {"client": client, "seq": seq, "x": x, "y": y}
        return _frame(seq, "move", move), ("ack", [seq, x + y])
    if kind == 1:
        room = rng.choice(["lobby", "game"])
        text = rng.choice(["gg", "hello there", "ready", "é ü ß 🎲"]) * rng.randint(1, 3)
        say = {"client": client, "seq": seq, "room": room, "text": text}
        return _frame(seq, "say", say), ("ack", [f"{room}:{text.upper()}"])
    if rng.random() < 0.5:
        r = rng.randint(0, 20) + 0.5
        shape, area = {"type": "circle", "r": r}, 3.0 * r * r
    else:
        side = rng.randint(0, 20) + 0.25
        shape, area = {"type": "square", "side": side}, side * side
    return _frame(seq, "shape", [client, seq], shape), ("ack", [area])


def _move(client: int, seq: int, **changes: Any) -> dict[str, Any]:
    move: dict[str, Any] = {"client": client, "seq": seq, "x": 1, "y": 2}
    move.update(changes)
    return {k: v for k, v in move.items() if v is not ...}


def _bad_move(client: int, seq: int, **changes: Any) -> str:
    return _frame(seq, "move", _move(client, seq, **changes))


# kind -> (frame for (client, seq), expected code, expected `event` of the error)
INVALID_KINDS: dict[str, tuple[Callable[[int, int], str], str, str]] = {
    "wrong type": (lambda c, s: _frame(s, "move", _move(c, s, x="7")), "invalid_payload", "move"),
    "bool for int": (
        lambda c, s: _frame(s, "move", _move(c, s, y=True)),
        "invalid_payload",
        "move",
    ),
    "out of range": (lambda c, s: _frame(s, "move", _move(c, s, x=101)), "invalid_payload", "move"),
    "missing field": (
        lambda c, s: _frame(s, "move", _move(c, s, y=...)),
        "invalid_payload",
        "move",
    ),
    "unknown field": (lambda c, s: _frame(s, "move", _move(c, s, z=0)), "invalid_payload", "move"),
    "bad literal": (
        lambda c, s: _frame(s, "say", {"client": c, "seq": s, "room": "attic", "text": "x"}),
        "invalid_payload",
        "say",
    ),
    "string too long": (
        lambda c, s: _frame(s, "say", {"client": c, "seq": s, "room": "game", "text": "x" * 41}),
        "invalid_payload",
        "say",
    ),
    "empty string": (
        lambda c, s: _frame(s, "say", {"client": c, "seq": s, "room": "game", "text": ""}),
        "invalid_payload",
        "say",
    ),
    "unknown tag": (
        lambda c, s: _frame(s, "shape", [c, s], {"type": "triangle", "r": 1.0}),
        "invalid_payload",
        "shape",
    ),
    "negative float": (
        lambda c, s: _frame(s, "shape", [c, s], {"type": "circle", "r": -1.5}),
        "invalid_payload",
        "shape",
    ),
    "too many args": (lambda c, s: _frame(s, "move", _move(c, s), 1), "bad_arity", "move"),
    "too few args": (lambda c, s: _frame(s, "shape", [c, s]), "bad_arity", "shape"),
    "unknown event": (
        lambda c, s: _frame(s, "teleport", _move(c, s)),
        "unknown_event",
        "teleport",
    ),
    "reserved name": (lambda c, s: _frame(s, "connect", {}), "reserved_event", "connect"),
    "reserved name 2": (
        lambda c, s: _frame(s, "newListener", "x"),
        "reserved_event",
        "newListener",
    ),
    "NaN": (
        lambda c, s: f'42{s}["move",{{"client":{c},"seq":{s},"x":1,"y":NaN}}]',
        "invalid_number",
        "",
    ),
    "Infinity": (
        lambda c, s: f'42{s}["shape",[{c},{s}],{{"type":"circle","r":-Infinity}}]',
        "invalid_number",
        "",
    ),
    "1e400": (
        lambda c, s: f'42{s}["shape",[{c},{s}],{{"type":"circle","r":1e400}}]',
        "invalid_number",
        "",
    ),
    "beyond int64": (lambda c, s: _frame(s, "move", _move(c, s, y=2**70)), "invalid_number", ""),
    "too deep": (
        lambda c, s: f'42{s}["move",' + "[" * 40 + "]" * 40 + "]",
        "payload_too_deep",
        "",
    ),
    "too large": (
        lambda c, s: _frame(s, "say", {"client": c, "seq": s, "room": "game", "text": "x" * 5000}),
        "payload_too_large",
        "",
    ),
    "bad JSON": (lambda c, s: _frame(s, "move", _move(c, s))[:-7], "bad_packet", ""),
    "not an array": (lambda c, s: f'42{s}{{"move":{c}}}', "bad_packet", ""),
    "lone surrogate": (
        lambda c, s: f'42{s}["say",{{"client":{c},"seq":{s},"room":"game","text":"\\ud800"}}]',
        "bad_packet",
        "",
    ),
}


@dataclass
class Round:
    """What every client sends in one round, and what the server must have handled."""

    frames: list[list[tuple[int, str, Expected]]]
    valid: int = 0
    invalid: int = 0
    key_sum: int = 0
    kinds: dict[str, int] = field(default_factory=dict)


def make_round(rng: random.Random, number: int) -> Round:
    kinds = sorted(INVALID_KINDS)
    out = Round(frames=[])
    n_invalid = round(EVENTS * INVALID)
    for client in range(CLIENTS):
        bad = set(rng.sample(range(EVENTS), n_invalid))
        frames = []
        for i in range(EVENTS):
            seq = number * 10_000 + i  # unique per connection over the run; the ack id too
            if i in bad:
                kind = rng.choice(kinds)
                make, code, event = INVALID_KINDS[kind]
                frames.append((seq, make(client, seq), ("error", (code, event))))
                out.invalid += 1
                out.kinds[kind] = out.kinds.get(kind, 0) + 1
            else:
                frame, expected = valid(rng, client, seq)
                frames.append((seq, frame, expected))
                out.valid += 1
                out.key_sum += client * 1_000_000 + seq
        out.frames.append(frames)
    return out


# -- the server process ----------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str
    log: Any

    def rss_kb(self) -> int:
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise AssertionError("no VmRSS")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process."""
        with open(f"/proc/{self.process.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_text(self) -> str:
        self.log.seek(0)
        return str(self.log.read())


@pytest.fixture
def soak_server(request: pytest.FixtureRequest) -> Iterator[Server]:
    kind = request.param
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.soak_server", kind],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line.startswith("port "), line + log.read()
            yield Server(process, f"ws://127.0.0.1:{line.split()[1]}", log)
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:  # pragma: no cover
                process.kill()
                process.wait(5)
            if process.stdout is not None:
                process.stdout.close()


# -- the clients -----------------------------------------------------------------------

_decode = msgspec.json.decode


class Conn:
    """One raw Engine.IO / Socket.IO connection that pipelines events."""

    def __init__(self, ws: Any, problems: list[str]) -> None:
        self.ws = ws
        self.problems = problems

    @classmethod
    async def open(cls, session: Any, url: str, problems: list[str]) -> Conn:
        ws = await session.ws_connect(
            url + "/socket.io/?EIO=4&transport=websocket", max_msg_size=0, compress=0
        )
        conn = cls(ws, problems)
        opened = await conn.recv()
        assert opened.startswith("0"), opened
        await ws.send_str("40")
        connected = await conn.recv()
        assert connected.startswith("40{"), connected
        return conn

    async def recv(self) -> str:
        """The next frame that is not an Engine.IO ping (pings are answered)."""
        while True:
            msg = await self.ws.receive()
            if not isinstance(msg.data, str):
                raise AssertionError(f"connection closed or binary frame: {msg!r:.200}")
            if msg.data == "2":
                await self.ws.send_str("3")
                continue
            return msg.data  # type: ignore[no-any-return]

    async def run(self, frames: list[tuple[int, str, Expected]]) -> None:
        """Send every frame with at most WINDOW unanswered; check each ack."""
        pending: dict[int, Expected] = {}
        todo = iter(frames)
        send = self.ws.send_str

        async def send_next() -> None:
            for id, frame, expected in todo:
                pending[id] = expected
                await send(frame)
                return

        for _ in range(WINDOW):
            await send_next()
        while pending:
            frame = await self.recv()
            start = frame.find("[")
            if not frame.startswith("43") or start < 0:
                self.problems.append(f"unexpected frame {frame!r:.200}")
                continue
            id = int(frame[2:start])
            expected = pending.pop(id, None)
            if expected is None:
                self.problems.append(f"ack for an id not pending: {frame!r:.200}")
                continue
            data = _decode(frame[start:])
            how, want = expected
            if how == "ack":
                if data != want:
                    self.problems.append(f"ack {id}: {data!r:.200} != {want!r:.200}")
            else:
                got = data[0].get("error", {}) if len(data) == 1 and type(data[0]) is dict else {}
                if (got.get("code"), got.get("event")) != want:
                    self.problems.append(f"ack {id}: {data!r:.200}, expected {want}")
            await send_next()

    async def call(self, id: int, name: str) -> Any:
        await self.ws.send_str(_frame(id, name))
        frame = await self.recv()
        prefix = f"43{id}"
        assert frame.startswith(prefix + "["), frame[:200]
        return _decode(frame[len(prefix) :])[0]

    async def close(self) -> None:
        await self.ws.send_str("41")  # leave the namespace: a client-side disconnect
        await self.ws.close()


@dataclass
class Report:
    rounds: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    final: dict[str, Any] = field(default_factory=dict)


async def soak(server: Server) -> Report:
    import aiohttp

    report = Report()
    rng = random.Random(SEED)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        conns = await asyncio.gather(
            *(Conn.open(session, server.url, report.problems) for _ in range(CLIENTS))
        )
        stats_id = 1
        for number in range(1, ROUNDS + 1):
            plan = make_round(rng, number)
            start = time.perf_counter()
            cpu = server.cpu_seconds(), time.process_time()
            runs = asyncio.gather(*(c.run(f) for c, f in zip(conns, plan.frames, strict=True)))
            await asyncio.wait_for(runs, ROUND_TIMEOUT)  # a wedged server fails, not hangs
            seconds = time.perf_counter() - start
            server_cpu = server.cpu_seconds() - cpu[0]
            client_cpu = time.process_time() - cpu[1]
            stats = await conns[0].call(stats_id, "stats")
            stats_id += 1
            report.rounds.append(
                {
                    "round": number,
                    "seconds": seconds,
                    "cpu": (server_cpu, client_cpu),
                    "events": plan.valid + plan.invalid,
                    "valid": plan.valid,
                    "invalid": plan.invalid,
                    "key_sum": plan.key_sum,
                    "kinds": plan.kinds,
                    "stats": stats,
                    "rss_kb": server.rss_kb(),
                }
            )
            if report.problems:
                break
        await asyncio.gather(*(c.close() for c in conns))
        # a fresh connection reads what the server saw of the others' disconnects
        control = await Conn.open(session, server.url, report.problems)
        for _ in range(100):
            report.final = await control.call(stats_id, "stats")
            stats_id += 1
            if len(report.final["disconnects"]) >= CLIENTS:
                break
            await asyncio.sleep(0.05)
        await control.close()
    return report


def _run(coro: Any) -> Any:
    try:
        import uvloop
    except ImportError:  # pragma: no cover
        return asyncio.run(coro)
    return uvloop.run(coro)


# A hang guard, not a speed check: a wedged server already fails its round after
# ROUND_TIMEOUT; ~40 s alone becomes 2-3 minutes on a 2-core machine running other jobs.
@pytest.mark.timeout(ROUNDS * ROUND_TIMEOUT + 60)
@pytest.mark.parametrize("soak_server", KINDS, indirect=True)
def test_soak(soak_server: Server) -> None:
    started = time.perf_counter()
    report = _run(soak(soak_server))
    wall = time.perf_counter() - started

    rounds = report.rounds
    events = sum(r["events"] for r in rounds)
    seconds = sum(r["seconds"] for r in rounds)
    print(f"\nsoak: {CLIENTS} clients x {EVENTS} events x {ROUNDS} rounds, {INVALID:.0%} invalid")
    for r in rounds:
        print(
            f"  round {r['round']:2}: {r['events']} events in {r['seconds']:.2f} s "
            f"({r['events'] / r['seconds']:,.0f}/s), server RSS {r['rss_kb'] / 1024:.1f} MB, "
            f"{r['stats']['objects']:,} objects, "
            f"CPU s server {r['cpu'][0]:.1f} client {r['cpu'][1]:.1f}"
        )
    growth = rounds[-1]["rss_kb"] - rounds[1]["rss_kb"] if len(rounds) > 1 else 0
    print(
        f"  {events:,} events in {seconds:.1f} s: {events / seconds:,.0f} events/s; "
        f"RSS growth from round 2 to {len(rounds)}: {growth / 1024:+.2f} MB; wall {wall:.1f} s"
    )
    kinds: dict[str, int] = {}
    for r in rounds:
        for kind, n in r["kinds"].items():
            kinds[kind] = kinds.get(kind, 0) + n
    print(f"  invalid kinds: {len(kinds)}, least sent {min(kinds.values())}")

    assert report.problems[:20] == []
    assert len(rounds) == ROUNDS
    assert len(kinds) == len(INVALID_KINDS)
    for r in rounds:
        stats = r["stats"]
        # exactly once: each valid event acked with its handler's value (above), as many
        # calls as valid events, all distinct, and the same keys (their sum)
        assert stats["handled"] == r["valid"], r
        assert stats["distinct"] == r["valid"], r
        assert stats["duplicates"] == []
        assert stats["key_sum"] == r["key_sum"]
        assert stats["warnings"] == r["invalid"]  # one log line per rejected event
        assert stats["errors"] == 0
        assert stats["disconnects"] == []  # no server-side disconnect during the rounds
    assert report.final["disconnects"] == ["client disconnect"] * CLIENTS
    if ROUNDS >= 3:
        assert growth < RSS_GROWTH_LIMIT_KB, [r["rss_kb"] for r in rounds]
    assert soak_server.process.poll() is None
    assert "Traceback" not in soak_server.log_text()
