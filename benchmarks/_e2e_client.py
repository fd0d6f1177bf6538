"""The load generator of ``benchmarks.e2e``, run in its own process::

    python -m benchmarks._e2e_client URL SERVER_PID SIZE --contender NAME --validates 1 ...

First it proves the server does what its row says: one connection sends the payload
with a constraint broken and the server must answer with an error (or, unvalidated,
echo it); otherwise the client stops the whole run (``benchmarks._proof``). Then it
opens many websocket connections speaking Engine.IO 4 / Socket.IO 5 frames directly
(no Socket.IO client library: less client CPU per event), each sending the ``bench``
event with an ack id and waiting for its ACK before sending the next. After a warm-up it
measures windows: acks received, and the server process's CPU time (user + system, all
threads) read from the OS. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from typing import Any

from benchmarks import _proof
from benchmarks.payloads import EVENT, PAYLOADS, Payload


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads."""
    try:
        import psutil
    except ImportError:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    t = psutil.Process(pid).cpu_times()
    return float(t.user + t.system)


async def _open(ws: Any) -> None:
    """Engine.IO OPEN, then the Socket.IO CONNECT to ``/``."""
    opened = await ws.recv()
    if not str(opened).startswith("0"):
        msg = f"expected an Engine.IO OPEN, got {opened!r:.80}"
        raise RuntimeError(msg)
    await ws.send("40")
    while not str(await ws.recv()).startswith("40"):
        pass


async def prove(url: str, p: Payload, name: str, validates: bool) -> None:
    """Send the invalid payload once; the ack must be what the contender's row says."""
    from websockets.asyncio.client import connect

    # a short close: some servers never answer the close handshake
    async with connect(url, max_size=None, ping_interval=None, close_timeout=0.2) as ws:
        await _open(ws)
        await ws.send(f'421["{EVENT}",{p.invalid_json.decode()}]')
        while not str(msg := await ws.recv()).startswith("431"):
            if msg == "2":
                await ws.send("3")
        _proof.answer(name, validates, p, json.loads(msg[msg.index("[") :])[0])


async def connection(url: str, body: str, expected: Any, state: dict[str, Any]) -> None:
    from websockets.asyncio.client import connect

    async with connect(url, compression=None, max_size=None, ping_interval=None) as ws:
        await _open(ws)
        ack = 0
        first = True
        while not state["stop"]:
            ack += 1
            await ws.send(f'42{ack}["{EVENT}",{body}]')
            while True:
                msg = await ws.recv()
                if msg == "2":  # Engine.IO ping
                    await ws.send("3")
                elif msg.startswith("43"):
                    break
            if first:
                first = False
                got = json.loads(msg[msg.index("[") :])[0]
                if isinstance(got, str):  # sio-asyncapi acks a JSON string
                    got = json.loads(got)
                if got != expected:
                    state["errors"].append(f"unexpected ack {msg!r:.200}")
                    state["stop"] = True
            state["acks"] += 1


async def drive(args: argparse.Namespace) -> None:
    p = PAYLOADS[args.size]
    body = p.json.decode()
    url = args.url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
    await prove(url, p, args.contender, bool(args.validates))
    state: dict[str, Any] = {"acks": 0, "stop": False, "errors": []}
    tasks = [
        asyncio.ensure_future(connection(url, body, p.value, state))
        for _ in range(args.connections)
    ]
    await asyncio.sleep(args.warmup)
    windows = []
    me = os.getpid()
    for _ in range(args.windows):
        t0, n0 = time.perf_counter(), state["acks"]
        s0, c0 = cpu_seconds(args.server_pid), cpu_seconds(me)
        await asyncio.sleep(args.window)
        t1, n1 = time.perf_counter(), state["acks"]
        s1, c1 = cpu_seconds(args.server_pid), cpu_seconds(me)
        events = n1 - n0
        windows.append(
            {
                "events": events,
                "seconds": t1 - t0,
                "server_cpu_s": s1 - s0,
                "client_cpu_s": c1 - c0,
            }
        )
        if state["errors"]:
            break
    state["stop"] = True
    # connections that died early; the live ones are dropped when the process exits
    failures = [repr(t.exception()) for t in tasks if t.done() and t.exception()]
    good = [w for w in windows if w["events"]]

    def med(f: Any) -> float | None:
        return statistics.median(f(w) for w in good) if good else None

    result = {
        "events_per_s": med(lambda w: w["events"] / w["seconds"]),
        "server_cpu_us_per_event": med(lambda w: w["server_cpu_s"] / w["events"] * 1e6),
        "server_cpu_utilisation": med(lambda w: w["server_cpu_s"] / w["seconds"]),
        "client_cpu_utilisation": med(lambda w: w["client_cpu_s"] / w["seconds"]),
        "windows": windows,
        "errors": state["errors"] + failures[:3],
    }
    print(json.dumps(result), flush=True)
    # Exit here: closing the live connections (close handshakes, up to a timeout
    # each) would only slow the run down; the server is terminated next anyway.
    os._exit(0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("server_pid", type=int)
    parser.add_argument("size")
    parser.add_argument("--contender", default="?", help="its name, for messages")
    parser.add_argument("--validates", type=int, default=1, help="1: must reject bad input")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--windows", type=int, default=3)
    parser.add_argument("--window", type=float, default=1.0)
    args = parser.parse_args()
    try:
        import uvloop
    except ImportError:
        asyncio.run(drive(args))
    else:
        uvloop.run(drive(args))


if __name__ == "__main__":
    main()
