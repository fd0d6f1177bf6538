"""Application errors over real websockets on 127.0.0.1: a handler's ``Reject`` reaches
a plain python-socketio client as the pinned envelope and the typed clients as
``Rejected[T]``, on Flask-SocketIO, ``Server`` (WSGI) and ``AsyncServer`` (ASGI); a
server's ``call()`` of an emit that declares errors raises them too."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import msgspec
import pytest
import socketio

from sioschema import Emit, Event, EventRegistry, PayloadError, Reject, Rejected, RequestRejected
from sioschema.client import AsyncClient, Client
from tests.servers import serve_asgi, serve_wsgi

TIMEOUT = 5


class NotYourTurn(msgspec.Struct, tag="not_your_turn"):
    """It is not your turn."""

    expected: str


class Maintenance(msgspec.Struct, tag="maintenance"):
    """The server is under maintenance."""

    minutes: int


class Unlisted(msgspec.Struct, tag="unlisted"):
    pass


class Move(msgspec.Struct):
    player: str


class Play(EventRegistry, errors=[Maintenance]):
    move = Event(request=Move, ack=int, errors=[NotYourTurn])
    closed = Event(request=Move, ack=int)
    broken = Event(request=Move, ack=int, errors=[NotYourTurn])
    ask = Emit(int, ack=int, errors=[NotYourTurn])


def move(m: Move) -> int:
    if m.player != "X":
        raise Reject(NotYourTurn(expected="X"))
    return 1


def closed(m: Move) -> int:
    raise Reject(Maintenance(minutes=5), "Back in <b>5</b> minutes")


def broken(m: Move) -> int:
    raise Reject(Unlisted())


def free(*args: Any) -> int:
    raise Reject(NotYourTurn(expected="X"))  # an undeclared event declares no errors


@dataclass
class Running:
    kind: str
    url: str
    server: Any
    loop: asyncio.AbstractEventLoop | None = None

    def call(self, event: Any, data: Any, sid: str) -> Any:
        """The server's ``call()`` from the test thread (on its loop if async)."""
        done = self.server.call(event, data, to=sid, timeout=TIMEOUT)
        if self.loop is None:
            return done
        return asyncio.run_coroutine_threadsafe(done, self.loop).result(TIMEOUT * 2)


@contextlib.contextmanager
def serve(kind: str) -> Iterator[Running]:
    if kind == "flask":
        import flask

        from sioschema.flask import SocketIO

        app = flask.Flask(__name__)
        fsio = SocketIO(app, registry=Play, async_mode="threading")
        fsio.on(Play.move)(move)
        fsio.on(Play.closed)(closed)
        fsio.on(Play.broken)(broken)
        fsio.on("free")(free)
        with serve_wsgi(app) as url:
            yield Running(kind, url, fsio)
    elif kind == "wsgi":
        from sioschema.socketio import Server, WSGIApp

        sio = Server(registry=Play, async_mode="threading")
        sio.on(Play.move, lambda sid, m: move(m))
        sio.on(Play.closed, lambda sid, m: closed(m))
        sio.on(Play.broken, lambda sid, m: broken(m))
        sio.on("free", lambda sid, *args: free(*args))
        with serve_wsgi(WSGIApp(sio)) as url:
            yield Running(kind, url, sio)
    else:
        from sioschema.socketio import ASGIApp, AsyncServer

        asio = AsyncServer(registry=Play, async_mode="asgi")

        @asio.on(Play.move)
        async def async_move(sid: str, m: Move) -> int:
            await asyncio.sleep(0)
            return move(m)

        asio.on(Play.closed, lambda sid, m: closed(m))  # a plain function on an AsyncServer

        @asio.on(Play.broken)
        async def async_broken(sid: str, m: Move) -> int:
            return broken(m)

        @asio.on("free")
        async def async_free(sid: str, *args: Any) -> int:
            return free(*args)

        with serve_asgi(ASGIApp(asio)) as (url, loop):
            yield Running(kind, url, asio, loop)


@pytest.fixture(scope="module", params=["flask", "wsgi", "asgi"])
def running(request: pytest.FixtureRequest) -> Iterator[Running]:
    with serve(request.param) as srv:
        yield srv


def envelope(code: str, message: str, event: str, data: Any = None) -> dict[str, Any]:
    body = {"code": code, "message": message, "path": None, "event": event}
    if data is not None:
        body["data"] = data
    return {"error": body}


NOT_YOUR_TURN = envelope(
    "not_your_turn", "It is not your turn.", "move", {"type": "not_your_turn", "expected": "X"}
)
MAINTENANCE = envelope(
    "maintenance",
    "Back in \\u003cb>5\\u003c/b> minutes",
    "closed",
    {"type": "maintenance", "minutes": 5},
)


