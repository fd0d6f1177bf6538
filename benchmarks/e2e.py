"""End to end: real servers on 127.0.0.1, a client process with many websockets.

For each stack, payload and contender, a fresh server process serves the ``bench``
event (its handler acks with the object it received) and a separate client process
drives it with many concurrent websocket connections speaking Engine.IO 4 /
Socket.IO 5 frames, one acked event in flight per connection. After a warm-up, the
client measures windows: events/s (acks received) and the server process's CPU time
per event (user + system, all threads). Each round's figure is the median of its
windows; the table prints the median of three rounds (``--rounds``) with the lowest
and highest round beside it. Contenders run in alternating order, ratios are to stock
(no validation) on the same stack in the same run. Before each server is measured it
must reject an invalid payload (stock must echo it), or the whole run stops.

Stacks (``--stacks``):

  uvicorn-asyncio   ASGI AsyncServer, uvicorn --loop asyncio --http h11 --ws websockets-sansio
  uvicorn-auto      ASGI AsyncServer, uvicorn's auto picks (uvloop, httptools, websockets-sansio)
  uvicorn-wsproto   ASGI AsyncServer, uvicorn --loop asyncio --http h11 --ws wsproto
  aiohttp-uvloop    AsyncServer attached to aiohttp, on uvloop
  sync-gevent       socketio.Server(async_handlers=False), gevent pywsgi + simple-websocket
  flask-threading   Flask-SocketIO, threading mode (werkzeug + simple-websocket)
  flask-gevent      Flask-SocketIO, gevent mode (gevent pywsgi + simple-websocket)

sio-asyncapi runs only on Flask-SocketIO; on the other stacks the pydantic contender is
a hand-rolled ``model_validate`` in the handler::

    python -m benchmarks.e2e [--stacks ...] [--payloads ...] [--contenders ...]
        [--connections 50] [--warmup 1] [--windows 3] [--window 1] [--rounds 3]
        [--chart docs/benchmarks/e2e.svg] [--save RESULTS.json] [--quick] [--json]

``--chart`` draws the chart of ``benchmarks.chart`` (matplotlib) at the end of the run;
``python -m benchmarks.chart RESULTS.json --output FILE`` redraws it from ``--save``'s
JSON without running anything.
"""

from __future__ import annotations

import json
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import _common, _proof
from benchmarks._e2e_server import HOST, STACKS
from benchmarks.contenders import load
from benchmarks.payloads import PAYLOADS

BASELINE = "stock"
DEFAULT_CONTENDERS = ("stock", "pydantic", "sio-asyncapi", "sioschema")
RUNS_ON = {"sio-asyncapi": {"flask"}}  # server kinds; others run everywhere


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            msg = f"server exited with {proc.returncode}: {err[-2000:]}"
            raise RuntimeError(msg)
        with socket.socket() as s:
            if s.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.05)
    msg = f"server on port {port} did not start in {timeout} s"
    raise RuntimeError(msg)


