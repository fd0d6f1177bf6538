"""A registry whose events declare application errors, and a server whose handler
rejects with them: the TypeScript contract's error types and ``isError`` guard."""

from __future__ import annotations

from typing import Literal

import msgspec

from sioschema import Emit, Event, EventRegistry, Reject
from sioschema.socketio import ASGIApp, AsyncServer


class NotYourTurn(msgspec.Struct, tag="not_your_turn"):
    """It is the other player's turn."""

    expected: Literal["X", "O"]


class GameOver(msgspec.Struct, tag="game_over"):
    """The game is over."""

    winner: str | None


class Move(msgspec.Struct):
    mark: str


class MoveAck(msgspec.Struct):
    """An ack with an ``error`` field of its own, which is no error reply."""

    ok: bool
    error: str | None


class Referee(EventRegistry, namespace="/referee", errors=[GameOver]):
    """Every event may answer ``game_over``; ``play`` and ``ask`` ``not_your_turn`` too."""

    play = Event(request=Move, ack=MoveAck, errors=[NotYourTurn])
    ask = Emit(Move, ack=MoveAck, errors=[NotYourTurn])
    told = Emit(Move, ack=MoveAck)


def create_app() -> ASGIApp:
    """``play`` accepts ``X`` (with a note in the ack's own ``error``), rejects ``O``
    with ``not_your_turn`` and ``done`` with ``game_over``."""
    sio = AsyncServer(async_mode="asgi", registry=Referee)

    @sio.on(Referee.play)
    async def play(sid: str, move: Move) -> MoveAck:
        if move.mark == "O":
            raise Reject(NotYourTurn(expected="X"))
        if move.mark == "done":
            raise Reject(GameOver(winner="X"), "X has won")
        return MoveAck(ok=True, error="a note, not an error")

    return ASGIApp(sio)
