"""The bound servers serve the docs page and the documents over real HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
import socketio
import yaml

from sioschema import asyncapi
from tests import apps
from tests.conftest import SERVER_KINDS, Running, run_server


@pytest.fixture(scope="module", params=SERVER_KINDS)
def docs_server(request: pytest.FixtureRequest) -> Iterator[Running]:
    with run_server(request.param, docs_url="/api/docs", error_event="oops") as srv:
        yield srv


def fetch(url: str, method: str = "GET") -> tuple[int, str, bytes]:
    req = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.headers["Content-Type"], exc.read()


def test_json_document(docs_server: Running) -> None:
    status, kind, body = fetch(docs_server.url + "/api/docs.json")
    assert (status, kind) == (200, "application/json")
    expected = asyncapi.render(apps.REGISTRIES, error_event="oops")
    assert json.loads(body) == expected


def test_yaml_document(docs_server: Running) -> None:
    status, kind, body = fetch(docs_server.url + "/api/docs.yaml")
    assert (status, kind) == (200, "application/yaml; charset=utf-8")
    assert yaml.safe_load(body) == asyncapi.render(apps.REGISTRIES, error_event="oops")


def test_html_page(docs_server: Running) -> None:
    status, kind, body = fetch(docs_server.url + "/api/docs")
    assert (status, kind) == (200, "text/html; charset=utf-8")
    page = body.decode()
    assert page == asyncapi.render_html(
        apps.REGISTRIES, error_event="oops", document_url="/api/docs"
    )
    assert '<a href="/api/docs.json">JSON</a>' in page


def test_head_and_other_methods(docs_server: Running) -> None:
    status, _, body = fetch(docs_server.url + "/api/docs.json", method="HEAD")
    assert (status, body) == (200, b"")
    status, _, _ = fetch(docs_server.url + "/api/docs", method="POST")
    assert status == 405


def test_other_paths_are_untouched(docs_server: Running) -> None:
    assert fetch(docs_server.url + "/api/docs/")[0] == 404
    assert fetch(docs_server.url + "/api/doc")[0] == 404
    client = socketio.Client()
    client.connect(docs_server.url, transports=["websocket"], wait_timeout=5)
    try:
        assert client.call("no_args", timeout=5) == 42
    finally:
        client.disconnect()


@pytest.mark.parametrize("kind", SERVER_KINDS)
def test_no_docs_unless_asked(kind: str) -> None:
    with run_server(kind) as srv:
        assert fetch(srv.url + "/asyncapi")[0] == 404
        assert fetch(srv.url + "/asyncapi.json")[0] == 404


def test_docs_url_is_checked() -> None:
    from sioschema.socketio import Server

    with pytest.raises(ValueError, match="docs_url must start with '/'"):
        Server(registry=apps.REGISTRIES, docs_url="asyncapi")