def run_one(
    stack: str, contender: str, size: str, validates: bool, opts: dict[str, Any]
) -> dict[str, Any]:
    """One fresh server process, one client process; the client's JSON result.

    The client first checks that the server rejects an invalid payload (or passes it
    through, for an unvalidated contender); if not, the whole run stops."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "benchmarks._e2e_server", stack, contender, size, str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, server)
        client = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks._e2e_client",
                f"http://{HOST}:{port}",
                str(server.pid),
                size,
                f"--contender={contender}",
                f"--validates={int(validates)}",
                *(f"--{k}={v}" for k, v in opts.items()),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if client.returncode and "benchmark aborted: " in client.stderr:
            raise _proof.ProofFailed(client.stderr.split("benchmark aborted: ", 1)[1].strip())
        if client.returncode:
            msg = f"client failed: {client.stderr[-2000:]}"
            raise RuntimeError(msg)
        result: dict[str, Any] = json.loads(client.stdout)
        return result
    finally:
        server.terminate()
        try:  # the gevent and werkzeug servers can sit on SIGTERM; results are in
            server.wait(2)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stderr:
            server.stderr.close()


def main(argv: list[str] | None = None) -> None:
    parser = _common.parser(__doc__)
    parser.add_argument("--stacks", nargs="+", default=None, choices=list(STACKS))
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--windows", type=int, default=3)
    parser.add_argument("--window", type=float, default=1.0, help="seconds per window")
    parser.add_argument(
        "--rounds", type=int, default=3, help="fresh servers per contender (default 3)"
    )
    parser.add_argument(
        "--chart",
        type=Path,
        default=None,
        help="draw the SVG chart here (benchmarks.chart; redraw it later from --save's JSON)",
    )
    args = parser.parse_args(argv)
    if args.chart:  # matplotlib (the bench group): missing, it fails now, not after the run
        from benchmarks import chart
    if args.quick:
        args.connections, args.warmup, args.windows, args.window = 4, 0.2, 1, 0.3
        args.rounds = 1
    mods, missing = load(args.contenders or DEFAULT_CONTENDERS)
    stacks = args.stacks or list(STACKS)
    sizes = args.payloads or list(PAYLOADS)
    opts = {
        "connections": args.connections,
        "warmup": args.warmup,
        "windows": args.windows,
        "window": args.window,
    }
    results: dict[str, Any] = {}
    errors: list[str] = []
    for stack in stacks:
        kind = STACKS[stack][0]
        names = [n for n in mods if kind in RUNS_ON.get(n, {kind})]
        results[stack] = {}
        for size in sizes:
            runs: dict[str, list[dict[str, Any]]] = {n: [] for n in names}
            for r in range(args.rounds):
                for name in names if r % 2 == 0 else reversed(names):
                    try:
                        validates = mods[name].VALIDATES
                        runs[name].append(run_one(stack, name, size, validates, opts))
                    except (RuntimeError, subprocess.TimeoutExpired) as exc:
                        errors.append(f"{stack} {size} {name}: {exc}")
            cells: dict[str, Any] = {}
            for name, got in runs.items():
                cells[name] = _summary(got)
                errors.extend(f"{stack} {size} {name}: {e}" for g in got for e in g["errors"])
            base = (cells.get(BASELINE) or {}).get("events_per_s")
            base_cpu = (cells.get(BASELINE) or {}).get("server_cpu_us_per_event")
            for cell in cells.values():
                eps, cpu = cell["events_per_s"], cell["server_cpu_us_per_event"]
                cell["events_ratio"] = eps / base if base and eps else None
                cell["cpu_ratio"] = cpu / base_cpu if base_cpu and cpu else None
            results[stack][size] = cells
            if not args.json:
                print(f"  done {stack} {size}", file=sys.stderr, flush=True)

    result = _common.report(
        benchmark="e2e",
        title="End to end: events/s and server CPU per acked event",
        baseline=BASELINE,
        payloads=sizes,
        rounds=args.rounds,
        missing_contenders=missing,
        errors=errors,
        **opts,
        results=results,
    )
    if args.chart:  # the same drawing as `python -m benchmarks.chart SAVED.json --output ...`
        chart.write(result, args.chart)
    _common.emit(result, text(result), args.json, args.save)


def _summary(got: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over the rounds (each round's figure is the median of its windows),
    and the lowest and highest round of events/s and server CPU per event."""

    def values(key: str) -> list[float]:
        return [g[key] for g in got if g.get(key) is not None]

    def med(key: str) -> float | None:
        found = values(key)
        return statistics.median(found) if found else None

    cell: dict[str, Any] = {
        "events_per_s": med("events_per_s"),
        "server_cpu_us_per_event": med("server_cpu_us_per_event"),
        "server_cpu_utilisation": med("server_cpu_utilisation"),
        "client_cpu_utilisation": med("client_cpu_utilisation"),
        "runs": len(got),
    }
    for key in ("events_per_s", "server_cpu_us_per_event"):
        found = values(key)
        cell[f"{key}_rounds"] = found
        cell[f"{key}_min"] = min(found) if found else None
        cell[f"{key}_max"] = max(found) if found else None
    return cell


def _spread(cell: dict[str, Any], key: str, fmt: str) -> str:
    low, high = cell.get(f"{key}_min"), cell.get(f"{key}_max")
    if low is None or high is None:
        return "-"
    return f"{fmt.format(low)}-{fmt.format(high)}"


def text(result: dict[str, Any]) -> str:
    out = [_common.header(result["title"], result["command"])]
    out.append(
        f"{result['connections']} connections, one event in flight each; "
        f"{result['windows']} x {result['window']} s windows after {result['warmup']} s "
        f"warm-up; medians of {result['rounds']} round(s), each a fresh server, with the "
        f"lowest and highest round; ratios of the medians to '{result['baseline']}' on the "
        "same stack. server/client util = CPU seconds per second (1.0 = one core)."
    )
    for name, why in result["missing_contenders"].items():
        out.append(f"skipped {name}: {why}")
    for stack, per_stack in result["results"].items():
        rows = []
        for size, cells in per_stack.items():
            for name, c in cells.items():
                if c["events_per_s"] is None:
                    rows.append([size, name, "failed", "", "", "", "", "", "", ""])
                    continue
                rows.append(
                    [
                        size,
                        name,
                        f"{c['events_per_s']:,.0f}",
                        _spread(c, "events_per_s", "{:,.0f}"),
                        f"{c['events_ratio']:.2f}x" if c["events_ratio"] else "-",
                        f"{c['server_cpu_us_per_event']:,.1f}",
                        _spread(c, "server_cpu_us_per_event", "{:,.1f}"),
                        f"{c['cpu_ratio']:.2f}x" if c["cpu_ratio"] else "-",
                        f"{c['server_cpu_utilisation']:.2f}",
                        f"{c['client_cpu_utilisation']:.2f}",
                    ]
                )
        out.append("")
        out.append(stack)
        out.append(
            _common.table(
                [
                    "payload",
                    "contender",
                    "events/s",
                    "min-max",
                    "ratio",
                    "server CPU us/event",
                    "min-max",
                    "ratio",
                    "server util",
                    "client util",
                ],
                rows,
            )
        )
    if result["errors"]:
        out.append("")
        out.append("errors:")
        out.extend(f"  {e[:300]}" for e in result["errors"])
    return "\n".join(out)


if __name__ == "__main__":
    main()
