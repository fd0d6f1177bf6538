"""Type-checked, never run: each line marked ``# E:`` must be a mypy error.

mypy reports a payload of the wrong type for a declared emit as "Cannot infer value of
type parameter P" (the payload type and the Emit disagree), code ``misc``."""

from __future__ import annotations

import msgspec

from sioschema import Emit, EventRegistry
from sioschema.emitter import AsyncEmitter, Emitter
from sioschema.flask import SocketIO
from sioschema.socketio import AsyncServer, Server


class Moved(msgspec.Struct):
    x: int


class Other(msgspec.Struct):
    y: int


class Api(EventRegistry):
    moved = Emit(Moved)


def wrong_payloads(sio: Server, asio: AsyncServer, socketio: SocketIO) -> None:
    sio.emit(Api.moved, Other(y=1))  # E: misc
    sio.emit(Api.moved, 3)  # E: misc
    socketio.emit(Api.moved, Other(y=1))  # E: misc
    _ = asio.emit(Api.moved, "x")  # E: misc


def wrong_emitter_calls(emitter: Emitter, aemitter: AsyncEmitter) -> None:
    emitter.emit(Api.moved, Other(y=1))  # E: misc
    _ = aemitter.emit(Api.moved, 3)  # E: misc
