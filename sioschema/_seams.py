"""Every name of python-socketio and Flask-SocketIO that sioschema relies on beyond their
documented API, in one list.

The adapters (:mod:`sioschema.socketio`, :mod:`sioschema.flask`) override or call these;
upstream may rename or reshape any of them in a minor release. :func:`check` compares the
list with the installed releases and is run when an adapter is imported, so a mismatch
stops the application at start-up with a message naming the seam, instead of showing up
as wrong behaviour later; the test suite runs the same check (and a test keeps this list
complete: a private name the adapters use that is not listed here fails it).

Each entry is ``(owner, name, parameters)``: ``owner`` a dotted path, ``parameters`` the
names sioschema passes, in order, or ``None`` for an attribute that is not called. A seam
holds when the attribute exists and its leading parameters are exactly these (upstream
may add parameters after them, with defaults).
"""

from __future__ import annotations

import importlib
import inspect
from importlib.metadata import PackageNotFoundError, version
from typing import Any, NamedTuple

__all__ = ["SEAMS", "Seam", "SeamError", "check"]


class Seam(NamedTuple):
    """One upstream name sioschema relies on."""

    owner: str
    """Dotted path of the class (or module) that defines it."""
    name: str
    parameters: tuple[str, ...] | None
    """The parameters sioschema passes (``self`` included), or ``None`` if not called."""
    why: str


_SERVER_METHODS = (
    # overridden: every Engine.IO message goes through the protocol core first
    (
        "_handle_eio_message",
        ("self", "eio_sid", "data"),
        "hand every frame to the protocol core and carry out its actions",
    ),
    (
        "_handle_eio_disconnect",
        ("self", "eio_sid", "reason"),
        "forget the state of a closed connection",
    ),
    (
        "_handle_connect",
        ("self", "eio_sid", "namespace", "data"),
        "refuse a connection whose connect handler raised",
    ),
    # called
    (
        "_trigger_event",
        ("self", "event", "namespace"),
        "run the handler of a delivered event (function, catch-all or namespace class)",
    ),
    (
        "_handle_disconnect",
        ("self", "eio_sid", "namespace", "reason"),
        "pass on a screened DISCONNECT",
    ),
    ("_handle_ack", ("self", "eio_sid", "namespace", "id", "data"), "pass on a screened ACK"),
    ("_send_packet", ("self", "eio_sid", "pkt"), "send acks, error replies and refusals"),
    ("_get_event_handler", ("self", "event", "namespace", "args"), "find the handler of an event"),
    (
        "_get_namespace_handler",
        ("self", "namespace", "args"),
        "find the class-based namespace of an event",
    ),
)

_CLIENT_METHODS = (
    # overridden (sioschema.client)
    (
        "_handle_eio_message",
        ("self", "data"),
        "hand every frame from the server to the protocol core",
    ),
    ("_handle_eio_disconnect", ("self", "reason"), "forget the state of a closed connection"),
    # called
    ("_trigger_event", ("self", "event", "namespace"), "run the handler of a delivered emit"),
    ("_handle_connect", ("self", "namespace", "data"), "pass on a screened CONNECT"),
    ("_handle_disconnect", ("self", "namespace"), "pass on a screened DISCONNECT"),
    ("_handle_error", ("self", "namespace", "data"), "pass on a screened CONNECT_ERROR"),
    ("_handle_ack", ("self", "namespace", "id", "data"), "pass on a screened ACK"),
    ("_send_packet", ("self", "pkt"), "send acks to the server's calls"),
)

