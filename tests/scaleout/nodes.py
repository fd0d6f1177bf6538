"""The processes of the scale-out tests, each run as ``python -m tests.scaleout.nodes``:

- ``asgi URL``: a ``sioschema.socketio.AsyncServer`` under uvicorn with
  ``client_manager=socketio.AsyncRedisManager(URL)``;
- ``flask URL``: a ``sioschema.flask.SocketIO`` app with ``message_queue=URL`` (Redis or
  kombu, as Flask-SocketIO picks by the URL), under werkzeug's threaded server;
- ``wsgi URL``: a sync ``sioschema.socketio.Server`` (``async_mode="threading"``) with
  ``client_manager=socketio.RedisManager(URL)``, a ``socketio.WSGIApp`` under werkzeug's
  threaded server;
- ``emit URL`` / ``aemit URL``: a write-only :class:`sioschema.emitter.Emitter` (or
  ``AsyncEmitter``) that serves no client.

Servers print ``port <n>`` once they accept connections on 127.0.0.1 and run until
their stdin ends; they log python-socketio's warnings (``Unknown callback received``)
and errors (``Cannot publish to redis...``) on stderr. Emitters read one JSON command
per line on stdin and answer each with one JSON line: ``{"op": "emit", "event": ...,
"data": ..., "to": ...}`` emits once, ``{"op": "batch", "k": K, "room": R, "sids":
[...], "base": B}`` emits K notes to the room (``seq`` B + i) and K to each sid (``seq``
B + n * 100000 + i for the n-th sid, from 1).
Every channel is left at its default: the processes must meet by themselves.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import threading
from typing import Any

from sioschema import PayloadError
from sioschema.emitter import AsyncEmitter, Emitter, PublishError
from tests.scaleout.lobby import Answer, Lobby, Note, Question, Relay
from tests.servers import serve_asgi, serve_wsgi


def asgi_server(url: str) -> None:
    import socketio

    from sioschema.socketio import AsyncServer

    sio = AsyncServer(
        async_mode="asgi", registry=Lobby, client_manager=socketio.AsyncRedisManager(url)
    )

    @sio.on(Lobby.join)
    async def join(sid: str, room: str) -> str:
        await sio.enter_room(sid, room)
        return sid

    @sio.on(Lobby.relay)
    async def relay(sid: str, relay: Relay) -> None:
        await sio.emit(Lobby.note, Note(seq=relay.seq, text="relayed by asgi"), to=relay.to)

    @sio.on(Lobby.ask_other)
    async def ask_other(sid: str, target: str) -> Answer:
        return await sio.call(Lobby.ask, Question(text="asgi asks"), to=target, timeout=10)

    @sio.on(Lobby.ask_room)
    async def ask_room(sid: str, room: str) -> list[Answer]:
        answers: list[Answer] = []
        first = asyncio.Event()

        def got(answer: Answer) -> None:
            answers.append(answer)
            first.set()

        await sio.emit(Lobby.ask, Question(text="asgi asks the room"), room=room, callback=got)
        await asyncio.wait_for(first.wait(), 10)
        await asyncio.sleep(0.5)  # the other answers come back meanwhile
        return answers

    with serve_asgi(socketio.ASGIApp(sio)) as (address, _):
        serve(address)


def flask_server(url: str) -> None:
    import flask
    from flask_socketio import join_room

    from sioschema.flask import SocketIO

    app = flask.Flask(__name__)
    sio = SocketIO(app, registry=Lobby, message_queue=url, async_mode="threading")

    @sio.on(Lobby.join)
    def join(room: str) -> str:
        join_room(room)
        return flask.request.sid  # type: ignore[attr-defined, no-any-return]

    @sio.on(Lobby.relay)
    def relay(relay: Relay) -> None:
        sio.emit(Lobby.note, Note(seq=relay.seq, text="relayed by flask"), to=relay.to)

    @sio.on(Lobby.ask_other)
    def ask_other(target: str) -> Answer:
        return sio.call(Lobby.ask, Question(text="flask asks"), to=target, timeout=10)

    with serve_wsgi(app) as address:
        serve(address)


def wsgi_server(url: str) -> None:
    import socketio

    from sioschema.socketio import Server

    sio = Server(async_mode="threading", registry=Lobby, client_manager=socketio.RedisManager(url))

    @sio.on(Lobby.join)
    def join(sid: str, room: str) -> str:
        sio.enter_room(sid, room)
        return sid

    @sio.on(Lobby.relay)
    def relay(sid: str, relay: Relay) -> None:
        sio.emit(Lobby.note, Note(seq=relay.seq, text="relayed by wsgi"), to=relay.to)

    @sio.on(Lobby.ask_other)
    def ask_other(sid: str, target: str) -> Answer:
        return sio.call(Lobby.ask, Question(text="wsgi asks"), to=target, timeout=10)

    with serve_wsgi(socketio.WSGIApp(sio)) as address:
        serve(address)


def serve(address: str) -> None:
    print(f"port {address.rsplit(':', 1)[1]}", flush=True)
    sys.stdin.read()  # until the test closes it


def run_command(command: dict[str, Any], emit: Any) -> dict[str, Any]:
    """One command of the test; ``emit(event, data, **where)`` returns the result."""

    def attempt(event: Any, data: Any, **where: Any) -> dict[str, Any]:
        try:
            return {"result": emit(event, data, **where)}
        except PayloadError as error:
            return {"error": "PayloadError", "code": error.code, "message": str(error)}
        except PublishError as error:
            return {"error": "PublishError", "message": str(error)}

    if command["op"] == "batch":
        results = []
        base = command.get("base", 0)
        for i in range(command["k"]):
            note = Note(seq=base + i, text="room")
            results.append(attempt(Lobby.note, note, room=command["room"]))
            for n, sid in enumerate(command["sids"]):
                seq = base + (n + 1) * 100_000 + i
                results.append(attempt(Lobby.note, Note(seq=seq, text="direct"), to=sid))
        return {"results": results}
    event = getattr(Lobby, command["event"]) if command.get("declared") else command["event"]
    where = {key: command[key] for key in ("to", "room", "namespace") if key in command}
    return attempt(event, command.get("data"), **where)


def emitter(url: str) -> None:
    with Emitter(Lobby, url) as emitter:
        for line in sys.stdin:
            print(json.dumps(run_command(json.loads(line), emitter.emit)), flush=True)


def async_emitter(url: str) -> None:
    """The same commands through an AsyncEmitter, on an event loop in another thread."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    emitter = AsyncEmitter(Lobby, url)

    def emit(*args: Any, **kwargs: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(emitter.emit(*args, **kwargs), loop).result(60)

    for line in sys.stdin:
        print(json.dumps(run_command(json.loads(line), emit)), flush=True)
    asyncio.run_coroutine_threadsafe(emitter.aclose(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(name)s %(levelname)s %(message)s")
    # python-socketio sets its servers' logger to ERROR unless it has a level already
    logging.getLogger("socketio.server").setLevel(logging.WARNING)
    role, url = sys.argv[1:3]
    roles = {
        "asgi": asgi_server,
        "flask": flask_server,
        "wsgi": wsgi_server,
        "emit": emitter,
        "aemit": async_emitter,
    }
    roles[role](url)
