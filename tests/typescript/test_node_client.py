"""The demo client, compiled by tsc, plays a game under node against the demo servers."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from examples.tictactoe.api import TicTacToe
from sioschema import typescript
from tests.servers import serve_asgi, serve_wsgi
from tests.typescript.tsc import project, tsc

CLIENT = Path(__file__).with_name("tictactoe_client.ts")


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
    if request.param == "flask":
        from examples.tictactoe.flask_app import create_app as create_flask

        app, _ = create_flask(async_mode="threading")
        with serve_wsgi(app) as url:
            yield url
    else:
        from examples.tictactoe.asgi_app import create_app as create_asgi

        asgi, _ = create_asgi()
        with serve_asgi(asgi) as (url, _loop):
            yield url


def run(script: Path, url: str) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is required for the TypeScript client test")
    done = subprocess.run(
        [node, str(script), url],
        cwd=script.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, ""), done.stdout
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
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
        "last": {"game_id": out["id"], "x": 0, "y": 2, "mark": "X", "board": board, "turn": "O"},
        "winner": "X",
        "refusedCode": "invalid_payload",
        "errors": [],
    }
    assert isinstance(out["id"], int)
