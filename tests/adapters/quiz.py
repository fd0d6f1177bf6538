"""What both typed-client test files share (``test_typed_client.py`` and its asyncio
mirror ``test_typed_async_client.py``): a registry a stock python-socketio server breaks."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import msgspec

from sioschema import Emit, Event, EventRegistry
from tests.servers import serve_asgi, serve_wsgi

TIMEOUT = 5


class Question(msgspec.Struct):
    text: str


class Answer(msgspec.Struct):
    value: int


class Quiz(EventRegistry):
    asked = Emit(Question, ack=Answer)
    told = Emit(Question)
    hello = Event(request=str, ack=str)


# -- a server that greets from its connect handler ---------------------------------------

WELCOMES = 20
"""Emits each namespace's connect handler sends, before the CONNECT packet goes out."""


class Welcome(msgspec.Struct):
    n: int


class Lobby(EventRegistry):
    welcome = Emit(Welcome)


class Match(EventRegistry, namespace="/match"):
    welcome = Emit(Welcome)


BLOB = b"\x00\x01state"
"""The payload of the undeclared event ``blob`` each connect handler sends last: raw
bytes, so python-socketio sends a binary packet (its attachment in its own frame)."""


def greet(namespace: str) -> list[tuple[Emit[Any, Any] | str, Any]]:
    """What the connect handler of ``namespace`` emits, in order."""
    registry: type[Lobby | Match] = Lobby if namespace == "/" else Match
    emits: list[tuple[Emit[Any, Any] | str, Any]] = [
        (registry.welcome, Welcome(n)) for n in range(WELCOMES)
    ]
    emits.append(("blob", BLOB))
    return emits


@contextlib.contextmanager
def serve_greeter(kind: str) -> Iterator[str]:
    """A sioschema server (``"flask"``, ``"wsgi"`` or ``"asgi"``) binding ``Lobby`` and
    ``Match``, whose connect handlers emit :func:`greet` to the joining client; on
    ``/closed`` the connect handler emits one ``welcome`` and refuses the client."""
    registries = [Lobby, Match]
    namespaces = ["/", "/match", "/closed"]
    if kind == "flask":
        import flask
        import flask_socketio

        from sioschema.flask import SocketIO

        app = flask.Flask(__name__)
        fsio = SocketIO(app, registry=registries, async_mode="threading", namespaces="*")

        def flask_on(namespace: str) -> Callable[..., bool]:
            def connect(auth: object = None) -> bool:
                if namespace == "/closed":
                    flask_socketio.emit("welcome", {"n": 0})
                    return False
                sid = flask.request.sid  # type: ignore[attr-defined]
                for emit, payload in greet(namespace):
                    fsio.emit(emit, payload, to=sid, namespace=namespace)
                return True

            return connect

        for namespace in namespaces:
            fsio.on("connect", namespace=namespace)(flask_on(namespace))
        with serve_wsgi(app) as url:
            yield url
    elif kind == "wsgi":
        from sioschema.socketio import Server, WSGIApp

        sio = Server(registry=registries, async_mode="threading", namespaces="*")

        def on(namespace: str) -> Callable[..., bool]:
            def connect(sid: str, environ: object, auth: object = None) -> bool:
                if namespace == "/closed":
                    sio.emit("welcome", {"n": 0}, to=sid, namespace=namespace)
                    return False
                for emit, payload in greet(namespace):
                    sio.emit(emit, payload, to=sid, namespace=namespace)
                return True

            return connect

        for namespace in namespaces:
            sio.on("connect", namespace=namespace)(on(namespace))
        with serve_wsgi(WSGIApp(sio)) as url:
            yield url
    else:
        from sioschema.socketio import ASGIApp, AsyncServer

        asio = AsyncServer(registry=registries, async_mode="asgi", namespaces="*")

        def async_on(namespace: str) -> Callable[..., Coroutine[Any, Any, bool]]:
            async def connect(sid: str, environ: object, auth: object = None) -> bool:
                if namespace == "/closed":
                    await asio.emit("welcome", {"n": 0}, to=sid, namespace=namespace)
                    return False
                for emit, payload in greet(namespace):
                    await asio.emit(emit, payload, to=sid, namespace=namespace)
                return True

            return connect

        for namespace in namespaces:
            asio.on("connect", namespace=namespace)(async_on(namespace))
        with serve_asgi(ASGIApp(asio)) as (url, _loop):
            yield url
