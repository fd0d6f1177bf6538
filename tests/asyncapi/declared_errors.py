"""A registry whose events declare application errors: an event's own, a registry-wide
one (every event gets it, after its own), and an emit whose client ack may be an error."""

from __future__ import annotations

from typing import Annotated

import msgspec

from sioschema import Emit, Event, EventRegistry


class NotYourTurn(msgspec.Struct, tag="not_your_turn"):
    """It is the other player's turn.

    Wait for the `turn` emit."""

    expected: Annotated[str, msgspec.Meta(pattern="^[XO]$")]


class GameOver(msgspec.Struct, tag="game_over"):
    """The game has ended."""

    winner: str | None = None


class Maintenance(msgspec.Struct, tag="maintenance", tag_field="kind"):
    """The server is going down for maintenance."""

    until: int


class Busy(msgspec.Struct, tag="busy"):
    pass


class Move(msgspec.Struct):
    """A move."""

    cell: Annotated[int, msgspec.Meta(ge=0, le=8)]


class Board(msgspec.Struct):
    """The board."""

    cells: list[str]


class Game(
    EventRegistry,
    namespace="/game",
    title="Errors API",
    version="1.0.0",
    description="Events that declare application errors.",
    id="urn:example:errors",
    servers={"local": {"host": "localhost:5000", "pathname": "/socket.io/", "protocol": "ws"}},
    contact={"name": "Team", "url": "https://x.test", "email": "team@x.test"},
    license={"name": "MIT"},
    tags=[{"name": "game"}],
    errors=[Maintenance],
):
    confirm = Emit(str, ack=bool, errors=[Busy], description="Ask the player to confirm.")
    make_move = Event(
        request=Move,
        ack=Board,
        errors=[NotYourTurn, GameOver],
        description="Play a cell.",
        emits=[confirm],
    )
    resign = Event(request=None, ack=None, errors=[GameOver])
    # its name is the key an error message of make_move would take: keys stay unique
    odd = Event(name="make_move.error.game_over", request=str)
    ping = Event(request=str, ack=str)
    turn = Emit(str)


class Plain(EventRegistry, namespace="/plain", title="Errors API", version="1.0.0"):
    """No error declared here: renders as it always did."""

    hello = Event(request=str, ack=str)
