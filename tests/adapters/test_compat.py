"""python-socketio behaviour sioschema keeps: class-based and function catch-alls
(``on("*")``, ``namespace="*"``), namespaces that only receive emits, and the error event
never sharing a name with a declared emit.

Each server kind (Flask-SocketIO, ``Server`` under WSGI, ``AsyncServer`` under ASGI) is
driven by python-socketio's own client over a real websocket on 127.0.0.1.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
import socketio

from sioschema import Emit, Event, EventRegistry, RegistryError
from tests.servers import serve_asgi, serve_wsgi


class Line(msgspec.Struct, forbid_unknown_fields=True):
    text: str


class Note(msgspec.Struct):
    text: str


class Notices(EventRegistry, namespace="/notices"):
    """Only emits: no handler on the server."""

    notice = Emit(Note)


class ChatApi(EventRegistry, namespace="/chat"):
    """Handled by a class whose ``trigger_event`` takes every event."""

    say = Event(name="chat:say", request=Line, ack=int)


class Star(EventRegistry, namespace="/star"):
    """Function handlers: one per declared event, and ``on("*")`` for the rest."""

    shout = Event(request=Line, ack=int)


REGISTRIES = (Notices, ChatApi, Star)
KINDS = ["flask", "wsgi", "asgi"]


def _answer(event: str, args: tuple[Any, ...]) -> Any:
    """What the catch-alls return: the length of a typed line, or the number plus one."""
    if event == "chat:say":
        (line,) = args
        assert isinstance(line, Line)  # validated and typed before the catch-all runs
        return len(line.text)
    return args[0] + 1 if args and isinstance(args[0], int) else None


class Running:
    def __init__(self, url: str, server: Any, seen: list[tuple[str, tuple[Any, ...]]]) -> None:
        self.url = url
        self.server = server
        self.seen = seen
        self.loop: Any = None

    def emit(self, *args: Any, **kwargs: Any) -> None:
        if self.loop is None:
            self.server.emit(*args, **kwargs)
        else:
            import asyncio

            asyncio.run_coroutine_threadsafe(self.server.emit(*args, **kwargs), self.loop).result(5)


def _flask(seen: list[Any]) -> Iterator[Running]:
    import flask
    import flask_socketio

    from sioschema.flask import SocketIO

    app = flask.Flask(__name__)
    sio = SocketIO(app, registry=REGISTRIES, async_mode="threading", namespaces="*")

    class CatchAll(flask_socketio.Namespace):
        def trigger_event(self, event: str, *args: Any) -> Any:
            if event in ("connect", "disconnect"):
                return None
            seen.append((event, args[1:]))  # python-socketio passes the sid first
            return _answer(event, args[1:])

    sio.on_namespace(CatchAll("/chat"))
    sio.on_namespace(CatchAll("/free"))

    @sio.on(Star.shout)
    def shout(line: Line) -> int:
        seen.append(("shout", (line,)))
        return _answer("chat:say", (line,))

    @sio.on("*", namespace="/star")
    def star(event: str, *args: Any) -> Any:
        seen.append(("*", event, args))
        return _answer(event, args)

    @sio.on("shout", namespace="*")
    def any_namespace(*args: Any) -> Any:
        seen.append(("ns*", flask.request.namespace, args))  # type: ignore[attr-defined]
        return "any"

    with serve_wsgi(app) as url:
        yield Running(url, sio, seen)


def _wsgi(seen: list[Any]) -> Iterator[Running]:
    from sioschema.socketio import Server, WSGIApp

    sio = Server(registry=REGISTRIES, async_mode="threading", namespaces="*")

    class CatchAll(socketio.Namespace):
        def trigger_event(self, event: str, *args: Any) -> Any:
            if event in ("connect", "disconnect"):
                return None
            seen.append((event, args[1:]))
            return _answer(event, args[1:])

    sio.register_namespace(CatchAll("/chat"))
    sio.register_namespace(CatchAll("/free"))

    @sio.on(Star.shout)
    def shout(sid: str, line: Line) -> int:
        seen.append(("shout", (line,)))
        return _answer("chat:say", (line,))

    @sio.on("*", namespace="/star")
    def star(event: str, sid: str, *args: Any) -> Any:
        seen.append(("*", event, args))
        return _answer(event, args)

    @sio.on("shout", namespace="*")
    def any_namespace(namespace: str, sid: str, *args: Any) -> Any:
        seen.append(("ns*", namespace, args))
        return "any"

    with serve_wsgi(WSGIApp(sio)) as url:
        yield Running(url, sio, seen)


def _asgi(seen: list[Any]) -> Iterator[Running]:
    from sioschema.socketio import ASGIApp, AsyncServer

    sio = AsyncServer(registry=REGISTRIES, async_mode="asgi", namespaces="*")

    class CatchAll(socketio.AsyncNamespace):
        async def trigger_event(self, event: str, *args: Any) -> Any:
            if event in ("connect", "disconnect"):
                return None
            seen.append((event, args[1:]))
            return _answer(event, args[1:])

    sio.register_namespace(CatchAll("/chat"))
    sio.register_namespace(CatchAll("/free"))

    @sio.on(Star.shout)
    async def shout(sid: str, line: Line) -> int:
        seen.append(("shout", (line,)))
        return _answer("chat:say", (line,))

    @sio.on("*", namespace="/star")
    async def star(event: str, sid: str, *args: Any) -> Any:
        seen.append(("*", event, args))
        return _answer(event, args)

    @sio.on("shout", namespace="*")
    async def any_namespace(namespace: str, sid: str, *args: Any) -> Any:
        seen.append(("ns*", namespace, args))
        return "any"

    with serve_asgi(ASGIApp(sio)) as (url, loop):
        running = Running(url, sio, seen)
        running.loop = loop
        yield running


@pytest.fixture(scope="module", params=KINDS)
def running(request: pytest.FixtureRequest) -> Iterator[Running]:
    seen: list[Any] = []
    serve = {"flask": _flask, "wsgi": _wsgi, "asgi": _asgi}[request.param]
    yield from serve(seen)


@pytest.fixture
def client(running: Running) -> Iterator[socketio.Client]:
    running.seen.clear()
    client = socketio.Client()
    client.connect(
        running.url,
        namespaces=["/notices", "/chat", "/free", "/star", "/any"],
        transports=["websocket"],
        wait_timeout=5,
    )
    yield client
    client.disconnect()


def test_a_namespace_that_only_receives_emits_can_be_joined(
    running: Running, client: socketio.Client
) -> None:
    got = threading.Event()
    received: list[Any] = []

    @client.on("notice", namespace="/notices")
    def on_notice(data: Any) -> None:
        received.append(data)
        got.set()

    running.emit(
        Notices.notice, Note(text="server restarts at noon"), to=client.get_sid("/notices")
    )
    assert got.wait(5)
    assert received == [{"text": "server restarts at noon"}]


def test_a_catch_all_class_receives_declared_events_typed(
    running: Running, client: socketio.Client
) -> None:
    assert client.call("chat:say", {"text": "hello"}, namespace="/chat", timeout=5) == 5
    assert running.seen == [("chat:say", (Line(text="hello"),))]


def test_a_catch_all_class_never_sees_invalid_data(
    running: Running, client: socketio.Client
) -> None:
    reply = client.call("chat:say", {"text": 5}, namespace="/chat", timeout=5)
    assert reply == {
        "error": {
            "code": "invalid_payload",
            "message": "Expected `str`, got `int` - at `$.text`",
            "path": "$.text",
            "event": "chat:say",
        }
    }
    assert running.seen == []


def test_a_catch_all_class_takes_any_event_without_a_registry(
    running: Running, client: socketio.Client
) -> None:
    """As in python-socketio: no `on_<name>` method needed, nothing validated."""
    assert client.call("any:thing", 41, namespace="/free", timeout=5) == 42
    assert running.seen == [("any:thing", (41,))]


def test_a_catch_all_function_leaves_declared_events_to_their_handlers(
    running: Running, client: socketio.Client
) -> None:
    """``on("*")`` beside a declared handler: the declared event arrives typed to its own
    handler, invalid data to neither."""
    assert client.call("shout", {"text": "hey"}, namespace="/star", timeout=5) == 3
    bad = client.call("shout", {"text": 5}, namespace="/star", timeout=5)
    assert bad["error"]["code"] == "invalid_payload"
    assert bad["error"]["path"] == "$.text"
    assert running.seen == [("shout", (Line(text="hey"),))]


def test_a_catch_all_function_takes_undeclared_events(
    running: Running, client: socketio.Client
) -> None:
    """As in python-socketio: an event with no handler of its own reaches ``on("*")``,
    with its name, unvalidated."""
    assert client.call("any:thing", 41, namespace="/star", timeout=5) == 42
    assert running.seen == [("*", "any:thing", (41,))]


def test_a_catch_all_namespace_handler_takes_other_namespaces(
    running: Running, client: socketio.Client
) -> None:
    """``on("shout", namespace="*")``: on a namespace with no registry it takes the event,
    unvalidated; on the registry's namespace the declared handler still does."""
    assert client.call("shout", {"text": 5}, namespace="/any", timeout=5) == "any"
    assert client.call("shout", {"text": "hi"}, namespace="/star", timeout=5) == 2
    assert running.seen == [("ns*", "/any", ({"text": 5},)), ("shout", (Line(text="hi"),))]


