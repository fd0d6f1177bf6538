"""Cross-process delivery through Redis: sioschema's validated write-only emitter against
python-socketio's stock write-only ``RedisManager``, through the same redis-server.

One ``redis-server`` (Debian's, on a free port of 127.0.0.1), one python-socketio
``AsyncServer`` process under uvicorn subscribed with ``AsyncRedisManager``, one client
over a websocket in this process, in the room every emit goes to. Both emitters run in
this process too, so one clock times each message from ``emit()`` to the client's
handler: emitter -> Redis -> server process -> websocket -> client.

- **latency**: one emit at a time, the next once the client has it; median and p99.
- **throughput**: a burst of emits back to back; emits/s from the first ``emit()`` to
  the last arrival, and how fast ``emit()`` alone returns (the publishing side).
- **cost**: microseconds per ``emit()`` when the manager writes the message and sends it
  nowhere (no network): what validation adds, or saves, in the emitting process.

Contenders are interleaved round by round, in alternating order; medians of the rounds
and the ratio to stock in the same run. Before timing, the validated emitter must refuse
an invalid payload and stock must publish it::

    python -m benchmarks.scaleout [--latency 500] [--burst 5000] [--rounds 3]
                                  [--quick] [--json]
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import msgspec
import socketio
from engineio import json as engineio_json

from benchmarks import _common
from sioschema import Emit, EventRegistry, PayloadError
from sioschema._packet import CodecPacket
from sioschema.emitter import Emitter

HOST = "127.0.0.1"
CONTENDERS = ("stock", "sioschema")


class Note(msgspec.Struct, forbid_unknown_fields=True):
    seq: int
    text: str
    player: str
    x: int
    y: int


class Bench(EventRegistry, title="Scale-out benchmark"):
    note = Emit(Note)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), 0.5):
            return
        time.sleep(0.05)
    msg = f"nothing listens on {HOST}:{port}"
    raise RuntimeError(msg)


@contextlib.contextmanager
def _process(args: list[str], port: int, folder: str) -> Iterator[None]:
    log = open(os.path.join(folder, f"{port}.log"), "ab")  # handed to the process
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()
    try:
        _wait_port(port, 30)
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


SERVER = """
import socketio, uvicorn
sio = socketio.AsyncServer(async_mode="asgi", client_manager=socketio.AsyncRedisManager({url!r}))
@sio.event
async def connect(sid, environ):
    await sio.enter_room(sid, "lobby")
