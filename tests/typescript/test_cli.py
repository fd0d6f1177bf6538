"""``python -m sioschema typescript``, as a process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from examples.tictactoe.api import TicTacToe
from sioschema import typescript
from tests.asyncapi import tricky

ROOT = Path(__file__).parents[2]
DEMO = "examples.tictactoe.api:TicTacToe"


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sioschema", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_stdout() -> None:
    done = cli("typescript", DEMO)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == typescript.render(TicTacToe)


def test_a_first_namespace_of_emits_only() -> None:
    """Its namespace has no error ack: the error types come from the error event."""
    from tests.typescript.corners import Bulletin, Shapes

    done = cli("typescript", "tests.typescript.corners:Bulletin", "tests.typescript.corners:Shapes")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == typescript.render([Bulletin, Shapes])
    assert "export interface ErrorAck {" in done.stdout


def test_several_registries_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "contract.ts"
    done = cli(
        "typescript",
        "tests.asyncapi.tricky:Game",
        "tests.asyncapi.tricky:Chat",
        "--error-event",
        "oops",
        "--output",
        str(out),
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    expected = typescript.render([tricky.Game, tricky.Chat], error_event="oops")
    assert out.read_text(encoding="utf-8") == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nocolon",), "'nocolon': expected MODULE:REGISTRY, e.g. game.api:TicTacToe"),
        (
            ("examples.tictactoe.api:MakeMove",),
            "'examples.tictactoe.api:MakeMove': MakeMove is not an EventRegistry subclass",
        ),
        (
            (DEMO, DEMO),
            "TicTacToe and TicTacToe both declare namespace `/`; one registry per namespace",
        ),
        (
            (DEMO, "--error-event", "connect"),
            "error_event must be a non-empty event name that Socket.IO does not reserve "
            "(got 'connect')",
        ),
        (
            (DEMO, "--output", "/nonexistent/dir/contract.ts"),
            "cannot write /nonexistent/dir/contract.ts: No such file or directory",
        ),
    ],
)
def test_errors_exit_1_without_traceback(args: tuple[str, ...], message: str) -> None:
    done = cli("typescript", *args)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"sioschema: error: {message}\n"


@pytest.mark.parametrize("args", [("typescript",), ("typescript", DEMO, "--format", "json")])
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    done = cli(*args)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("usage: sioschema")
    assert "Traceback" not in done.stderr
