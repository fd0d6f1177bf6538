"""Run real servers on 127.0.0.1 in background threads, on a free port."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Iterator
from typing import Any

HOST = "127.0.0.1"


@contextlib.contextmanager
def serve_wsgi(app: Any) -> Iterator[str]:
    """A threaded werkzeug server (what Flask-SocketIO's threading mode runs)."""
    from werkzeug.serving import make_server

    server = make_server(HOST, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


@contextlib.contextmanager
def serve_asgi(app: Any) -> Iterator[tuple[str, asyncio.AbstractEventLoop]]:
    """uvicorn in its own thread and event loop; yields the URL and the loop."""
    import uvicorn

    sock = socket.socket()
    sock.bind((HOST, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)

    loops: list[asyncio.AbstractEventLoop] = []

    async def main() -> None:
        loops.append(asyncio.get_running_loop())
        await server.serve(sockets=[sock])

    def run() -> None:
        asyncio.run(main())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        threading.Event().wait(0.01)
    else:  # pragma: no cover
        raise RuntimeError("uvicorn did not start")
    try:
        yield f"http://{HOST}:{port}", loops[0]
    finally:
        server.should_exit = True
        thread.join(5)
        sock.close()


@contextlib.contextmanager
def serve_aiohttp(app: Any) -> Iterator[str]:
    """An aiohttp ``web.Application`` in its own thread and event loop; yields the URL.

    The loop is stopped as ``asyncio.run`` stops one: the tasks still pending are
    cancelled and awaited before it closes. python-engineio's servers leave some after
    their clients disconnect (``_send_ping`` sleeps a whole ping interval, the service
    task runs until the server shuts down); closed with the loop, each would be
    destroyed pending ("Task was destroyed but it is pending!", at exit if not before).
    """
    from aiohttp import web

    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app)

    async def start() -> str:
        await runner.setup()
        await web.TCPSite(runner, HOST, 0).start()
        host, port = runner.addresses[0][:2]
        return f"http://{host}:{port}"

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield asyncio.run_coroutine_threadsafe(start(), loop).result(10)
    finally:
        asyncio.run_coroutine_threadsafe(_stop_aiohttp(runner), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


async def _stop_aiohttp(runner: Any) -> None:
    await runner.cleanup()
    loop = asyncio.get_running_loop()
    pending = [task for task in asyncio.all_tasks(loop) if task is not asyncio.current_task()]
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    await loop.shutdown_asyncgens()
    await loop.shutdown_default_executor()


@contextlib.contextmanager
def serve_demo(kind: str) -> Iterator[str]:
    """The tic-tac-toe demo (``examples.tictactoe``) on 127.0.0.1: its Flask-SocketIO
    app under threaded werkzeug (``kind="flask"``) or its ASGI app under uvicorn."""
    if kind == "flask":
        from examples.tictactoe.flask_app import create_app as create_flask

        app, _ = create_flask(async_mode="threading")
        with serve_wsgi(app) as url:
            yield url
    else:
        from examples.tictactoe.asgi_app import create_app as create_asgi

        asgi, _ = create_asgi()
        with serve_asgi(asgi) as (url, _loop):
            yield url
