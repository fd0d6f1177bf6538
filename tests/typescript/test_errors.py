"""Declared errors in the TypeScript contract: tsc narrows an ack on `error.code` through
the shipped `isError` guard (and refuses misreadings), and node's socket.io-client,
compiled with the contract, receives a real server's `Reject` as the declared envelope."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from examples.tictactoe.api import TicTacToe
from sioschema import typescript
from tests.servers import serve_asgi
from tests.typescript.rejecting import Referee, create_app
from tests.typescript.test_node_client import node
from tests.typescript.test_tsc import _line_of
from tests.typescript.tsc import STRICT, STRICTEST, diagnostics, project, tsc

CLIENT = Path(__file__).with_name("rejecting_client.ts")
BUILD = ("--strict", "--module", "nodenext", "--target", "es2022", "--outDir", "out")


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return project(
        tmp_path_factory.mktemp("rejecting"),
        {
            "contract.ts": typescript.render(Referee),
            "client.ts": CLIENT.read_text(encoding="utf-8"),
        },
    )


def test_the_guard_ships_only_with_declared_errors() -> None:
    assert "export function isError<T>(" in typescript.render(Referee)
    assert "export function" not in typescript.render(TicTacToe)  # types only, a .d.ts too


def test_the_contract_compiles_under_the_strictest_flags(root: Path) -> None:
    done = tsc(root, *STRICTEST, "contract.ts")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_the_client_narrows_on_the_code(root: Path) -> None:
    done = tsc(root, *STRICT, "client.ts")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


MISTAKES = {
    "wrong field of a declared error's data": (
        "return { expected: res.error.data.expected, envelope: res };",
        "return { expected: res.error.data.winner, envelope: res };",
        [
            (
                "expected: res.error.data.winner",
                "TS2339",
                "Property 'winner' does not exist on type 'NotYourTurn'.",
            )
        ],
    ),
    "undeclared code": (
        'case "game_over":',
        'case "game_ovre":',
        [
            (
                'case "game_ovre":',
                "TS2678",
                "Type '\"game_ovre\"' is not comparable to type "
                '\'"game_over" | "not_your_turn" | ErrorCode\'.',
            ),
            ("winner: res.error.data.winner", "TS2339", "Property 'data' does not exist"),
        ],
    ),
    "undeclared code compared": (
        "switch (res.error.code) {",
        'if (res.error.code === "oops") throw res;\n    switch (res.error.code) {',
        [
            (
                'res.error.code === "oops"',
                "TS2367",
                "This comparison appears to be unintentional because the types ",
            )
        ],
    ),
    "own error field read as an error reply": (
        "const ack: MoveAck = res;",
        "const ack: MoveAck = res;\n  const wrong: string = ack.error.code;",
        [
            ("ack.error.code", "TS18047", "'ack.error' is possibly 'null'."),
            ("ack.error.code", "TS2339", "Property 'code' does not exist on type 'string'."),
        ],
    ),
    "emit answered with an undeclared code": (
        'ack({ error: { code: "not_your_turn"',
        'ack({ error: { code: "game_over"',
        [('ack({ error: { code: "game_over"', "TS2322", "Type '\"game_over\"' is not ")],
    ),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_misreadings_are_compile_errors(mistake: str, root: Path) -> None:
    old, new, expected = MISTAKES[mistake]
    good = CLIENT.read_text(encoding="utf-8")
    assert good.count(old) == 1, old
    source = good.replace(old, new)
    name = "mistake_" + mistake.replace(" ", "_").replace("'", "") + ".ts"
    (root / name).write_text(source, encoding="utf-8")
    done = tsc(root, *STRICT, name)
    assert done.returncode != 0
    found = [(f, line, code, text) for f, line, code, text in diagnostics(done.stdout)]
    assert len(found) == len(expected), done.stdout
    for (f, line, code, text), (where, want_code, start) in zip(found, expected, strict=True):
        assert (f, line, code) == (name, _line_of(source, where), want_code), done.stdout
        assert text.startswith(start), text


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serve_asgi(create_app()) as (found, _loop):
        yield found


def test_node_receives_the_declared_envelope(root: Path, url: str) -> None:
    done = tsc(root, *BUILD, "client.ts")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    out = json.loads(node(root / "out" / "client.js", url).strip().splitlines()[-1])
    ok, turn, over, invalid = out
    assert ok == {"ok": True, "note": "a note, not an error"}  # its own `error` is no error
    assert turn == {
        "expected": "X",
        "envelope": {
            "error": {
                "code": "not_your_turn",
                "message": "It is the other player's turn.",
                "path": None,
                "event": "play",
                "data": {"type": "not_your_turn", "expected": "X"},
            }
        },
    }
    assert over == {
        "winner": "X",
        "envelope": {
            "error": {
                "code": "game_over",
                "message": "X has won",
                "path": None,
                "event": "play",
                "data": {"type": "game_over", "winner": "X"},
            }
        },
    }
    assert invalid["protocol"] == "invalid_payload"
    assert invalid["envelope"]["error"]["code"] == "invalid_payload"
    assert "data" not in invalid["envelope"]["error"]