def test_a_plain_client_receives_the_envelope(running: Running) -> None:
    with socketio.SimpleClient() as client:
        client.connect(running.url, transports=["websocket"], wait_timeout=TIMEOUT)
        assert client.call("move", {"player": "X"}, timeout=TIMEOUT) == 1
        assert client.call("move", {"player": "O"}, timeout=TIMEOUT) == NOT_YOUR_TURN
        assert client.call("closed", {"player": "X"}, timeout=TIMEOUT) == MAINTENANCE
        for name in ("broken", "free"):
            internal = envelope("internal_error", "Internal server error", name)
            assert client.call(name, {"player": "X"}, timeout=TIMEOUT) == internal
        assert client.call("move", {"player": "X"}, timeout=TIMEOUT) == 1


def test_the_typed_client_raises_rejected(running: Running) -> None:
    client = Client(registry=Play)
    client.connect(running.url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        assert client.call(Play.move, Move("X"), timeout=TIMEOUT) == 1
        with pytest.raises(Rejected[NotYourTurn]) as caught:
            client.call(Play.move, Move("O"), timeout=TIMEOUT)
        error = caught.value
        assert type(error.data) is NotYourTurn
        assert error.data.expected == "X"
        assert (error.code, error.event, error.detail, error.path) == (
            "not_your_turn",
            "move",
            "It is not your turn.",
            None,
        )
        with pytest.raises(Rejected[Maintenance]) as wide:
            client.call(Play.closed, Move("X"), timeout=TIMEOUT)
        assert wide.value.data == Maintenance(minutes=5)
        for event in (Play.broken, "free"):
            with pytest.raises(RequestRejected) as internal:
                client.call(event, Move("X"), timeout=TIMEOUT)
            assert not isinstance(internal.value, Rejected)
            assert (internal.value.code, internal.value.data) == ("internal_error", None)
    finally:
        client.disconnect()


async def test_the_async_client_raises_rejected(running: Running) -> None:
    client = AsyncClient(registry=Play)
    await client.connect(running.url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        with pytest.raises(Rejected[NotYourTurn]) as caught:
            await client.call(Play.move, Move("O"), timeout=TIMEOUT)
        assert caught.value.data == NotYourTurn(expected="X")
        with pytest.raises(Rejected[Maintenance]) as wide:
            await client.call(Play.closed, Move("X"), timeout=TIMEOUT)
        assert wide.value.data.minutes == 5
        with pytest.raises(RequestRejected) as internal:
            await client.call(Play.broken, Move("X"), timeout=TIMEOUT)
        assert not isinstance(internal.value, Rejected)
        assert internal.value.code == "internal_error"
        assert await client.call(Play.move, Move("X"), timeout=TIMEOUT) == 1
    finally:
        await client.disconnect()


def test_a_server_call_raises_the_clients_declared_error(running: Running) -> None:
    """The typed client's handler of ``ask`` rejects a negative number; a plain client
    answers with envelopes of its own, one of whose data breaks the declared type. The
    bystander, connected all along, is undisturbed."""
    typed = Client(registry=Play)

    @typed.on(Play.ask)
    def ask(n: int) -> int:
        if n < 0:
            raise Reject(NotYourTurn(expected="Y"))
        return n * 2

    plain = socketio.Client()

    @plain.on("ask")  # type: ignore[untyped-decorator]
    def plain_ask(n: int) -> Any:
        data = {"type": "not_your_turn", "expected": "Z" if n else 5}
        return envelope("not_your_turn", "No", "ask", data)

    bystander = Client(registry=Play)
    for client in (typed, plain, bystander):
        client.connect(running.url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        sid = typed.get_sid("/")
        assert running.call(Play.ask, 2, sid) == 4
        with pytest.raises(Rejected[NotYourTurn]) as caught:
            running.call(Play.ask, -1, sid)
        assert caught.value.data == NotYourTurn(expected="Y")
        assert (caught.value.code, caught.value.event) == ("not_your_turn", "ask")
        plain_sid = plain.get_sid("/")
        with pytest.raises(Rejected[NotYourTurn]) as sent:
            running.call(Play.ask, 1, plain_sid)
        assert (sent.value.data, sent.value.detail) == (NotYourTurn(expected="Z"), "No")
        with pytest.raises(PayloadError) as invalid:
            running.call(Play.ask, 0, plain_sid)
        assert invalid.value.code == "invalid_ack"
        assert not isinstance(invalid.value, RequestRejected)
        # everyone is still connected and answered
        assert running.call(Play.ask, 3, sid) == 6
        assert bystander.call(Play.move, Move("X"), timeout=TIMEOUT) == 1
        assert typed.call(Play.move, Move("X"), timeout=TIMEOUT) == 1
        assert plain.call("move", {"player": "X"}, timeout=TIMEOUT) == 1
    finally:
        for client in (typed, plain, bystander):
            client.disconnect()
