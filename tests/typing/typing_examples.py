"""Type-checked, never run: what strict mypy must accept (see tests/unit/test_typing.py).

A ``# R:`` comment is the type mypy must reveal on the next line."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from typing_extensions import assert_type, reveal_type

from sioschema import (
    Emit,
    Event,
    EventRegistry,
    PayloadError,
    Reject,
    Rejected,
    RequestRejected,
    Several,
)
from sioschema.client import AsyncClient, Client
from sioschema.emitter import AsyncEmitter, Emitter
from sioschema.flask import SocketIO
from sioschema.socketio import AsyncServer, Server


class Move(msgspec.Struct):
    x: int


class Moved(msgspec.Struct):
    x: int


class NotYourTurn(msgspec.Struct, tag="not_your_turn"):
    expected: str


class Api(EventRegistry):
    moved = Emit(Moved)
    asked = Emit(Move, ack=int)
    move = Event(request=Move, ack=Moved, emits=[moved])
    ping = Event()
    pair = Event(request=(int, str), ack=int)
    loose = Event(request=Annotated[int, msgspec.Meta(ge=0)], ack=int)
    turn = Event(request=Move, ack=Moved, errors=[NotYourTurn])
    asked_turn = Emit(Move, ack=int, errors=[NotYourTurn])


def declarations() -> None:
    assert_type(Api.move, Event[Move, Moved])
    assert_type(Api.ping, Event[None, None])
    assert_type(Api.pair, Event[Several, int])
    assert_type(Api.loose, Event[Any, int])
    assert_type(Api.turn, Event[Move, Moved])
    assert_type(Api.asked_turn, Emit[Move, Any])


def sync_server(sio: Server) -> None:
    @sio.on(Api.move)
    def move(sid: str, m: Move) -> Moved:
        sio.emit(Api.moved, Moved(x=m.x), to=sid)
        return Moved(x=m.x)

    # R: def (str, tests.typing.typing_examples.Move) -> tests.typing.typing_examples.Moved
    reveal_type(move)

    @sio.on(Api.ping)
    def ping(sid: str) -> None: ...

    @sio.on(Api.pair)
    def pair(sid: str, a: int, b: str) -> int:
        return a

    @sio.on(Api.loose)
    def loose(sid: str, value: Any) -> Any:
        return value

    @sio.on("free-form")
    def free(sid: str, *args: Any) -> str:
        return "anything"

    # R: def (sid: str, *args: Any) -> str
    reveal_type(free)
    sio.emit("free-form", {"any": 1})
    reply = sio.call(Api.asked, Move(x=1), to="sid")
    assert_type(Api.moved, Emit[Moved, Any])
    _ = reply


async def async_server(sio: AsyncServer) -> None:
    @sio.on(Api.move)
    async def move(sid: str, m: Move) -> Moved:
        await sio.emit(Api.moved, Moved(x=m.x), to=sid)
        return Moved(x=m.x)

    # R: def (str, tests.typing.typing_examples.Move) -> typing.Coroutine[Any, Any, tests.typing.typing_examples.Moved]
    reveal_type(move)

    @sio.on(Api.move)
    def plain(sid: str, m: Move) -> Moved:
        return Moved(x=m.x)

    # R: def (str, tests.typing.typing_examples.Move) -> tests.typing.typing_examples.Moved
    reveal_type(plain)


def flask_server(socketio: SocketIO) -> None:
    @socketio.on(Api.move)
    def move(m: Move) -> Moved:
        socketio.emit(Api.moved, Moved(x=m.x), to="room")
        return Moved(x=m.x)

    # R: def (tests.typing.typing_examples.Move) -> tests.typing.typing_examples.Moved
    reveal_type(move)


def errors(err: PayloadError) -> None:
    assert_type(
        err.code,
        Literal[
            "invalid_payload",
            "bad_arity",
            "unknown_event",
            "internal_error",
            "invalid_ack",
            "invalid_auth",
            "bad_packet",
            "invalid_number",
            "payload_too_large",
            "payload_too_deep",
            "reserved_event",
            "rate_limited",
            "unknown_namespace",
        ],
    )
    assert_type(err.path, str | None)


def sync_client(client: Client) -> None:
    @client.on(Api.moved)
    def moved(m: Moved) -> None: ...

    @client.on(Api.asked)
    def asked(m: Move) -> int:
        return m.x

    assert_type(client.call(Api.move, Move(x=1)), Moved)
    assert_type(client.call(Api.ping), None)
    assert_type(client.call(Api.pair, (1, "a")), int)
    assert_type(client.call("free-form", 1), Any)
    client.emit(Api.move, Move(x=1), callback=lambda moved: None)


async def async_client(client: AsyncClient) -> None:
    @client.on(Api.moved)
    async def moved(m: Moved) -> None: ...

    # R: def (tests.typing.typing_examples.Moved) -> typing.Coroutine[Any, Any, Any]
    reveal_type(moved)
    assert_type(await client.call(Api.move, Move(x=1)), Moved)


async def emitters(emitter: Emitter, aemitter: AsyncEmitter) -> None:
    # R: int | None
    reveal_type(emitter.emit(Api.moved, Moved(x=1), to="sid"))
    emitter.emit(Api.moved, Moved(x=1), room=["a", "b"], skip_sid="sid", namespace="/")
    emitter.emit("free-form", {"any": 1})
    # R: int | None
    reveal_type(await aemitter.emit(Api.moved, Moved(x=1), to="room"))


def application_errors(sio: Server, client: Client) -> None:
    @sio.on(Api.turn)
    def turn(sid: str, m: Move) -> Moved:
        if m.x:
            raise Reject(NotYourTurn(expected="O"))
        raise Reject(NotYourTurn(expected="X"), "Wait for your turn")

    try:
        client.call(Api.turn, Move(x=1))
    except Rejected[NotYourTurn] as e:
        assert_type(e.data, NotYourTurn)
        assert_type(e.data.expected, str)
        assert_type(e.code, str)
    except RequestRejected as other:
        assert_type(other.data, object)
    try:
        sio.call(Api.asked_turn, Move(x=1), to="sid")
    except Rejected as any_declared:
        assert_type(any_declared.data, Any)
