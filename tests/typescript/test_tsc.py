"""The TypeScript compiler's verdict: every contract compiles under the strictest flags,
a client that plays the demo compiles under ``--strict``, and mistakes in it do not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from examples.tictactoe.api import TicTacToe
from sioschema import typescript
from tests.asyncapi import tricky
from tests.typescript.corners import Bulletin, Shapes
from tests.typescript.tsc import STRICT, STRICTEST, diagnostics, project, tsc

CLIENT = Path(__file__).with_name("tictactoe_client.ts")
CONTRACTS: dict[str, Any] = {
    "demo": TicTacToe,
    "tricky": [tricky.Game, tricky.Chat],
    "shapes": Shapes,
    "renamed_error_event": ([tricky.Game, tricky.Chat], "oops:error"),
    "emits_only": Bulletin,
    "emits_only_first": [Bulletin, Shapes],
}


@pytest.mark.parametrize("name", CONTRACTS)
def test_contracts_compile_under_the_strictest_flags(name: str, tmp_path: Path) -> None:
    registries, error_event = (
        CONTRACTS[name] if isinstance(CONTRACTS[name], tuple) else (CONTRACTS[name], "error")
    )
    text = typescript.render(registries, error_event=error_event)
    root = project(tmp_path, {"contract.ts": text, "contract.d.ts": text})
    for source in ("contract.ts", "contract.d.ts"):
        done = tsc(root, *STRICTEST, source)
        assert (done.returncode, done.stdout, done.stderr) == (0, "", ""), source


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with the demo's contract and the client that plays it."""
    return project(
        tmp_path_factory.mktemp("demo"),
        {
            "contract.ts": typescript.render(TicTacToe),
            "client.ts": CLIENT.read_text(encoding="utf-8"),
        },
    )


def test_the_demo_client_compiles(demo: Path) -> None:
    done = tsc(demo, *STRICT, "client.ts")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def _line_of(source: str, text: str) -> int:
    lines = [i for i, line in enumerate(source.split("\n"), 1) if text in line]
    assert len(lines) == 1, f"{text!r} is on lines {lines} of the client"
    return lines[0]


# (what is changed, into what, the errors: (text on the line reported, code, message))
MISTAKES = {
    "wrong payload field type": (
        "{ game_id: id, x: 0, y: 0 }",
        '{ game_id: id, x: "0", y: 0 }',
        [('x: "0"', "TS2322", "Type 'string' is not assignable to type 'number'.")],
    ),
    "wrong event name": (
        'x.emitWithAck("make_move", { game_id: id, x: 5, y: 0 })',
        'x.emitWithAck("make_mvoe", { game_id: id, x: 5, y: 0 })',
        [
            (
                "make_mvoe",
                "TS2345",
                "Argument of type '\"make_mvoe\"' is not assignable to parameter of type "
                '\'"create_game" | "make_move"\'.',
            )
        ],
    ),
    "ack misread as another event's ack": (
        'const turn: "X" | "O" = created.turn;',
        "const turn: boolean = created.ok;",
        [("created.ok", "TS2339", "Property 'ok' does not exist on type 'GameCreated'.")],
    ),
    "error ack not handled": (
        "if (isErrorAck(created)) throw new Error(created.error.message);",
        "",
        [
            (
                "created.game_id",
                "TS2339",
                "Property 'game_id' does not exist on type 'ErrorAck | GameCreated'.",
            ),
            (
                "created.turn",
                "TS2339",
                "Property 'turn' does not exist on type 'ErrorAck | GameCreated'.",
            ),
        ],
    ),
    "emitted payload misread": (
        "resolve(end.winner)",
        "resolve(end.mark)",
        [("end.mark", "TS2339", "Property 'mark' does not exist on type 'GameWon'.")],
    ),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_mistakes_in_the_client_are_compile_errors(mistake: str, demo: Path) -> None:
    old, new, expected = MISTAKES[mistake]
    good = CLIENT.read_text(encoding="utf-8")
    assert good.count(old) == 1, old
    source = good.replace(old, new)
    name = "mistake_" + mistake.replace(" ", "_").replace("'", "") + ".ts"
    (demo / name).write_text(source, encoding="utf-8")
    done = tsc(demo, *STRICT, name)
    assert done.returncode != 0
    assert done.stderr == ""
    assert diagnostics(done.stdout) == [
        (name, _line_of(source, where), code, message) for where, code, message in expected
    ], done.stdout
