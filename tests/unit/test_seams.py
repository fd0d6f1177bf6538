"""The python-socketio / Flask-SocketIO names sioschema relies on: all listed, all present.

An upstream release that renames or reshapes one fails here, naming the seam.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import flask_socketio
import pytest
import socketio
from socketio import async_pubsub_manager, packet

from sioschema import _seams

PACKAGE = Path(_seams.__file__).parent
ADAPTERS = [
    PACKAGE / "socketio.py",
    PACKAGE / "flask.py",
    PACKAGE / "_codec.py",
    PACKAGE / "client.py",
    PACKAGE / "emitter.py",
]
UPSTREAM = [
    socketio.Server,
    socketio.AsyncServer,
    socketio.Client,
    socketio.AsyncClient,
    socketio.WSGIApp,
    socketio.ASGIApp,
    packet.Packet,
    socketio.Manager,
    socketio.AsyncManager,
    socketio.PubSubManager,
    async_pubsub_manager.AsyncPubSubManager,
    flask_socketio.SocketIO,
]


def test_installed_releases_have_every_seam() -> None:
    _seams.check("socketio", "flask_socketio", instances=True)


def _names_used(path: Path) -> set[str]:
    """Attribute names read and method names defined in an adapter module."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
    return names


def _private_upstream_names() -> set[str]:
    return {
        name
        for cls in UPSTREAM
        for name in dir(cls)
        if name.startswith("_") and not name.startswith("__")
    }


def test_every_private_upstream_name_the_adapters_use_is_a_seam() -> None:
    used = set().union(*(_names_used(path) for path in ADAPTERS))
    unlisted = (used & _private_upstream_names()) - {seam.name for seam in _seams.SEAMS}
    assert unlisted == set()


def test_every_seam_is_used() -> None:
    """No stale entries: each listed name appears in an adapter."""
    used = set().union(*(_names_used(path) for path in ADAPTERS))
    assert {seam.name for seam in _seams.SEAMS} - used == set()


def test_a_reshaped_seam_fails_the_check_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def _send_packet(self: Any, pkt: Any) -> None: ...

    monkeypatch.setattr(socketio.Server, "_send_packet", _send_packet)
    monkeypatch.delattr(socketio.AsyncServer, "_handle_ack")
    with pytest.raises(_seams.SeamError) as caught:
        _seams.check("socketio")
    lines = str(caught.value).splitlines()
    release = f"python-socketio {_seams.version('python-socketio')}"
    assert lines[1:3] == [
        "  - `socketio.Server._send_packet(self, pkt)` is not `(self, eio_sid, pkt, ...)` "
        f"({release}); sioschema uses it to send acks, error replies and refusals",
        "  - `socketio.AsyncServer._handle_ack` does not exist "
        f"({release}); sioschema uses it to pass on a screened ACK",
    ]
    assert isinstance(caught.value, ImportError)


def test_a_missing_instance_attribute_fails_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    init = flask_socketio.SocketIO.__init__

    def without_server_options(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        del self.server_options

    monkeypatch.setattr(flask_socketio.SocketIO, "__init__", without_server_options)
    _seams.check("flask_socketio")  # attributes of instances: not checked on import
    with pytest.raises(_seams.SeamError, match="`flask_socketio.SocketIO.server_options` does"):
        _seams.check("flask_socketio", instances=True)
