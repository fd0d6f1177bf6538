"""What the official ``socket.io-client`` sees on the connect path of sioschema's servers:
emits from a connect handler, refused namespaces, a connect handler that raises."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.adapters.cases import error
from tests.adapters.quiz import BLOB, WELCOMES, serve_greeter
from tests.conftest import SERVER_KINDS, run_server
from tests.node import node_modules, run_node


@pytest.fixture(scope="module", params=["flask", "wsgi", "asgi"])
def greeter_url(request: pytest.FixtureRequest) -> Iterator[str]:
    node_modules()
    with serve_greeter(request.param) as url:
        yield url


def join(url: str, *namespaces: str) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = run_node("connect_path.mjs", url, *namespaces)
    return out


def test_emits_from_the_connect_handler_come_before_connect(greeter_url: str) -> None:
    """The order the typed clients match: socket.io-client delivers the events the
    server sent before its CONNECT first, then its ``connect`` event."""
    out = join(greeter_url, "/", "/match")
    for namespace in ("/", "/match"):
        welcomes = [["welcome", {"n": n}] for n in range(WELCOMES)]
        assert out[namespace] == [*welcomes, ["blob", {"bytes": list(BLOB)}], ["connect"]]


def test_emits_before_a_refused_connect_are_dropped(greeter_url: str) -> None:
    (seen,) = join(greeter_url, "/closed").values()
    assert [entry[0] for entry in seen] == ["connect_error"]


@pytest.mark.parametrize("kind", SERVER_KINDS)
def test_an_unknown_namespace_is_refused_with_the_error_object(kind: str) -> None:
    node_modules()
    with run_server(kind) as running:
        (seen,) = join(running.url, "/nowhere").values()
    message = "Unknown namespace `/nowhere`"
    assert seen == [["connect_error", message, error("unknown_namespace", message, None, "")]]


@pytest.mark.parametrize("kind", SERVER_KINDS)
def test_a_raising_connect_handler_with_always_connect(kind: str) -> None:
    """No "parse error": the error object arrives as an error event, then the DISCONNECT."""
    node_modules()
    with run_server(kind, always_connect=True) as running:
        (seen,) = join(running.url, "/fragile").values()
    assert seen == [
        ["connect"],
        ["error", error("internal_error", "Internal server error", None, "connect")],
        ["disconnect", "io server disconnect"],
    ]
