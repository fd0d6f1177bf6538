"""The demo client, compiled by tsc, plays a game under node against the demo servers."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from examples.tictactoe.api import TicTacToe
from sioschema import typescript
from tests import programs
from tests.servers import serve_demo
from tests.typescript.tsc import project, tsc

CLIENT = Path(__file__).with_name("tictactoe_client.ts")
DOCS = Path(__file__).parents[2] / "docs" / "clients.md"
DOCS_URL = "http://127.0.0.1:5000"


def docs_example() -> tuple[str, str]:
    """The client of docs/clients.md and the output the page says it prints."""
    page = DOCS.read_text(encoding="utf-8")
    section = page[page.index("### A client that plays the demo") :]
    source = re.search(r"```ts\n(.*?)```", section, re.DOTALL)
    printed = re.search(r"```text\n(.*?)```", section, re.DOTALL)
    assert source is not None and printed is not None
    assert source[1].count(DOCS_URL) == 1
    return source[1], printed[1]


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``client.js``, compiled under ``--strict`` with the demo's contract."""
    root = project(
        tmp_path_factory.mktemp("node-client"),
        {
            "contract.ts": typescript.render(TicTacToe),
            "client.ts": CLIENT.read_text(encoding="utf-8"),
        },
    )
    done = tsc(
        root,
        "--strict",
        "--module",
        "nodenext",
        "--target",
        "es2022",
        "--outDir",
        "out",
        "client.ts",
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    return root / "out" / "client.js"


@pytest.fixture(scope="module", params=["flask", "asgi"])
def demo_url(request: pytest.FixtureRequest) -> Iterator[str]:
    with serve_demo(request.param) as url:
        yield url


def node(script: Path, *args: str) -> str:
    """Run a compiled script; return what it printed."""
    found = programs.require("node", programs.NODE, "the TypeScript client tests run under node")
    done = subprocess.run(
        [found, str(script), *args],
        cwd=script.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, ""), done.stdout
    return done.stdout


def run(script: Path, url: str) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(node(script, url).strip().splitlines()[-1])
    return out


def test_the_compiled_client_finishes_a_game(compiled: Path, demo_url: str) -> None:
    assert demo_url.startswith("http://127.0.0.1:")
    out = run(compiled, demo_url)
    board = [["X", "O", ""], ["X", "O", ""], ["X", "", ""]]
    assert out == {
        "id": out["id"],
        "turn": "X",
        "acks": [True] * 5,
        "moves": 5,
        "last": {"game_id": out["id"], "x": 0, "y": 2, "mark": "X", "board": board, "turn": None},
        "winner": "X",
        "refusedCode": "invalid_payload",
        "errors": [],
    }
    assert isinstance(out["id"], int)


def test_the_docs_example(demo_url: str, tmp_path: Path) -> None:
    """docs/clients.md's client, compiled with the page's command, prints what the page
    says (against a demo on another port than the page's 5000)."""
    source, printed = docs_example()
    root = project(
        tmp_path,
        {
            "contract.ts": typescript.render(TicTacToe),
            "client.ts": source.replace(DOCS_URL, demo_url),
        },
    )
    done = tsc(
        root,
        "--strict",
        "--module",
        "nodenext",
        "--target",
        "es2022",
        "--outDir",
        "out",
        "client.ts",
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert node(root / "out" / "client.js") == printed