uvicorn.run(socketio.ASGIApp(sio), host={host!r}, port={port}, log_level="warning")
"""


class Receiver:
    def __init__(self, url: str) -> None:
        self.arrived: dict[int, float] = {}
        self.wanted = -1
        self.got = threading.Event()
        self.client = socketio.Client(reconnection=False)
        self.client.on("note", self._note)
        self.client.connect(url, transports=["websocket"], wait_timeout=20)

    def _note(self, data: Any) -> None:
        seq = data["seq"]
        self.arrived[seq] = time.perf_counter()
        if seq >= self.wanted:
            self.got.set()

    def expect(self, seq: int) -> None:
        self.wanted = seq
        self.got.clear()

    def wait(self, timeout: float = 30) -> None:
        if not self.got.wait(timeout):
            msg = "a note did not arrive"
            raise RuntimeError(msg)


def _emitters(url: str) -> dict[str, Callable[[int], Any]]:
    stock = socketio.RedisManager(url, write_only=True)
    checked = Emitter(Bench, url)

    def stock_emit(seq: int) -> Any:
        data = {"seq": seq, "text": "move", "player": "X", "x": 1, "y": 2}
        return stock.emit("note", data, room="lobby")

    def sioschema_emit(seq: int) -> Any:
        return checked.emit(
            Bench.note, Note(seq=seq, text="move", player="X", x=1, y=2), room="lobby"
        )

    return {"stock": stock_emit, "sioschema": sioschema_emit}


class _Discard(socketio.PubSubManager):  # type: ignore[misc]
    """python-socketio's pub/sub manager that writes each message and sends it nowhere:
    the cost of ``emit()`` without the network."""

    name = "discard"

    def __init__(self, json: Any = None) -> None:
        super().__init__(write_only=True)
        # what python-socketio >= 5.17 sets from ``json=``; older releases write with
        # Engine.IO's ``json`` module and take no such argument
        self.json = json if json is not None else getattr(self, "json", engineio_json)

    def _publish(self, data: Any) -> int:
        self.json.dumps(data)
        return 0


def emit_cost(count: int) -> dict[str, float]:
    """Microseconds per ``emit()`` with no I/O: stock writes with stdlib ``json``, the
    sioschema emitter validates and writes with msgspec (as it does on Redis)."""
    stock = _Discard()
    checked = Emitter(Bench, manager=_Discard(json=CodecPacket.json))
    out = {}
    for name, emit in (
        (
            "stock",
            lambda i: stock.emit(
                "note", {"seq": i, "text": "move", "player": "X", "x": 1, "y": 2}, room="lobby"
            ),
        ),
        (
            "sioschema",
            lambda i: checked.emit(
                Bench.note, Note(seq=i, text="move", player="X", x=1, y=2), room="lobby"
            ),
        ),
    ):
        start = time.perf_counter()
        for i in range(count):
            emit(i)
        out[name] = (time.perf_counter() - start) / count * 1e6
    return out


def _prove(url: str) -> None:
    """The validated emitter refuses a bad payload; stock publishes it."""
    checked = Emitter(Bench, url)
    try:
        checked.emit(Bench.note, {"seq": "1"}, room="lobby")  # type: ignore[arg-type]
    except PayloadError:
        pass
    else:  # pragma: no cover
        msg = "the sioschema emitter published an invalid note"
        raise RuntimeError(msg)
    checked.close()


def latency(emit: Callable[[int], Any], receiver: Receiver, seqs: range) -> list[float]:
    out = []
    for seq in seqs:
        receiver.expect(seq)
        start = time.perf_counter()
        emit(seq)
        receiver.wait()
        out.append((receiver.arrived[seq] - start) * 1e6)
    return out


def burst(emit: Callable[[int], Any], receiver: Receiver, seqs: range) -> tuple[float, float]:
    """(emits/s end to end, emits/s of emit() alone)."""
    receiver.expect(seqs[-1])
    start = time.perf_counter()
    for seq in seqs:
        emit(seq)
    published = time.perf_counter()
    receiver.wait(120)
    done = max(receiver.arrived[s] for s in seqs)
    missing = [s for s in seqs if s not in receiver.arrived]
    if missing:
        msg = f"{len(missing)} notes lost"
        raise RuntimeError(msg)
    return len(seqs) / (done - start), len(seqs) / (published - start)


def run(latency_count: int, burst_count: int, rounds: int) -> dict[str, Any]:
    program = shutil.which("redis-server")
    if program is None:
        msg = "redis-server is missing (Debian package redis-server)"
        raise SystemExit(msg)
    with tempfile.TemporaryDirectory() as folder:
        redis_port = _free_port()
        url = f"redis://{HOST}:{redis_port}/0"
        redis_args = [program, "--port", str(redis_port), "--bind", HOST, "--save", ""]
        with _process(redis_args, redis_port, folder):
            server_port = _free_port()
            code = SERVER.format(url=url, host=HOST, port=server_port)
            with _process([sys.executable, "-c", code], server_port, folder):
                receiver = Receiver(f"http://{HOST}:{server_port}")
                try:
                    _prove(url)
                    emitters = _emitters(url)
                    receiver.expect(0)
                    deadline = time.monotonic() + 30
                    while not receiver.got.is_set():  # the server subscribes on connect
                        emitters["stock"](0)
                        if time.monotonic() > deadline:
                            msg = "the server never subscribed"
                            raise RuntimeError(msg)
                        time.sleep(0.05)
                    results: dict[str, dict[str, list[Any]]] = {
                        name: {"latency": [], "e2e": [], "publish": []} for name in CONTENDERS
                    }
                    seq = 1
                    for r in range(rounds):
                        order = CONTENDERS if r % 2 == 0 else CONTENDERS[::-1]
                        for name in order:
                            emit = emitters[name]
                            latency(emit, receiver, range(seq, seq + 50))  # warm up
                            seq += 50
                            lat = latency(emit, receiver, range(seq, seq + latency_count))
                            seq += latency_count
                            e2e, pub = burst(emit, receiver, range(seq, seq + burst_count))
                            seq += burst_count
                            results[name]["latency"].extend(lat)
                            results[name]["e2e"].append(e2e)
                            results[name]["publish"].append(pub)
                finally:
                    receiver.client.disconnect()
    report: dict[str, Any] = {
        "machine": _common.machine(),
        "versions": _common.versions((*_common.PACKAGES, "redis")),
        "counts": {"latency": latency_count, "burst": burst_count, "rounds": rounds},
        "results": {},
    }
    costs = [emit_cost(burst_count) for _ in range(rounds)]
    for name in CONTENDERS:
        lat = sorted(results[name]["latency"])
        report["results"][name] = {
            "latency_median_us": statistics.median(lat),
            "latency_p99_us": lat[min(len(lat) - 1, int(len(lat) * 0.99))],
            "e2e_per_s": statistics.median(results[name]["e2e"]),
            "publish_per_s": statistics.median(results[name]["publish"]),
            "e2e_rounds": results[name]["e2e"],
            "publish_rounds": results[name]["publish"],
            "emit_cost_us": statistics.median(c[name] for c in costs),
        }
    return report


def _spread(rounds: list[float]) -> str:
    return f"rounds {min(rounds):.0f} to {max(rounds):.0f}"


def table(report: dict[str, Any]) -> str:
    stock = report["results"]["stock"]
    rows = [
        "| emitter | latency median (µs) | latency p99 (µs) | end to end (emits/s) "
        "| emit() alone (emits/s) | emit() without I/O (µs) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name in CONTENDERS:
        r = report["results"][name]
        rows.append(
            f"| {name} | {r['latency_median_us']:.0f} "
            f"({r['latency_median_us'] / stock['latency_median_us']:.2f}x) "
            f"| {r['latency_p99_us']:.0f} | {r['e2e_per_s']:.0f} "
            f"({r['e2e_per_s'] / stock['e2e_per_s']:.2f}x; {_spread(r['e2e_rounds'])}) "
            f"| {r['publish_per_s']:.0f} ({r['publish_per_s'] / stock['publish_per_s']:.2f}x; "
            f"{_spread(r['publish_rounds'])}) | {r['emit_cost_us']:.1f} |"
        )
    counts = report["counts"]
    head = (
        f"{counts['latency']} emits one at a time and a burst of {counts['burst']}, "
        f"x {counts['rounds']} rounds per emitter; {report['machine']['cpu']}, "
        f"{report['machine']['cores']} cores, {report['machine']['python']}; "
        + ", ".join(f"{k} {v}" for k, v in report["versions"].items() if v != "not installed")
    )
    return head + "\n\n" + "\n".join(rows)


def main() -> None:
    p = _common.parser(__doc__)
    p.add_argument("--latency", type=int, default=500, help="emits one at a time per round")
    p.add_argument("--burst", type=int, default=5000, help="emits back to back per round")
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    if args.quick:
        args.latency, args.burst, args.rounds = 20, 200, 1
    report = run(args.latency, args.burst, args.rounds)
    if args.json:
        print(msgspec.json.encode(report).decode())
    else:
        print(table(report))
    if args.save:
        with open(args.save, "wb") as f:
            f.write(msgspec.json.format(msgspec.json.encode(report)))


if __name__ == "__main__":
    main()
