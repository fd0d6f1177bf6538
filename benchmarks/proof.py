"""Every contender does what its rows say: validating ones reject an invalid payload,
unvalidated ones pass it through. Times nothing; seconds, not minutes.

Every benchmark runs these checks itself before it times anything (``benchmarks._proof``);
this module runs all of them at once, as a CI check that a contender has not silently
stopped validating (a changed sio-asyncapi or pydantic, say):

- ``micro`` and ``packet``: each row's decode of the payload with one constraint broken;
- ``flask``: each contender's Flask-SocketIO server, through the test client;
- ``servers``: each contender's real server in its own process on one stack per server
  kind (``--stacks``; default uvicorn-asyncio, sync-gevent, flask-threading), sent the
  invalid payload over a websocket (``--payloads`` for these defaults to ``small``).

::

    python -m benchmarks.proof [--payloads ...] [--contenders ...] [--stacks ...] [--json]

Exits with an error naming the contender that accepted the payload.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys

from benchmarks import _common, _proof
from benchmarks._e2e_server import HOST, STACKS
from benchmarks.contenders import load
from benchmarks.payloads import PAYLOADS

DEFAULT_STACKS = ("uvicorn-asyncio", "sync-gevent", "flask-threading")
RUNS_ON = {"sio-asyncapi": {"flask"}}


def _verdict(validates: bool) -> str:
    return "rejected" if validates else "passed through"


def codecs(sizes: list[str], names: list[str] | None) -> list[list[str]]:
    mods, _ = load(names)
    rows = []
    for kind in ("micro", "packet"):
        for size in sizes:
            p = PAYLOADS[size]
            for mod in mods.values():
                found = getattr(mod, kind)(p)
                _proof.codecs(kind, p, found)
                rows += [
                    [kind, size, label, _verdict(bool(c.rejects))] for label, c in found.items()
                ]
    return rows


def flask(sizes: list[str], names: list[str] | None) -> list[list[str]]:
    import logging

    logging.disable(logging.WARNING)  # sioschema logs each rejected event
    mods, _ = load(names)
    rows = []
    for size in sizes:
        p = PAYLOADS[size]
        for name, mod in mods.items():
            client = _proof.flask_test_client(name, mod, p)
            if client is None:
                continue
            client.disconnect()
            rows.append(["flask test client", size, name, _verdict(mod.VALIDATES)])
    logging.disable(logging.NOTSET)
    return rows


def servers(stacks: list[str], sizes: list[str], names: list[str] | None) -> list[list[str]]:
    from benchmarks._e2e_client import prove
    from benchmarks.e2e import free_port, wait_for_port

    mods, _ = load(names)
    rows = []
    for stack in stacks:
        kind = STACKS[stack][0]
        for size in sizes:
            p = PAYLOADS[size]
            for name, mod in mods.items():
                if kind not in RUNS_ON.get(name, {kind}) or not hasattr(mod, "server"):
                    continue
                port = free_port()
                server = subprocess.Popen(
                    [sys.executable, "-m", "benchmarks._e2e_server", stack, name, size, str(port)],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )
                try:
                    wait_for_port(port, server)
                    url = f"ws://{HOST}:{port}/socket.io/?EIO=4&transport=websocket"
                    asyncio.run(prove(url, p, name, mod.VALIDATES))
                finally:
                    server.kill()
                    server.wait()
                    if server.stderr:
                        server.stderr.close()
                rows.append([stack, size, name, _verdict(mod.VALIDATES)])
    return rows


def _stack_runs(stack: str) -> bool:
    """Whether this environment has the stack's packages."""
    import importlib.util

    needs = {"uvicorn": "uvicorn", "gevent": "gevent", "aiohttp": "aiohttp", "flask": "flask"}
    return all(
        importlib.util.find_spec(mod) is not None for key, mod in needs.items() if key in stack
    )


def main(argv: list[str] | None = None) -> None:
    parser = _common.parser(__doc__)
    parser.add_argument("--stacks", nargs="+", default=None, choices=list(STACKS))
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail if a contender or a default stack is not installed (CI: nothing skipped)",
    )
    args = parser.parse_args(argv)
    sizes = args.payloads or list(PAYLOADS)
    _, missing = load(args.contenders)
    names = [n for n in (args.contenders or []) if n not in missing] or None
    stacks = args.stacks or [s for s in DEFAULT_STACKS if _stack_runs(s)]
    absent = [s for s in (args.stacks or DEFAULT_STACKS) if s not in stacks]
    if args.strict and (missing or absent):
        what = [f"{name} ({why})" for name, why in missing.items()] + absent
        raise SystemExit("proof --strict: not installed: " + ", ".join(what))
    rows = codecs(sizes, names) + flask(sizes, names)
    rows += servers(stacks, args.payloads or ["small"], names)
    result = _common.report(
        benchmark="proof",
        title="proof: what each contender does with an invalid payload",
        missing_contenders=missing,
        stacks=stacks,
        checks=[
            dict(zip(("path", "payload", "contender", "result"), r, strict=True)) for r in rows
        ],
    )
    out = [_common.header(result["title"], result["command"])]
    out += [f"skipped {name}: {why}" for name, why in missing.items()]
    out.append(_common.table(["path", "payload", "contender", "invalid payload"], rows))
    out.append(f"{len(rows)} checks passed")
    _common.emit(result, "\n".join(out), args.json, args.save)


if __name__ == "__main__":
    main()
