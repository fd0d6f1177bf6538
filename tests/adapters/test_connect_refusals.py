"""How sioschema's servers refuse a namespace, as python-socketio's own client sees it:
an unknown namespace, and a connect handler that raises with ``always_connect=True``.
(``tests/e2e/test_connect_path.py`` checks the same with socket.io-client.)"""

from __future__ import annotations

import json
import queue
from collections.abc import Iterator
from typing import Any

import pytest
import socketio

from tests.adapters.cases import error
from tests.conftest import SERVER_KINDS, Running, run_server
from tests.rawclient import Raw

TIMEOUT = 5


@pytest.fixture(scope="module", params=SERVER_KINDS)
def always(request: pytest.FixtureRequest) -> Iterator[Running]:
    """A server of each kind with ``always_connect=True``."""
    with run_server(request.param, always_connect=True) as running:
        yield running


def test_an_unknown_namespace_is_refused_with_the_error_object(running: Running) -> None:
    client = socketio.Client()
    refused: queue.Queue[Any] = queue.Queue()
    client.on("connect_error", refused.put, namespace="/nowhere")
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(
            running.url, namespaces=["/nowhere"], transports=["websocket"], wait_timeout=TIMEOUT
        )
    client.disconnect()
    message = "Unknown namespace `/nowhere`"
    assert refused.get(timeout=TIMEOUT) == {
        "message": message,
        "data": error("unknown_namespace", message, None, ""),
    }


def test_a_raising_connect_handler_sends_the_error_then_disconnects(always: Running) -> None:
    """With ``always_connect=True`` the client has its CONNECT before the handler runs:
    it receives the error object as one error event, then a DISCONNECT that carries no
    data (the protocol's DISCONNECT has none), and its other namespaces are unharmed."""
    with Raw(always.url) as raw:
        kind, _ = raw.connect("/fragile")
        assert kind == 0  # CONNECT: always_connect answers before the handler runs
        frame = raw.expect(lambda f: f.startswith("42/fragile,"))
        assert json.loads(frame[len("42/fragile,") :]) == [
            "error",
            error("internal_error", "Internal server error", None, "connect"),
        ]
        assert raw.expect(lambda f: f.startswith("41/fragile")) == "41/fragile,"
        raw.probe()  # "/" is unharmed


def test_python_socketios_client_sees_the_error_of_a_raising_connect_handler(
    always: Running,
) -> None:
    """python-socketio's client gets the error event. (Whether it also runs its
    ``disconnect`` handler is a race inside it: its ``connect()`` marks the client
    connected only after every namespace's CONNECT, and ignores a DISCONNECT read
    before that; stock python-socketio's own refusals meet the same race.)"""
    client = socketio.Client()
    seen: queue.Queue[Any] = queue.Queue()
    client.on("error", lambda data: seen.put(("error", data)), namespace="/fragile")
    client.connect(
        always.url, namespaces=["/", "/fragile"], transports=["websocket"], wait_timeout=TIMEOUT
    )
    try:
        assert seen.get(timeout=TIMEOUT) == (
            "error",
            error("internal_error", "Internal server error", None, "connect"),
        )
        assert client.call("echo_point", {"x": 1, "y": 2}, timeout=TIMEOUT)  # "/" is unharmed
    finally:
        client.disconnect()