def _bind(kind: str, **options: Any) -> Any:
    """A server of ``kind`` bound with ``options`` (nothing served)."""
    if kind == "flask":
        from sioschema.flask import SocketIO

        return SocketIO(**options)
    if kind == "wsgi":
        from sioschema.socketio import Server

        return Server(**options)
    from sioschema.socketio import AsyncServer

    return AsyncServer(**options)


class Clashing(EventRegistry):
    error = Emit(Note)


@pytest.mark.parametrize("kind", KINDS)
def test_an_error_event_named_like_a_declared_emit_is_refused(kind: str) -> None:
    msg = (
        "error_event='error' is also the name of <Emit Clashing.error 'error'> on "
        "namespace `/`: clients could not tell an error from that emit; pass another "
        "error_event= or rename the emit"
    )
    with pytest.raises(RegistryError) as caught:
        _bind(kind, registry=Clashing)
    assert str(caught.value) == msg


@pytest.mark.parametrize("kind", KINDS)
def test_another_error_event_resolves_the_clash(kind: str) -> None:
    server = _bind(kind, registry=Clashing, error_event="sioschema:error")
    assert server._sioschema.error_event == "sioschema:error"


def test_an_unknown_event_is_answered_and_logged_without_a_path(
    running: Running, client: socketio.Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="sioschema"):
        reply = client.call("nobody", 1, namespace="/notices", timeout=5)
    assert reply == {
        "error": {
            "code": "unknown_event",
            "message": "Unknown event `nobody`",
            "path": None,
            "event": "nobody",
        }
    }
    sid = client.get_sid("/notices")
    assert [r.getMessage() for r in caplog.records if r.name == "sioschema"] == [
        f"rejected 'nobody' from {sid} on /notices: unknown_event"
    ]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", ["disconnect", "connect_error", "newListener", "", None, 123])
def test_an_error_event_socketio_reserves_or_cannot_send_is_refused(kind: str, name: Any) -> None:
    with pytest.raises(RegistryError) as caught:
        _bind(kind, registry=Notices, error_event=name)
    assert str(caught.value) == (
        f"error_event must be a non-empty event name that Socket.IO does not reserve (got {name!r})"
    )


def test_a_document_refuses_the_same_error_events() -> None:
    from sioschema import asyncapi

    with pytest.raises(RegistryError, match=r"^error_event='error' is also the name of"):
        asyncapi.render(Clashing)
    with pytest.raises(RegistryError, match=r"^error_event must be a non-empty event name"):
        asyncapi.render(Notices, error_event="connect")
    assert "sioschema:error" in json.dumps(asyncapi.render(Clashing, error_event="sioschema:error"))
