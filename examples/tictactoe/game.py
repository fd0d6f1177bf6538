"""Tic-tac-toe rules, free of any server."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from typing import Literal

Mark = Literal["X", "O"]

LINES: tuple[tuple[tuple[int, int], ...], ...] = (
    *(tuple((x, y) for x in range(3)) for y in range(3)),  # rows
    *(tuple((x, y) for y in range(3)) for x in range(3)),  # columns
    ((0, 0), (1, 1), (2, 2)),  # diagonal
    ((2, 0), (1, 1), (0, 2)),  # anti-diagonal
)


class MoveError(Exception):
    """A move that the rules refuse; the message is shown to the player."""


@dataclass
class Game:
    game_id: int
    players: dict[str, Mark] = field(default_factory=dict)
    board: list[list[Literal["X", "O", ""]]] = field(
        default_factory=lambda: [["", "", ""] for _ in range(3)]
    )
    turn: Mark | None = "X"  # None once the game is over
    winner: Mark | None = None
    moves: int = 0

    @property
    def over(self) -> bool:
        return self.winner is not None or self.moves == 9

    def play(self, player: str, x: int, y: int) -> Mark:
        """Play ``player``'s move at column ``x``, row ``y``; return the mark placed."""
        if self.over:
            msg = "the game is over"
            raise MoveError(msg)
        mark = self.players.get(player)
        if mark is None:
            if len(self.players) >= 2:
                msg = "you are not a player of this game"
                raise MoveError(msg)
            mark = "O" if "X" in self.players.values() else "X"
            if mark != self.turn:
                msg = "not your turn"
                raise MoveError(msg)
            self.players[player] = mark
        if mark != self.turn:
            msg = "not your turn"
            raise MoveError(msg)
        if self.board[y][x]:
            msg = "that cell is taken"
            raise MoveError(msg)
        self.board[y][x] = mark
        self.moves += 1
        if any(all(self.board[cy][cx] == mark for cx, cy in line) for line in LINES):
            self.winner = mark
        self.turn = None if self.over else ("O" if mark == "X" else "X")
        return mark


class Games:
    """All games of one server process (thread-safe)."""

    def __init__(self) -> None:
        self._games: dict[int, Game] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def create(self, creator: str) -> Game:
        with self._lock:
            game = Game(next(self._ids), players={creator: "X"})
            self._games[game.game_id] = game
            return game

    def play(self, game_id: int, player: str, x: int, y: int) -> tuple[Game, Mark]:
        with self._lock:
            game = self._games.get(game_id)
            if game is None:
                msg = f"no game {game_id}"
                raise MoveError(msg)
            return game, game.play(player, x, y)
