"""The demo's docs page in headless Chromium, with every request off 127.0.0.1 blocked.

Screenshots (desktop, full page; phone, first screen) are written to
``test-artifacts/docs-<server>-*.png`` for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.node import run_node
from tests.servers import serve_asgi, serve_wsgi

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
EVENTS = [
    "create_game",
    "make_move",
    "game_created",
    "move_made",
    "game_won",
    "game_drawn",
    "error",
]


def chromium() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail("Chromium is required for the docs page test (Debian package `chromium`)")
    return found


@pytest.fixture(scope="module", params=["flask", "asgi"])
def page(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    browser = chromium()
    if request.param == "flask":
        from examples.tictactoe.flask_app import create_app as create_flask

        app, _ = create_flask(async_mode="threading")
        server = serve_wsgi(app)
    else:
        from examples.tictactoe.asgi_app import create_app as create_asgi

        asgi, _ = create_asgi()
        server = serve_asgi(asgi)
    shots = ARTIFACTS / f"docs-{request.param}"
    shots.mkdir(parents=True, exist_ok=True)
    with server as started:
        url = started if isinstance(started, str) else started[0]
        yield run_node(
            "docs_page.mjs",
            f"{url}/asyncapi",
            str(shots),
            timeout=90,
            env={"CHROMIUM": browser},
        )


def test_page_loads_offline_without_errors(page: dict[str, Any]) -> None:
    assert page["consoleErrors"] == []
    assert page["pageErrors"] == []
    assert page["blocked"] == []  # nothing but the server itself was asked for
    assert page["views"]["desktop"]["status"] == 200
    assert page["views"]["desktop"]["title"] == "Tic-Tac-Toe API 1.0.0"


def test_every_event_with_an_anchor(page: dict[str, Any]) -> None:
    view = page["views"]["desktop"]
    assert [name for name in view["events"] if name in EVENTS] == EVENTS
    assert view["anchors"][: len(EVENTS)] == [
        "root.on_create_game",
        "root.on_make_move",
        "root.send_game_created",
        "root.send_move_made",
        "root.send_game_won",
        "root.send_game_drawn",
        "root.send_error",
    ]
    assert "schema-MakeMove" in view["anchors"]


def test_schema_fields_and_document_links(page: dict[str, Any]) -> None:
    view = page["views"]["desktop"]
    assert {"game_id", "x", "y", "ok", "board", "winner"} <= set(view["fields"])
    assert {"code", "message", "path", "event"} <= set(view["fields"])  # the error object
    assert "/asyncapi.json" in view["links"]
    assert "/asyncapi.yaml" in view["links"]


def test_fits_a_phone(page: dict[str, Any]) -> None:
    assert page["views"]["phone"]["overflowX"] is False
    assert page["views"]["phone"]["events"] == page["views"]["desktop"]["events"]
