"""The python-socketio / python-engineio / Flask-SocketIO names sioschema relies on: all
listed, all present.

An upstream release that renames or reshapes one fails here, naming the seam.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import Any

import engineio
import flask_socketio
import pytest
import socketio
from socketio import async_pubsub_manager, base_manager, packet

from sioschema import SioSchemaError, _seams

PACKAGE = Path(_seams.__file__).parent
_UPSTREAM_PACKAGES = {"socketio", "engineio", "flask_socketio"}


def _imports_upstream(path: Path) -> bool:
    """Whether a module of the package imports python-socketio, python-engineio or
    Flask-SocketIO (then it is an adapter module, whose upstream names are checked)."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found = {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found = {node.module.partition(".")[0]}
        else:
            continue
        if found & _UPSTREAM_PACKAGES:
            return True
    return False


# every module that imports an upstream package, so a new adapter module is checked too
ADAPTERS = sorted(path for path in PACKAGE.rglob("*.py") if _imports_upstream(path))
assert PACKAGE / "socketio.py" in ADAPTERS and PACKAGE / "flask.py" in ADAPTERS
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
    socketio.RedisManager,
    socketio.AsyncRedisManager,
    socketio.KombuManager,
    base_manager.BaseManager,
    engineio.Server,
    engineio.AsyncServer,
    engineio.Client,
    engineio.AsyncClient,
    flask_socketio.SocketIO,
]
# names the adapters read only off sioschema's own objects, that an upstream object
# happens to carry too
OWN_NAMES = {
    "sid": "the core's actions (action.sid); the typed clients never read Client.sid",
    "url": "DocsPages.url; the emitters never read a manager's url",
}


def test_installed_releases_have_every_seam() -> None:
    _seams.check("socketio", "engineio", "flask_socketio", instances=True)


def _names_used(path: Path) -> set[str]:
    """Attribute names read (``obj.name``, ``getattr(obj, "name", ...)``) and method names
    defined in an adapter module."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr", "setattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            names.add(node.args[1].value)
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


def _upstream_objects() -> list[Any]:
    """One object of every upstream class the adapters read attributes off."""
    return [
        socketio.Server(),
        socketio.AsyncServer(),
        socketio.Client(),
        socketio.AsyncClient(),
        socketio.WSGIApp(socketio.Server()),
        socketio.ASGIApp(socketio.AsyncServer()),
        packet.Packet(),
        socketio.Manager(),
        socketio.AsyncManager(),
        socketio.PubSubManager(write_only=True),
        async_pubsub_manager.AsyncPubSubManager(write_only=True),
        socketio.RedisManager(write_only=True),
        socketio.AsyncRedisManager(write_only=True),
        socketio.KombuManager(write_only=True),
        engineio.Server(),
        engineio.Client(),
        flask_socketio.SocketIO(),
    ]


def _upstream_attributes() -> set[str]:
    """The public attributes of upstream objects that are not methods: set by their
    constructors, or class attributes and module constants. The API references of
    python-socketio and Flask-SocketIO document methods (and constructor arguments),
    not these."""
    names = {name for name in vars(packet) if name.isupper()}
    for obj in _upstream_objects():
        cls = type(obj)
        names.update(name for name in vars(obj) if not name.startswith("_"))
        names.update(_constants(cls))
        # and those of the classes that group constants (``Server.reason``)
        for name in dir(cls):
            value = getattr(cls, name)
            if inspect.isclass(value) and value.__module__.startswith(("socketio", "engineio")):
                names.update(_constants(value))
    return names


def _constants(cls: type) -> set[str]:
    return {
        name for name in dir(cls) if not name.startswith("_") and not callable(getattr(cls, name))
    }


def _listed() -> set[str]:
    """The names the seams pin, and the class attributes they go through
    (``reason`` of ``socketio.Server.reason``)."""
    names = {seam.name for seam in _seams.SEAMS}
    for seam in _seams.SEAMS:
        parent, _, name = seam.owner.rpartition(".")
        if inspect.isclass(_seams._resolve(parent)):
            names.add(name)
    return names


def test_every_upstream_attribute_the_adapters_read_is_a_seam() -> None:
    """Not only private names: ``packet_class``, ``manager.json``, ``pkt.attachment_count``
    are internals too."""
    used = set().union(*(_names_used(path) for path in ADAPTERS))
    assert (used & _upstream_attributes()) - _listed() - set(OWN_NAMES) == set()


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


def test_a_changed_constant_or_keyword_fails_the_check_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def disconnect(self: Any, sid: Any, namespace: Any) -> None: ...

    def init(self: Any, packet_type: Any = 2, data: Any = None, namespace: Any = None) -> None: ...

    monkeypatch.setattr(socketio.KafkaManager, "name", "kafka2")
    monkeypatch.setattr(socketio.Server, "reason", type("reason", (), {}))
    monkeypatch.setattr(socketio.Manager, "disconnect", disconnect)
    monkeypatch.setattr(packet.Packet, "__init__", init)
    with pytest.raises(_seams.SeamError) as caught:
        _seams.check("socketio")
    message = str(caught.value)
    assert "`socketio.KafkaManager.name` is 'kafka2', not 'kafka'" in message
    assert "`socketio.Server.reason.CLIENT_DISCONNECT` does not exist" in message
    assert (
        "`socketio.manager.Manager.disconnect(self, sid, namespace)` is not "
        "`(self, sid, namespace, ignore_queue=, ...)`" in message
    )
    assert (
        "`socketio.packet.Packet.__init__(self, packet_type=2, data=None, namespace=None)` "
        "is not `(self, packet_type, data, namespace, id, binary, encoded_packet, ...)`"
    ) in message


def test_a_seam_newer_than_the_installed_release_is_not_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def seam(since: str) -> _seams.Seam:
        return _seams.Seam("socketio.Server", "not_there", None, "test", since=since)

    monkeypatch.setattr(_seams, "SEAMS", (seam("99.0"),))
    _seams.check("socketio", instances=True)
    monkeypatch.setattr(_seams, "SEAMS", (seam("5.0"),))
    with pytest.raises(_seams.SeamError, match="`socketio.Server.not_there` does not exist"):
        _seams.check("socketio", instances=True)


def test_an_engineio_seam_names_python_engineio(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(engineio.AsyncServer, "disconnect")
    with pytest.raises(_seams.SeamError) as caught:
        _seams.check("engineio")
    assert f"(python-engineio {_seams.version('python-engineio')})" in str(caught.value)


@pytest.mark.parametrize(
    "owner", [socketio.Server, socketio.AsyncServer, socketio.Client, socketio.AsyncClient]
)
def test_a_call_that_no_longer_emits_through_self_emit_is_refused(
    monkeypatch: pytest.MonkeyPatch, owner: type
) -> None:
    """sioschema's ``call()`` relies on upstream's sending through ``self.emit`` (whose
    callback wrapper lets ``call`` raise a failed ack): a ``call`` that does not breaks
    the seam at import, naming it."""

    def call(self: Any, event: str, data: Any = None, **kwargs: Any) -> Any:
        return self._send_packet(event, data)

    monkeypatch.setattr(owner, "call", call)
    with pytest.raises(_seams.SeamError) as caught:
        _seams.check("socketio")
    message = str(caught.value)
    assert f"`socketio.{owner.__name__}.call` does not call `self.emit`" in message
    assert "raise a failed ack in call(): upstream's call() must send through self.emit" in message
    assert isinstance(caught.value, SioSchemaError)
    assert isinstance(caught.value, ImportError)
