"""One benchmark server, run in its own process by ``benchmarks.e2e``::

    python -m benchmarks._e2e_server STACK CONTENDER SIZE PORT

Serves the contender's ``bench`` handler on 127.0.0.1:PORT on the given stack until
killed. Stacks on gevent monkey-patch before anything else is imported.
"""

from __future__ import annotations

import sys

if len(sys.argv) > 1 and "gevent" in sys.argv[1]:
    from gevent import monkey

    monkey.patch_all()

import logging  # noqa: E402
from typing import Any  # noqa: E402

HOST = "127.0.0.1"

# stack -> (server kind, options for the server, how to serve it)
STACKS: dict[str, tuple[str, dict[str, Any]]] = {
    "uvicorn-asyncio": ("async", {"async_mode": "asgi"}),
    "uvicorn-auto": ("async", {"async_mode": "asgi"}),
    "uvicorn-wsproto": ("async", {"async_mode": "asgi"}),
    "aiohttp-uvloop": ("async", {"async_mode": "aiohttp"}),
    "sync-gevent": ("sync", {"async_mode": "gevent", "async_handlers": False}),
    "flask-threading": ("flask", {"async_mode": "threading"}),
    "flask-gevent": ("flask", {"async_mode": "gevent"}),
}

UVICORN = {
    # loop, http, ws: what each uvicorn stack picks
    "uvicorn-asyncio": ("asyncio", "h11", "websockets-sansio"),
    "uvicorn-auto": ("auto", "auto", "auto"),  # uvloop + httptools + websockets-sansio
    "uvicorn-wsproto": ("asyncio", "h11", "wsproto"),
}


def serve(stack: str, contender: str, size: str, port: int) -> None:
    from benchmarks.contenders import load
    from benchmarks.payloads import PAYLOADS

    kind, options = STACKS[stack]
    mods, missing = load([contender])
    if missing:
        raise SystemExit(missing[contender])
    server = mods[contender].server(kind, PAYLOADS[size], **options)
    if server is None:
        msg = f"{contender} does not run on {stack}"
        raise SystemExit(msg)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    if stack.startswith("uvicorn"):
        import socketio
        import uvicorn

        loop, http, ws = UVICORN[stack]
        uvicorn.run(
            socketio.ASGIApp(server),
            host=HOST,
            port=port,
            loop=loop,
            http=http,
            ws=ws,
            log_level="warning",
            lifespan="off",
            access_log=False,
        )
    elif stack == "aiohttp-uvloop":
        import asyncio

        import uvloop
        from aiohttp import web

        app = web.Application()
        server.attach(app)

        async def main() -> None:
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            await web.TCPSite(runner, HOST, port).start()
            await asyncio.Event().wait()

        uvloop.run(main())
    elif stack == "sync-gevent":
        import socketio
        from gevent import pywsgi

        pywsgi.WSGIServer((HOST, port), socketio.WSGIApp(server), log=None).serve_forever()
    else:  # flask-*
        app, sio = server
        sio.run(app, host=HOST, port=port, log_output=False, allow_unsafe_werkzeug=True)


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
