"""The whole real-time API of the tic-tac-toe demo, declared once."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from sioschema import Emit, Event, EventRegistry

Mark = Literal["X", "O"]
Cell = Literal["X", "O", ""]
Board = Annotated[list[list[Cell]], msgspec.Meta(min_length=3, max_length=3)]
GameId = Annotated[int, msgspec.Meta(ge=1, examples=[1])]


class GameCreated(msgspec.Struct):
    """A new game, waiting for its first move (X starts)."""

    game_id: GameId
    board: Board
    turn: Mark


class MakeMove(msgspec.Struct, forbid_unknown_fields=True):
    """A move by the player whose turn it is."""

    game_id: GameId
    x: Annotated[int, msgspec.Meta(ge=0, le=2, description="Column, 0-2")]
    y: Annotated[int, msgspec.Meta(ge=0, le=2, description="Row, 0-2")]


class MakeMoveAck(msgspec.Struct):
    """Whether the move was played; `error` says why not."""

    ok: bool
    error: str | None = None


class MoveMade(msgspec.Struct):
    """A move was played; `turn` is who plays next, `null` once the game is over."""

    game_id: GameId
    x: int
    y: int
    mark: Mark
    board: Board
    turn: Mark | None


class GameWon(msgspec.Struct):
    """The game ended with three in a row."""

    game_id: GameId
    winner: Mark
    board: Board


class GameDrawn(msgspec.Struct):
    """The board is full with no winner."""

    game_id: GameId
    board: Board


class TicTacToe(
    EventRegistry,
    title="Tic-Tac-Toe API",
    version="1.0.0",
    id="urn:example:sioschema:tictactoe",
    servers={
        "local": {
            "host": "localhost:5000",
            "pathname": "/socket.io",
            "protocol": "ws",
            "description": "The demo server: python -m examples.tictactoe",
        }
    },
    contact={
        "name": "sioschema",
        "url": "https://pypi.org/project/sioschema/",
        "email": "maintainers@example.org",
    },
    license={"name": "MIT", "url": "https://opensource.org/licenses/MIT"},
    tags=[{"name": "game", "description": "Two-player tic-tac-toe games."}],
):
    """Tic-Tac-Toe game API.

    The creator of a game plays X; the first other client to move plays O. Every
    connected client sees every game: its creation, each move and its end.
    """

    # server -> client events
    game_created = Emit(GameCreated, description="Sent to everyone when a game is created.")
    move_made = Emit(MoveMade, description="Sent to everyone after each move.")
    game_won = Emit(GameWon, description="Sent to everyone when a game is won.")
    game_drawn = Emit(GameDrawn, description="Sent to everyone when a game is drawn.")

    # client -> server events
    create_game = Event(
        ack=GameCreated, emits=[game_created], description="Create a game; you play X."
    )
    make_move = Event(
        request=MakeMove,
        ack=MakeMoveAck,
        emits=[move_made, game_won, game_drawn],
        description="Play a move in a game.",
        examples=[MakeMove(game_id=1, x=1, y=1)],
    )
