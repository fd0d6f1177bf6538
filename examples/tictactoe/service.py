"""What both demo servers do, as typed messages; the servers only add the I/O."""

from __future__ import annotations

from typing import Any

from sioschema import Emit

from .api import GameCreated, GameDrawn, GameWon, MakeMove, MakeMoveAck, MoveMade, TicTacToe
from .game import Game, Games, MoveError


def created(game: Game) -> GameCreated:
    return GameCreated(game_id=game.game_id, board=game.board, turn="X")  # X starts


def make_move(
    games: Games, player: str, move: MakeMove
) -> tuple[MakeMoveAck, list[tuple[Emit[Any, Any], Any]]]:
    """Play a move: the ack for the mover and the emits for every client."""
    try:
        game, mark = games.play(move.game_id, player, move.x, move.y)
    except MoveError as exc:
        return MakeMoveAck(ok=False, error=str(exc)), []
    emits: list[tuple[Emit[Any, Any], Any]] = [
        (
            TicTacToe.move_made,
            MoveMade(
                game_id=game.game_id,
                x=move.x,
                y=move.y,
                mark=mark,
                board=game.board,
                turn=game.turn,
            ),
        )
    ]
    if game.winner is not None:
        emits.append(
            (TicTacToe.game_won, GameWon(game_id=game.game_id, winner=mark, board=game.board))
        )
    elif game.over:
        emits.append((TicTacToe.game_drawn, GameDrawn(game_id=game.game_id, board=game.board)))
    return MakeMoveAck(ok=True), emits