SEAMS: tuple[Seam, ...] = (
    *(Seam("socketio.Server", name, params, why) for name, params, why in _SERVER_METHODS),
    *(Seam("socketio.AsyncServer", name, params, why) for name, params, why in _SERVER_METHODS),
    *(Seam("socketio.Client", name, params, why) for name, params, why in _CLIENT_METHODS),
    *(Seam("socketio.AsyncClient", name, params, why) for name, params, why in _CLIENT_METHODS),
    Seam(
        "socketio.Client",
        "callbacks",
        None,
        "check that an ack id is one the client waits for (callbacks[namespace][id])",
    ),
    Seam(
        "socketio.Server",
        "reason",
        None,
        "give a screened DISCONNECT its reason (reason.CLIENT_DISCONNECT)",
    ),
    Seam(
        "socketio.AsyncServer", "reason", None, "give a screened DISCONNECT its reason, on asyncio"
    ),
    Seam(
        "socketio.packet.Packet",
        "reconstruct_binary",
        ("data", "attachments"),
        "rebuild a binary packet from its attachments",
    ),
    Seam(
        "socketio.packet.Packet",
        "data_is_binary",
        ("data",),
        "find binary data faster (CodecPacket overrides it)",
    ),
    Seam(
        "socketio.packet.Packet",
        "json",
        None,
        "encode and decode packets with msgspec (CodecPacket sets it)",
    ),
    Seam(
        "socketio.base_manager.BaseManager",
        "sid_from_eio_sid",
        ("self", "eio_sid", "namespace"),
        "check that the sender of a frame is connected",
    ),
    Seam(
        "socketio.base_manager.BaseManager",
        "is_connected",
        ("self", "sid", "namespace"),
        "check that the sender of a frame is connected",
    ),
    Seam(
        "socketio.base_manager.BaseManager",
        "pre_disconnect",
        ("self", "sid", "namespace"),
        "undo a half-made connection",
    ),
    Seam(
        "socketio.manager.Manager",
        "disconnect",
        ("self", "sid", "namespace"),
        "undo a half-made connection",
    ),
    Seam(
        "socketio.async_manager.AsyncManager",
        "disconnect",
        ("self", "sid", "namespace"),
        "undo a half-made connection, on asyncio",
    ),
    Seam(
        "socketio.base_manager.BaseManager",
        "callbacks",
        None,
        "check that an ack id is one the server waits for (manager.callbacks[sid][id])",
    ),
    Seam("socketio.WSGIApp", "engineio_app", None, "find the server behind a WSGIApp (docs pages)"),
    Seam(
        "socketio.ASGIApp",
        "engineio_server",
        None,
        "find the server behind an ASGIApp (docs pages)",
    ),
    # the write-only emitters (sioschema.emitter)
    Seam(
        "socketio.pubsub_manager.PubSubManager",
        "_publish",
        ("self", "data"),
        "tell a published emit from one the message queue dropped (Emitter.emit)",
    ),
    Seam(
        "socketio.async_pubsub_manager.AsyncPubSubManager",
        "_publish",
        ("self", "data"),
        "tell a published emit from one the message queue dropped (AsyncEmitter.emit)",
    ),
    Seam(
        "flask_socketio.SocketIO",
        "server_options",
        None,
        "tell whether the app passed its own serializer=",
    ),
    Seam(
        "flask_socketio.SocketIO",
        "server",
        None,
        "switch the plain socketio.Server init_app builds to sioschema's Server in place",
    ),
)
"""Every seam, in the order the adapters meet them."""


class SeamError(ImportError):
    """An installed python-socketio or Flask-SocketIO lacks a seam sioschema relies on."""


_DISTRIBUTIONS = {"socketio": "python-socketio", "flask_socketio": "Flask-SocketIO"}


def _resolve(path: str) -> Any:
    module, _, rest = path.partition(".")
    obj: Any = importlib.import_module(module)
    for part in rest.split(".") if rest else ():
        obj = getattr(obj, part, None)
        if obj is None:
            obj = importlib.import_module(f"{module}.{part}")
        module = f"{module}.{part}"
    return obj


def _instance(owner: str) -> Any:
    """An object of ``owner`` built the cheapest way, for attributes set in ``__init__``."""
    cls = _resolve(owner)
    if owner in ("socketio.WSGIApp", "socketio.ASGIApp"):
        server = _resolve(
            "socketio.Server" if owner == "socketio.WSGIApp" else "socketio.AsyncServer"
        )
        return cls(server())
    return cls()


def _broken(seam: Seam, instances: bool) -> str | None:
    """What is wrong with one seam in the installed releases, or ``None``."""
    try:
        owner = _resolve(seam.owner)
    except (ImportError, AttributeError):
        return f"`{seam.owner}` does not exist"
    if not hasattr(owner, seam.name) and not (
        seam.parameters is None and (not instances or hasattr(_instance(seam.owner), seam.name))
    ):
        return f"`{seam.owner}.{seam.name}` does not exist"
    if seam.parameters is None:
        return None
    try:
        found = inspect.signature(getattr(owner, seam.name))
    except (TypeError, ValueError):
        return f"`{seam.owner}.{seam.name}` has no readable signature"
    params = list(found.parameters.values())
    names = tuple(p.name for p in params[: len(seam.parameters)])
    extra = params[len(seam.parameters) :]
    if names != seam.parameters or any(
        p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        for p in extra
    ):
        expected = ", ".join(seam.parameters)
        bare = found.replace(
            parameters=[p.replace(annotation=p.empty) for p in params],
            return_annotation=found.empty,
        )
        return f"`{seam.owner}.{seam.name}{bare}` is not `({expected}, ...)`"
    return None


def _release(owner: str) -> str:
    dist = _DISTRIBUTIONS.get(owner.partition(".")[0], owner)
    try:
        return f"{dist} {version(dist)}"
    except PackageNotFoundError:  # pragma: no cover - imported, so installed
        return dist


def check(*packages: str, instances: bool = False) -> None:
    """Check the seams of the given top-level packages (``"socketio"``, ``"flask_socketio"``).

    Attributes set in an upstream ``__init__`` are checked only with ``instances=True``
    (that builds a server: the test suite does, an adapter's import does not).
    Raises :class:`SeamError` naming every seam the installed releases break, the
    release, and what sioschema used it for.
    """
    problems = [
        f"  - {problem} ({_release(seam.owner)}); sioschema uses it to {seam.why}"
        for seam in SEAMS
        if seam.owner.partition(".")[0] in packages
        for problem in [_broken(seam, instances)]
        if problem is not None
    ]
    if problems:
        msg = (
            "sioschema relies on names of python-socketio / Flask-SocketIO that the "
            "installed releases do not have as expected:\n"
            + "\n".join(problems)
            + "\nInstall the releases sioschema supports (see its 'Supported versions' docs)."
        )
        raise SeamError(msg)
