"""Type-checked, never run: each line marked ``# E:`` must be a mypy error.

mypy reports a payload of the wrong type for a declared emit as "Cannot infer value of
type parameter P" (the payload type and the Emit disagree), code ``misc``; a handler
that does not match its ``Event[Request, Ack]`` as an incompatible argument to the
decorator, code ``arg-type``, on the decorator's line."""

from __future__ import annotations

import msgspec

from sioschema import Emit, Event, EventRegistry, Reject, Rejected
from sioschema.client import Client
from sioschema.emitter import AsyncEmitter, Emitter
from sioschema.flask import SocketIO
from sioschema.socketio import AsyncServer, Server


class Moved(msgspec.Struct):
    x: int


class Other(msgspec.Struct):
    y: int


class Api(EventRegistry):
    moved = Emit(Moved)
    move = Event(request=Moved, ack=Other)
    ping = Event()


def wrong_payloads(sio: Server, asio: AsyncServer, socketio: SocketIO) -> None:
    sio.emit(Api.moved, Other(y=1))  # E: misc
    sio.emit(Api.moved, 3)  # E: misc
    socketio.emit(Api.moved, Other(y=1))  # E: misc
    _ = asio.emit(Api.moved, "x")  # E: misc


def wrong_handlers(sio: Server, asio: AsyncServer, socketio: SocketIO) -> None:
    @sio.on(Api.move)  # E: arg-type
    def returns_none(sid: str, m: Moved) -> None: ...

    @sio.on(Api.move)  # E: arg-type
    def wrong_request(sid: str, m: Other) -> Other:
        return m

    @sio.on(Api.move)  # E: arg-type
    def no_sid(m: Moved) -> Other:
        return Other(y=m.x)

    @asio.on(Api.move)  # E: arg-type
    async def wrong_ack(sid: str, m: Moved) -> Moved:
        return m

    @asio.on(Api.ping)  # E: arg-type
    async def takes_a_request(sid: str, m: Moved) -> None: ...

    @socketio.on(Api.move)  # E: arg-type
    def flask_returns_none(m: Moved) -> None: ...


def wrong_client(client: Client) -> None:
    client.call(Api.move, Other(y=1))  # E: misc

    @client.on(Api.moved)  # E: arg-type
    def moved(m: Other) -> None: ...


def wrong_emitter_calls(emitter: Emitter, aemitter: AsyncEmitter) -> None:
    emitter.emit(Api.moved, Other(y=1))  # E: misc
    _ = aemitter.emit(Api.moved, 3)  # E: misc


class NotYourTurn(msgspec.Struct, tag="not_your_turn"):
    expected: str


def wrong_rejections(client: Client) -> None:
    try:
        client.call(Api.move, Moved(x=1))
    except Rejected[NotYourTurn] as e:
        print(e.data.wrong)  # E: attr-defined
        e.data.expected = 1  # E: assignment
    Event(request=Moved, errors=[int])  # E: list-item
    raise Reject(NotYourTurn(expected="X"), 3)  # E: arg-type
