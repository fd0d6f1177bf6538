"""The demo's docs page in headless Chromium, with every request off 127.0.0.1 blocked.

Screenshots (desktop, full page; phone, first screen) are written to
``test-artifacts/docs-<server>-*.png`` for a person to look at.
"""

from __future__ import annotations

import functools
import os
import subprocess
import tarfile
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests import programs
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
    """``$CHROMIUM``, or the Debian package's ``chromium``."""
    return os.environ.get("CHROMIUM") or programs.require(
        "chromium", "chromium", "the docs page test renders the page in headless Chromium"
    )


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
    """At 390 px nothing is wider than the screen and nothing scrolls sideways: the
    field tables stack their columns."""
    phone = page["views"]["phone"]
    assert phone["overflowX"] is False
    assert phone["overflowing"] == []
    assert phone["events"] == page["views"]["desktop"]["events"]
    assert phone["fields"] == page["views"]["desktop"]["fields"]


def test_code_in_descriptions(page: dict[str, Any]) -> None:
    """Docstrings quote with backticks: the page shows code, not the backticks."""
    for view in page["views"].values():
        assert view["backticks"] == []
        assert {"turn", "null", "error", "code", "path"} <= set(view["descriptionCode"])


VIEWER_PACKAGE = "@asyncapi/react-component@3.2.1"


@pytest.fixture(scope="module")
def viewer_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The official viewer package from the npm registry, served from 127.0.0.1."""
    folder = tmp_path_factory.mktemp("viewer")
    npm = programs.require("npm", "npm", "the viewer test packs the viewer from the npm registry")
    subprocess.run(
        [npm, "pack", VIEWER_PACKAGE, "--silent", "--pack-destination", str(folder)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    (tarball,) = folder.glob("*.tgz")
    with tarfile.open(tarball) as tar:
        tar.extractall(folder, filter="data")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder / "package"))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_official_viewer_when_asked_for(viewer_package: str) -> None:
    """``docs_viewer=`` adds ``/asyncapi/viewer``: the AsyncAPI React component renders
    the served document (loaded here from a local copy of the npm package)."""
    from examples.tictactoe.asgi_app import create_app as create_asgi

    asgi, _ = create_asgi(docs_viewer=viewer_package)
    ARTIFACTS.mkdir(exist_ok=True)
    with serve_asgi(asgi) as (url, _loop):
        out = run_node(
            "viewer.mjs",
            f"{url}/asyncapi/viewer",
            str(ARTIFACTS / "docs-viewer.png"),
            "make_move",
            timeout=90,
            env={"CHROMIUM": chromium()},
        )
    assert out["pageErrors"] == []
    assert out["consoleErrors"] == []
    assert out["blocked"] == []
    assert out["shown"] is True, out.get("waitError")
    assert out["title"] == "Tic-Tac-Toe API"
