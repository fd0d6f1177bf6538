"""The demo, played by the official ``socket.io-client`` npm package under node."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.node import node_modules, run_node
from tests.servers import serve_demo


@pytest.fixture(scope="module", params=["flask", "asgi"])
def demo_url(request: pytest.FixtureRequest) -> Iterator[str]:
    node_modules()
    with serve_demo(request.param) as url:
        yield url


def play(url: str) -> dict[str, Any]:
    out: dict[str, Any] = run_node("tictactoe.mjs", url)
    return out


def err(code: str, message: str, path: str | None, event: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "path": path, "event": event}}


def test_play_a_game_to_a_win(demo_url: str) -> None:
    out = play(demo_url)
    empty = [["", "", ""], ["", "", ""], ["", "", ""]]
    game_id = out["created"]["game_id"]
    assert out["created"] == {"game_id": game_id, "board": empty, "turn": "X"}
    assert out["createdEvent"] == out["created"]
    assert out["notYourTurn"] == {"ok": False, "error": "not your turn"}
    assert out["acks"] == [{"ok": True, "error": None}] * 5
    assert out["occupied"] == {"ok": False, "error": "that cell is taken"}
    board = [["X", "O", ""], ["X", "O", ""], ["X", "", ""]]
    assert out["lastMove"] == {
        "game_id": game_id,
        "x": 0,
        "y": 2,
        "mark": "X",
        "board": board,
        "turn": None,  # nobody plays after the winning move
    }
    # O sees every move, X's first one too (every client sees every game)
    assert [(m["x"], m["y"], m["turn"]) for m in out["oMoves"]] == [
        (0, 0, "O"),
        (1, 0, "X"),
        (0, 1, "O"),
        (1, 1, "X"),
        (0, 2, None),
    ]
    assert out["won"] == {"game_id": game_id, "winner": "X", "board": board}
    assert out["afterWin"] == {"ok": False, "error": "the game is over"}
    assert out["unknownGame"] == {"ok": False, "error": "no game 999"}


def test_bad_input_gets_the_error_ack(demo_url: str) -> None:
    out = play(demo_url)
    assert out["badMove"] == err(
        "invalid_payload", "Expected `int` <= 2 - at `$.x`", "$.x", "make_move"
    )
    assert out["badType"] == err(
        "invalid_payload", "Expected `int`, got `str` - at `$.x`", "$.x", "make_move"
    )
    assert out["extraField"] == err(
        "invalid_payload", "Object contains unknown field `cheat`", "$", "make_move"
    )
    assert out["unknownEvent"] == err("unknown_event", "Unknown event `resign`", None, "resign")
    assert out["errorEvent"] == err(
        "invalid_payload", "Expected `int` >= 1 - at `$.game_id`", "$.game_id", "make_move"
    )
    assert out["stillConnected"] is True
