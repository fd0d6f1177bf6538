"""Every name of python-socketio, python-engineio and Flask-SocketIO that sioschema relies
on beyond their documented API, in one list.

The adapters (:mod:`sioschema.socketio`, :mod:`sioschema.flask`, the typed client and
the emitters) override, call or read these: private methods, and the attributes their
constructors set, which their API references do not document; upstream may rename or
reshape any of them in a minor release. :func:`check` compares the list with the
installed releases and is run when an adapter is imported, so a mismatch stops the
application at start-up with a message naming the seam, instead of showing up as wrong
behaviour later; the test suite runs the same check (and a test keeps this list
complete: a private name, or an attribute of an upstream object, that the adapters use
and is not listed here fails it).

Each entry is ``(owner, name, parameters)``: ``owner`` a dotted path (a class, a module,
or a class attribute such as ``socketio.Server.reason``), ``parameters`` the names
sioschema passes, in order, or ``None`` for an attribute that is not called. A seam
holds when the attribute exists and its leading parameters are exactly these (upstream
may add parameters after them, with defaults). Optional fields: ``keywords``, more
keyword arguments sioschema passes (a named parameter or ``**kwargs`` takes them);
``value``, what a constant must equal; ``since``, the release that added the name
(sioschema does without it before); ``needs``, the client package a manager cannot be
built without (not checked where it is not installed: no such manager can exist).
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import re
from importlib.metadata import PackageNotFoundError, version
from typing import Any, NamedTuple

from .errors import SioSchemaError

__all__ = ["SEAMS", "Seam", "SeamError", "check"]


class Seam(NamedTuple):
    """One upstream name sioschema relies on."""

    owner: str
    """Dotted path of the class (or module) that defines it."""
    name: str
    parameters: tuple[str, ...] | None
    """The parameters sioschema passes (``self`` included), or ``None`` if not called."""
    why: str
    keywords: tuple[str, ...] = ()
    """Keyword arguments sioschema passes beyond ``parameters``."""
    value: object = None
    """What the attribute must equal, for a constant whose value sioschema relies on."""
    since: str | None = None
    """The release that added the name; older releases are not checked for it."""
    needs: str | None = None
    """The module the owner cannot be built without (a message queue's client package):
    where it is not installed, no such object exists and the seam is not checked."""
    calls: str | None = None
    """A method of ``self`` the function must call (its code names it), for an upstream
    method that reaches back into one sioschema overrides."""


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
        "refuse an unknown namespace with the error object, and a connection whose "
        "connect handler raised",
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
)

_CLIENT_METHODS = (
    # overridden (sioschema.client)
    (
        "_handle_eio_message",
        ("self", "data"),
        "hand every frame from the server to the protocol core",
    ),
    ("_handle_eio_disconnect", ("self", "reason"), "forget the state of a closed connection"),
    (
        "_trigger_event",
        ("self", "event", "namespace"),
        "run the handler of a delivered emit; before `connect`, deliver the events held",
    ),
    # called
    ("_handle_connect", ("self", "namespace", "data"), "pass on a screened CONNECT"),
    ("_handle_disconnect", ("self", "namespace"), "pass on a screened DISCONNECT"),
    ("_handle_error", ("self", "namespace", "data"), "pass on a screened CONNECT_ERROR"),
    ("_handle_ack", ("self", "namespace", "id", "data"), "pass on a screened ACK"),
    ("_send_packet", ("self", "pkt"), "send acks to the server's calls"),
)

# attributes the servers' constructors set (base_server), read by both servers
_SERVER_ATTRIBUTES = (
    (
        "packet_class",
        "build packets with the server's serializer and decode a frame of another one",
    ),
    (
        "always_connect",
        "refuse a failed connection as the server accepted it (error event and DISCONNECT, "
        "or CONNECT_ERROR)",
    ),
    ("manager", "answer the core's session questions and undo a half-made connection"),
    (
        "handlers",
        "tell which events have a function handler, by namespace (handlers[namespace][event], "
        "'*' for a catch-all), and which namespaces a client may join",
    ),
    (
        "namespace_handlers",
        "tell which namespaces have a class-based namespace (namespace_handlers[namespace])",
    ),
    ("eio", "close a connection the core refuses (eio.disconnect)"),
    (
        "async_handlers",
        "run a delivered event as a background task when the server does (async_handlers)",
    ),
)

# attributes the clients' constructors set (base_client), read by both typed clients
_CLIENT_ATTRIBUTES = (
    (
        "packet_class",
        "build packets with the client's serializer and decode a frame of another one",
    ),
    ("eio", "close a connection to a server whose frames the core refuses (eio.disconnect)"),
    ("namespaces", "tell the connected namespaces and their sids (namespaces[namespace])"),
    ("handlers", "join every namespace with a handler by default (handlers)"),
    ("namespace_handlers", "join every namespace with a class-based namespace by default"),
    (
        "callbacks",
        "find the callback an ack id waits for on a client (callbacks[namespace][id])",
    ),
)

# ``call()`` is python-socketio's own: sioschema sets a context variable around it and
# relies on it sending through ``self.emit``, whose callback wrapper (``for_call=True``)
# hands a failed ack to ``call`` to raise. Writing ``call`` again would copy upstream's
# waiting (an event or a future per call, its timeout, its message-queue ``ignore_queue``
# handling) for every release; pinning that it goes through ``self.emit`` is one check.
_CALLS_EMIT = (
    "socketio.Server",
    "socketio.AsyncServer",
    "socketio.Client",
    "socketio.AsyncClient",
)

# the packet fields read off a packet another serializer (msgpack, ...) decoded
_PACKET_FIELDS = ("packet_type", "namespace", "id", "data", "attachment_count")

SEAMS: tuple[Seam, ...] = (
    *(Seam("socketio.Server", name, params, why) for name, params, why in _SERVER_METHODS),
    *(Seam("socketio.AsyncServer", name, params, why) for name, params, why in _SERVER_METHODS),
    *(Seam("socketio.Client", name, params, why) for name, params, why in _CLIENT_METHODS),
    *(Seam("socketio.AsyncClient", name, params, why) for name, params, why in _CLIENT_METHODS),
    *(Seam("socketio.Server", name, None, why) for name, why in _SERVER_ATTRIBUTES),
    *(Seam("socketio.AsyncServer", name, None, why) for name, why in _SERVER_ATTRIBUTES),
    *(Seam("socketio.Client", name, None, why) for name, why in _CLIENT_ATTRIBUTES),
    *(Seam("socketio.AsyncClient", name, None, why) for name, why in _CLIENT_ATTRIBUTES),
    *(
        Seam(
            owner,
            "call",
            None,
            "raise a failed ack in call(): upstream's call() must send through self.emit",
            calls="emit",
        )
        for owner in _CALLS_EMIT
    ),
    Seam(
        "socketio.AsyncServer",
        "async_mode",
        None,
        "add the docs pages to the app's routes when attached to aiohttp",
    ),
    Seam(
        "socketio.Server.reason",
        "CLIENT_DISCONNECT",
        None,
        "give a screened DISCONNECT its reason",
    ),
    Seam(
        "socketio.AsyncServer.reason",
        "CLIENT_DISCONNECT",
        None,
        "give a screened DISCONNECT its reason, on asyncio",
    ),
    # Engine.IO under the servers and clients (documented, pinned all the same)
    Seam(
        "engineio.Server",
        "on",
        ("self", "event", "handler"),
        "hand Engine.IO's message and disconnect events to a server adopted from "
        "Flask-SocketIO (eio.on)",
    ),
    Seam("engineio.Server", "disconnect", ("self", "sid"), "close a connection the core refuses"),
    Seam(
        "engineio.AsyncServer",
        "disconnect",
        ("self", "sid"),
        "close a connection the core refuses, on asyncio",
    ),
    Seam(
        "engineio.Client",
        "disconnect",
        ("self",),
        "close the connection to a server whose frames the core refuses",
    ),
    Seam(
        "engineio.AsyncClient",
        "disconnect",
        ("self",),
        "close the connection to a server whose frames the core refuses, on asyncio",
    ),
    # packets
    Seam(
        "socketio.packet.Packet",
        "__init__",
        ("self", "packet_type", "data", "namespace", "id", "binary", "encoded_packet"),
        "build acks, error replies and refusals (binary=False skips the binary search) "
        "and decode a frame of another serializer (encoded_packet=)",
    ),
    *(
        Seam(
            "socketio.packet.Packet",
            name,
            None,
            f"read a packet another serializer (msgpack, ...) decoded (pkt.{name})",
        )
        for name in _PACKET_FIELDS
    ),
    *(
        Seam("socketio.packet", name, None, f"build {name} packets", value=value)
        for name, value in (("EVENT", 2), ("ACK", 3), ("CONNECT_ERROR", 4), ("DISCONNECT", 1))
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
        keywords=("ignore_queue",),
    ),
    Seam(
        "socketio.async_manager.AsyncManager",
        "disconnect",
        ("self", "sid", "namespace"),
        "undo a half-made connection, on asyncio",
        keywords=("ignore_queue",),
    ),
    Seam(
        "socketio.base_manager.BaseManager",
        "callbacks",
        None,
        "find the callback an ack id waits for on a server (manager.callbacks[sid][id])",
    ),
    Seam(
        "socketio.base_manager.BaseManager",
        "json",
        None,
        "tell whether a message-queue manager writes with msgspec (manager.json)",
        since="5.16.1",
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
    *(
        Seam(owner, name, None, why)
        for owner in (
            "socketio.pubsub_manager.PubSubManager",
            "socketio.async_pubsub_manager.AsyncPubSubManager",
        )
        for name, why in (
            ("write_only", "refuse a manager that would also serve clients (manager.write_only)"),
            ("channel", "name the channel in a PublishError and Emitter.channel"),
            ("name", "name the message queue in a PublishError (manager.name)"),
        )
    ),
    Seam(
        "socketio.KafkaManager",
        "name",
        None,
        "tell a Kafka manager, which pickles its messages, from one that writes JSON",
        value="kafka",
    ),
    Seam(
        "socketio.ZmqManager",
        "name",
        None,
        "tell a ZeroMQ manager, which pickles its messages, from one that writes JSON",
        value="zmq",
    ),
    *(
        Seam(owner, name, None, f"release the connection to Redis on close() (manager.{name})")
        for owner in ("socketio.RedisManager", "socketio.AsyncRedisManager")
        for name in ("redis", "connected")
    ),
    Seam(
        "socketio.KombuManager",
        "publisher_connection",
        None,
        "release the connection to the broker on close()",
    ),
    *(
        Seam(
            "socketio.AsyncAioPikaManager",
            name,
            None,
            f"release the connection to the broker on aclose() (manager.{name})",
            needs="aio_pika",
        )
        for name in ("publisher_connection", "publisher_channel", "publisher_exchange")
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


class SeamError(SioSchemaError, ImportError):
    """An installed python-socketio, python-engineio or Flask-SocketIO lacks a seam
    sioschema relies on (an ``ImportError`` too: it is raised when an adapter is
    imported)."""


_DISTRIBUTIONS = {
    "socketio": "python-socketio",
    "engineio": "python-engineio",
    "flask_socketio": "Flask-SocketIO",
}


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


def _numbers(release: str) -> tuple[int, ...]:
    """A release's leading numbers: ``"5.16.1"`` and ``"5.16.1rc1"`` are (5, 16, 1)."""
    found = re.match(r"\d+(?:\.\d+)*", release)
    return tuple(int(part) for part in found.group().split(".")) if found else ()


def _get(seam: Seam, owner: Any, built: dict[str, Any] | None) -> tuple[bool, Any]:
    """Whether ``seam.name`` is on the owner (or, with ``built``, on an object of it),
    and its value."""
    if hasattr(owner, seam.name):
        return True, getattr(owner, seam.name)
    # only a constructor sets attributes a class lacks (not on a module, nor a method)
    set_in_init = inspect.isclass(owner) and owner.__init__ is not object.__init__
    if seam.parameters is not None or not set_in_init:
        return False, None
    if built is None:
        return True, None  # checked with instances=True
    if seam.owner not in built:
        built[seam.owner] = _instance(seam.owner)
    obj = built[seam.owner]
    return hasattr(obj, seam.name), getattr(obj, seam.name, None)


def _skipped(seam: Seam) -> bool:
    """Whether the installed releases need not have the seam: it came in a later
    release (``since``), or its owner cannot exist here (``needs``)."""
    package = seam.owner.partition(".")[0]
    if seam.since is not None and _numbers(version(_DISTRIBUTIONS[package])) < _numbers(seam.since):
        return True
    return seam.needs is not None and importlib.util.find_spec(seam.needs) is None


def _signature_problem(seam: Seam, value: Any) -> str | None:
    """What is wrong with the parameters of a called seam, or ``None``: its leading
    parameters must be ``seam.parameters``, any more must have defaults, and the
    ``seam.keywords`` must be taken."""
    assert seam.parameters is not None
    try:
        found = inspect.signature(value)
    except (TypeError, ValueError):
        return f"`{seam.owner}.{seam.name}` has no readable signature"
    params = list(found.parameters.values())
    names = tuple(p.name for p in params[: len(seam.parameters)])
    extra = params[len(seam.parameters) :]
    takes = {p.name for p in extra if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    required = any(
        p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        for p in extra
    )
    keywords = set(seam.keywords) <= takes or any(p.kind is p.VAR_KEYWORD for p in extra)
    if names == seam.parameters and not required and keywords:
        return None
    expected = ", ".join((*seam.parameters, *(f"{k}=" for k in seam.keywords)))
    bare = found.replace(
        parameters=[p.replace(annotation=p.empty) for p in params],
        return_annotation=found.empty,
    )
    return f"`{seam.owner}.{seam.name}{bare}` is not `({expected}, ...)`"


def _calls_problem(seam: Seam, value: Any) -> str | None:
    """What is wrong with a seam that must call ``self.<seam.calls>``, or ``None``."""
    code = getattr(value, "__code__", None)
    if code is not None and seam.calls in code.co_names:
        return None
    return f"`{seam.owner}.{seam.name}` does not call `self.{seam.calls}`"


def _broken(seam: Seam, built: dict[str, Any] | None) -> str | None:
    """What is wrong with one seam in the installed releases, or ``None``.

    ``built`` caches the objects built to check attributes set in ``__init__``; ``None``
    checks only the attributes of classes and modules.
    """
    if _skipped(seam):
        return None
    try:
        owner = _resolve(seam.owner)
    except (ImportError, AttributeError):
        return f"`{seam.owner}` does not exist"
    try:
        exists, value = _get(seam, owner, built)
    except Exception as exc:  # noqa: BLE001 - reported, naming the seam
        return f"`{seam.owner}()` could not be built to find `{seam.name}`: {exc!r}"
    if not exists:
        return f"`{seam.owner}.{seam.name}` does not exist"
    if seam.value is not None and value is not None and value != seam.value:
        return f"`{seam.owner}.{seam.name}` is {value!r}, not {seam.value!r}"
    if seam.calls is not None:
        return _calls_problem(seam, value)
    if seam.parameters is None:
        return None
    return _signature_problem(seam, value)


def _release(owner: str) -> str:
    dist = _DISTRIBUTIONS.get(owner.partition(".")[0], owner)
    try:
        return f"{dist} {version(dist)}"
    except PackageNotFoundError:  # pragma: no cover - imported, so installed
        return dist


def check(*packages: str, instances: bool = False) -> None:
    """Check the seams of the given top-level packages (``"socketio"``, ``"engineio"``,
    ``"flask_socketio"``).

    Attributes set in an upstream ``__init__`` are checked only with ``instances=True``
    (that builds servers, clients, a packet and managers: the test suite does, an
    adapter's import does not).
    Raises :class:`SeamError` naming every seam the installed releases break, the
    release, and what sioschema used it for.
    """
    built: dict[str, Any] | None = {} if instances else None
    problems = [
        f"  - {problem} ({_release(seam.owner)}); sioschema uses it to {seam.why}"
        for seam in SEAMS
        if seam.owner.partition(".")[0] in packages
        for problem in [_broken(seam, built)]
        if problem is not None
    ]
    if problems:
        msg = (
            "sioschema relies on names of python-socketio / python-engineio / Flask-SocketIO "
            "that the "
            "installed releases do not have as expected:\n"
            + "\n".join(problems)
            + "\nInstall the releases sioschema supports (see its 'Supported versions' docs)."
        )
        raise SeamError(msg)
