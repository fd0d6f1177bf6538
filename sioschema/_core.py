"""The protocol core: frames in, typed actions out, no I/O, for servers and clients.

One :class:`Core` per server (or client) owns the Socket.IO side of every connection:
screening (header, size, limited JSON decoding, names, ack ids, binary attachments),
the one-pass codec, validation against the registries, ack encoding, error replies and
their logging, and the per-connection state the limits need (a binary packet waiting
for its attachments, the handler calls in flight). It never sends anything and knows no
server class, in the shape of h11 / wsproto and python-socketio's own ``base_server``:

- an adapter feeds every Engine.IO message to :meth:`Core.receive` (or, for a server
  built with another ``serializer=``, the packet that serializer decoded to
  :meth:`Core.receive_decoded`) and carries out the actions it returns:
  :class:`Deliver` (call a handler), :class:`Acked` (an ack of one of our emits
  arrived), :class:`AckRefused` (an ack of one of our emits was refused: fail the
  callback waiting for it), :class:`Connect`, :class:`Disconnect`, :class:`ConnectRefused`
  (clients only), :class:`Reply` (send an error ack or error event), :class:`Refuse` (a
  ``CONNECT_ERROR``) and :class:`Close`;
- what it needs to know about connections that the Socket.IO library keeps (which
  session a frame belongs to, which ack ids are awaited, which events have a handler)
  it asks through :class:`Sessions`, which the adapter implements;
- outgoing: :meth:`Core.outgoing` checks an emit, :meth:`Core.ack_data` a handler's
  return value, :meth:`Core.checked_callback` / :meth:`Core.read_ack` the
  ack a peer sends back (a declared one in one pass, when the callback waiting for it
  is the :class:`AckCallback` that carries it: :class:`TypedAck`).

The ``side`` says which way the registry's declarations point: a ``"server"`` receives
the client events (``Event``) and checks the emits it sends; a ``"client"`` receives
the server's emits (``Emit``) and checks the events it sends.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Final, Literal, Protocol

import msgspec

from ._codec import AckDecoder, PacketCodec
from ._registry import DeclaredError, Emit, Event, EventRegistry
from ._wire import (
    ACK,
    BINARY_ACK,
    BINARY_EVENT,
    CONNECT,
    CONNECT_ERROR,
    DISCONNECT,
    EVENT,
    RESERVED_EVENTS,
    ClientLimits,
    Header,
    Limits,
    WireError,
    check_decoded,
    decode_json,
    echoed,
    event_name,
    is_finite,
    parse_header,
)
from .errors import (
    MAX_ECHOED_TEXT,
    ErrorCode,
    PayloadError,
    Reject,
    Rejected,
    RequestRejected,
    SioSchemaError,
    _clip,
    _shown,
)
from .inspect import RegistryInfo, by_namespace, check_error_event

__all__ = [
    "ACKING",
    "REFUSED_ACK",
    "Ack",
    "AckFailed",
    "AckRefused",
    "AckCallback",
    "Acked",
    "Action",
    "Close",
    "Connect",
    "ConnectRefused",
    "Core",
    "Deliver",
    "Disconnect",
    "ErrorHook",
    "Pending",
    "Refuse",
    "Reply",
    "Sessions",
    "Side",
    "TypedAck",
]

ErrorHook = Callable[[PayloadError, str], Any]
"""``hook(error, sid)``: observe a rejected message; return a replacement reply or
``None`` to send ``error.reply()``."""

Side = Literal["server", "client"]

logger = logging.getLogger("sioschema")

_EARLY_EVENTS = ClientLimits.__struct_defaults__[
    ClientLimits.__struct_fields__.index("max_early_events")
]
_NO_HEADER = Header(type=-1, attachments=0, namespace="/", id=None, body=0)


def _args_text(body: str, name: str) -> str | None:
    """The JSON array of an EVENT's arguments, cut from its body ``["<name>",...]``
    when the name is written plainly; ``None`` when there is no body (data decoded by
    another serializer, or rebuilt with binary attachments) or it is written otherwise
    (spaces, escapes)."""
    head = f'["{name}"'
    if not body.startswith(head):
        return None
    rest = body[len(head) :]
    if rest[:1] == ",":
        return "[" + rest[1:]
    return "[]" if rest == "]" else None


def _check_event_data(data: Any) -> None:
    """Raise :class:`WireError` unless an EVENT's data is an array starting with a name
    that Socket.IO does not reserve (``bad_packet``, ``reserved_event``)."""
    if type(data) is not list or not data or type(data[0]) is not str:
        raise WireError(
            code="bad_packet", detail="Event data must be an array starting with a name"
        )
    if data[0] in RESERVED_EVENTS:
        detail = f"`{data[0]}` is reserved by Socket.IO"
        raise WireError(code="reserved_event", detail=detail, event=data[0])


def _check_ack_data(sessions: Sessions, sid: str, id: int | None, data: Any) -> None:
    """Raise :class:`WireError` (``bad_packet``) unless an ACK's data is an array
    answering an ack id session ``sid`` waits for, and not a refused-ack marker."""
    if type(data) is not list:
        raise WireError(code="bad_packet", detail="Ack data must be an array")
    if id is None or not id or not sessions.awaits_ack(sid, id):
        raise WireError(code="bad_packet", detail="Unknown ack id")
    if _is_marker(data):
        raise WireError(code="bad_packet", detail=_RESERVED_DETAIL)


# -- actions --------------------------------------------------------------------------


class Deliver(msgspec.Struct, gc=False):
    """Call the handler of event ``name`` of session ``sid`` with ``args``; when ``id``
    is not ``None`` the peer waits for an ack with that id.

    ``declared`` is the declaration the arguments were validated against (an
    :class:`Event` on a server, an :class:`Emit` on a client), or ``None`` for an
    undeclared event, whose ``args`` are the JSON values as received.
    """

    sid: str
    namespace: str
    id: int | None
    name: str
    declared: Event | Emit[Any, Any] | None
    args: tuple[Any, ...] | list[Any]


class Acked(msgspec.Struct, gc=False):
    """The ack ``id`` of one of our emits arrived with ``args``: hand it to the callback
    waiting for it. ``args`` are the JSON values, which the callback checks against a
    declared ack, or one :class:`TypedAck` holding the arguments the one pass already
    decoded and validated for it."""

    sid: str
    namespace: str
    id: int
    args: list[Any]


REFUSED_ACK: Final = "sioschema:refused_ack"
"""The key of the marker that stands for a refused ack (see :class:`AckRefused`).

An ack whose only argument is an object holding this key never reaches a callback as
data: the core refuses such an ack from a peer (``bad_packet``), so the marker a
callback receives is always one a sioschema core made."""


class AckRefused(msgspec.Struct, gc=False):
    """The ack ``id`` that session ``sid`` sent for one of our emits was refused by
    screening (``code`` and ``detail`` say why: ``invalid_number``, ``payload_too_large``,
    ...): fail the callback waiting for it now, by handing it :attr:`args` as the ack.

    The adapter passes :attr:`args` the way python-socketio passes any ack (which
    releases the ack id): to a sioschema callback, which raises or reports
    :class:`~sioschema.PayloadError` ``invalid_ack``, or to the message queue's
    forwarder, which carries it, as JSON, to the process that emitted."""

    sid: str
    namespace: str
    id: int
    code: ErrorCode
    detail: str

    @property
    def args(self) -> list[Any]:
        """The marker the waiting callback receives: ``[{REFUSED_ACK: {...}}]``."""
        return [{REFUSED_ACK: {"code": self.code, "message": self.detail, "sid": self.sid}}]


class _Refusal(msgspec.Struct, forbid_unknown_fields=True):
    """The body of a refused-ack marker, as :attr:`AckRefused.args` writes it."""

    code: ErrorCode
    message: Annotated[str, msgspec.Meta(max_length=200)]
    sid: Annotated[str, msgspec.Meta(max_length=200)] = ""


_RESERVED_DETAIL = f"The ack uses the reserved key `{REFUSED_ACK}`"


def _is_marker(args: Any) -> bool:
    """Whether ack arguments have the shape of a refused-ack marker."""
    return len(args) == 1 and type(args[0]) is dict and REFUSED_ACK in args[0]


def refusal(args: Any) -> tuple[str, str, str] | None:
    """``(reason code, detail, sid)`` when ack arguments are a refused-ack marker,
    else ``None``. A marker that is not one :attr:`AckRefused.args` wrote (another
    process forwarded a peer's ack unscreened) reads as an ack using the reserved key."""
    if not _is_marker(args):
        return None
    try:
        body = msgspec.convert(args[0][REFUSED_ACK], _Refusal)
    except msgspec.ValidationError:
        return ("bad_packet", _RESERVED_DETAIL, "")
    return (body.code, body.message, body.sid)


ACKING: contextvars.ContextVar[str] = contextvars.ContextVar("sioschema_acking", default="")
"""The session whose ack the adapter is handing to a callback (set around the hand-over,
so a callback can name the peer to ``on_payload_error``)."""


class Connect(msgspec.Struct, gc=False):
    """A server: a client asks to join ``namespace`` with ``auth`` (validated and typed
    when the registry declares ``auth=``). A client: the server accepted it, ``data`` is
    the server's ``{"sid": ...}``."""

    namespace: str
    data: Any


class Disconnect(msgspec.Struct, gc=False):
    """The peer leaves ``namespace``."""

    namespace: str


class ConnectRefused(msgspec.Struct, gc=False):
    """A client: the server refused to let it join ``namespace``; ``data`` is its reason."""

    namespace: str
    data: Any


class Reply(msgspec.Struct, gc=False):
    """Send ``reply`` (an error object, already logged) as the ack ``id``, or as one error
    event when ``id`` is ``None``."""

    namespace: str
    id: int | None
    reply: Any


class Ack(msgspec.Struct, gc=False):
    """Send ``data`` (the ACK packet's data) as the ack ``id`` of a delivered event;
    ``checked``: it was encoded by a declared ack's codec, so it holds no binary data."""

    namespace: str
    id: int
    data: list[Any]
    checked: bool


class Refuse(msgspec.Struct, gc=False):
    """Send a ``CONNECT_ERROR`` for ``namespace`` with ``data``
    (``{"message": ..., "data": <error object>}``)."""

    namespace: str
    data: Any


class Close(msgspec.Struct, gc=False):
    """Close the Engine.IO connection (the frame cannot be answered in the protocol)."""

    reason: str


Action = (
    Deliver | Acked | AckRefused | Connect | Disconnect | ConnectRefused | Reply | Refuse | Close
)


class TypedAck:
    """A declared ack decoded and validated in one pass (:meth:`Core.receive`): the one
    argument :class:`Acked` hands the callback waiting for it (a :class:`AckCallback`,
    the only kind it is made for), which passes ``args`` on as they are."""

    __slots__ = ("args",)

    def __init__(self, args: tuple[Any, ...]) -> None:
        self.args = args


class AckFailed:
    """What a ``call()``'s callback receives for an ack that failed its check."""

    __slots__ = ("error",)

    def __init__(self, error: PayloadError) -> None:
        self.error = error


class Sessions(Protocol):
    """What the core asks about connections the Socket.IO library keeps."""

    def sid(self, eio_sid: str, namespace: str) -> str | None:
        """The session of Engine.IO connection ``eio_sid`` on ``namespace``, if it has
        joined it (``None`` otherwise)."""

    def awaits_ack(self, sid: str, id: int) -> Any:
        """What session ``sid`` keeps for the ack ``id`` it waits for (the callback, a
        true value), or a false value when it waits for none."""

    def handles(self, namespace: str, name: str) -> bool:
        """Whether a handler (function, catch-all, namespace class) takes event ``name``."""


class Pending:
    """A binary packet waiting for its attachments (or being skipped after an error).

    ``nbytes`` counts the bytes of the packet so far (its text frame, then each
    attachment); once ``discard`` is set, ``skipped`` counts the attachments passed
    over (those already read included), until all ``header.attachments`` came."""

    __slots__ = ("attachments", "data", "discard", "header", "nbytes", "skipped")

    def __init__(self, header: Header, data: Any, nbytes: int, *, discard: bool = False) -> None:
        self.header = header
        self.data = data
        self.nbytes = nbytes
        self.skipped = 0
        self.discard = discard
        self.attachments: list[bytes] = []


def _no_reconstruct(data: Any, attachments: list[bytes]) -> Any:  # pragma: no cover
    msg = "Core.attach() was not called"
    raise RuntimeError(msg)


class Core:
    """The protocol core of one server (or client): see the module docstring.

    :param registries: the bound registries (one per namespace), or ``None``.
    :param side: ``"server"`` or ``"client"``.
    :param error_event: the event an error goes out on when no ack was asked for.
    :param on_payload_error: ``hook(error, sid)`` for every rejected message.
    :param limits: what one peer may send (default ``Limits()`` on a server,
        ``ClientLimits()`` on a client).

    Raises :class:`~sioschema.SioSchemaError` when two registries share a namespace
    or the error event clashes with a declared emit, ``TypeError`` for bad limits.
    """

    __slots__ = (
        "_declared",
        "_lock",
        "codec",
        "connecting",
        "early",
        "error_event",
        "in_flight",
        "limits",
        "logger",
        "namespaces",
        "on_payload_error",
        "pending",
        "raw_out",
        "reconstruct",
        "sessions",
        "side",
    )

    def __init__(
        self,
        registries: type[EventRegistry] | Iterable[type[EventRegistry]] | None,
        *,
        side: Side = "server",
        error_event: str = "error",
        on_payload_error: ErrorHook | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.namespaces: dict[str, RegistryInfo] = by_namespace(registries)
        self.side: Side = side
        self.error_event = error_event
        self.on_payload_error = on_payload_error
        if limits is None:
            limits = ClientLimits() if side == "client" else Limits()
        self.limits = limits
        if not isinstance(self.limits, Limits):
            msg = f"limits must be a sioschema.Limits, got {type(self.limits).__name__}"
            raise TypeError(msg)
        check_error_event(self.namespaces.values(), error_event)
        # what this side receives: client events on a server, server emits on a client
        self._declared: dict[str, dict[str, Event | Emit[Any, Any]]] = {
            ns: dict(found.events if side == "server" else found.emits)
            for ns, found in self.namespaces.items()
        }
        # the keys of the acks only the screening answers: the refused-ack marker's, and
        # on a client the error reply's (RequestRejected)
        keys = (REFUSED_ACK, "error") if side == "client" else (REFUSED_ACK,)
        self.codec = PacketCodec(self.namespaces, self.limits, side=side, ack_keys=keys)
        self.raw_out = False
        """Whether checked acks and emits go out as ``msgspec.Raw`` JSON (set when the
        packet class writes with msgspec)."""
        self.logger = logger
        self.sessions: Sessions | None = None
        self.reconstruct: Callable[[Any, list[bytes]], Any] = _no_reconstruct
        self.pending: dict[str, Pending] = {}
        self.in_flight: dict[str, int] = {}
        self._lock = threading.Lock()
        self.connecting: set[str] = set()
        """A client: the namespaces it asked to join and the server has not answered."""
        self.early: dict[str, list[tuple[int | None, list[Any], int]]] = {}
        """A client: per namespace being joined, the events (ack id, data, size) the
        server sent before its CONNECT, in order."""

    def attach(
        self,
        sessions: Sessions,
        reconstruct: Callable[[Any, list[bytes]], Any],
        *,
        raw_out: bool,
    ) -> None:
        """Connect the core to its adapter: ``sessions`` answers its questions,
        ``reconstruct(data, attachments)`` rebuilds a binary packet (the packet class's
        own), ``raw_out`` says whether checked data may go out as ``msgspec.Raw``."""
        self.sessions = sessions
        self.reconstruct = reconstruct
        self.raw_out = raw_out

    # -- per-connection state ----------------------------------------------------------

    def enter(self, eio_sid: str) -> bool:
        """Count a handler call starting; ``False`` when the connection is at its limit."""
        with self._lock:
            running = self.in_flight.get(eio_sid, 0)
            if running >= self.limits.max_in_flight:
                return False
            self.in_flight[eio_sid] = running + 1
            return True

    def leave(self, eio_sid: str) -> None:
        """Count a handler call (started by :meth:`enter`) finished."""
        with self._lock:
            running = self.in_flight.get(eio_sid)
            if running is None:
                return
            if running <= 1:
                del self.in_flight[eio_sid]
            else:
                self.in_flight[eio_sid] = running - 1

    # -- finishing a delivery ------------------------------------------------------------

    def busy(self, eio_sid: str, action: Deliver) -> Reply | None:
        """Count the handler call of ``action`` starting (see :meth:`enter`): ``None``
        when it may run, else the ``rate_limited`` :class:`Reply` to send instead (logged),
        as the ack ``action.id`` or one error event."""
        if self.enter(eio_sid):
            return None
        return self._reply(self.rate_limited(action.name, action.namespace), action.sid, action.id)

    def finish(self, action: Deliver, value: Any) -> Ack | Reply | None:
        """What to send once the handler of ``action`` returned ``value``: the
        :class:`Ack` carrying it (checked against the declared ack), the
        ``internal_error`` :class:`Reply` (logged, the cause chained) when it breaks the
        declared ack, or ``None`` when the peer asked for no ack."""
        id = action.id
        if id is None:
            return None
        declared = action.declared
        try:
            data = self.ack_data(declared, value, action.namespace)
        except PayloadError as error:
            return Reply(action.namespace, id, self.logged_reply(error, action.sid))
        checked = declared is not None and declared.ack_codec is not None
        return Ack(action.namespace, id, data, checked)

    def failed(self, action: Deliver, exc: Exception) -> Reply:
        """The error :class:`Reply` for a handler of ``action`` that raised ``exc``: the
        ack ``action.id``, or one error event when no ack was asked for (which a client
        does not send). A :class:`~sioschema.Reject` of an error the declaration lists
        is that error (:meth:`rejected`); anything else is ``internal_error``, logged at
        ERROR with ``exc`` as the cause (no detail leaves)."""
        if type(exc) is Reject:
            return self.rejected(action, exc)
        try:
            # raised from ``exc``, as a handler's failure always was: the error carries
            # its traceback, cause and context to the log and ``on_payload_error``
            raise self.internal_error(action.name, action.namespace) from exc
        except PayloadError as error:
            return Reply(action.namespace, action.id, self.logged_reply(error, action.sid))

    def rejected(self, action: Deliver, reject: Reject) -> Reply:
        """The error ack of a handler of ``action`` that raised ``reject``: the error
        envelope of its declared error, ``data`` the error checked against its type and
        encoded (logged at DEBUG; an application's answer, not a bad message, so
        ``on_payload_error`` does not see it). An error the declaration does not list,
        or one that breaks its type, is ``internal_error`` (logged at ERROR naming the
        event and the type, given to ``on_payload_error``)."""
        declared = action.declared
        name, namespace = action.name, action.namespace
        error = reject.error
        found = None if declared is None else declared.error_types.get(type(error))
        if found is None:
            listed = ", ".join(e.code for e in declared.errors) if declared else ""
            why = f"it declares {listed}" if listed else "it declares no errors"
            return self._broken(action, reject, f"{type(error).__qualname__}, which {why}")
        try:
            data = found.codec.encode(error, name, namespace)
        except PayloadError as bad:
            detail = f"{type(error).__qualname__}, which breaks its type: {bad.detail}"
            return self._broken(action, reject, detail)
        message = found.message if reject.message is None else reject.message
        body = {
            "code": found.code,
            "message": _shown(message),
            "path": None,
            "event": _shown(name, MAX_ECHOED_TEXT),
            "data": data,
        }
        self.logger.debug(
            "`%s` on `%s` answered %s to %s",
            _logged(name),
            _logged(namespace),
            found.code,
            action.sid,
        )
        return Reply(namespace, action.id, {"error": body})

    def _broken(self, action: Deliver, reject: Reject, detail: str) -> Reply:
        """The ``internal_error`` reply of a :class:`~sioschema.Reject` that cannot be
        sent (``detail`` says why), logged at ERROR."""
        self.logger.error(
            "`%s` on `%s` raised Reject(%s)",
            _logged(action.name),
            _logged(action.namespace),
            _logged(detail, MAX_LOGGED_DETAIL),
        )
        error = self.internal_error(action.name, action.namespace)
        error.__cause__ = reject
        replaced = self._observe(error, action.sid)
        reply = error.reply() if replaced is None else replaced
        return Reply(action.namespace, action.id, reply)

    def forget(self, eio_sid: str) -> None:
        """Drop a closed connection's state (a client: the events held, logged)."""
        self.pending.pop(eio_sid, None)
        with self._lock:
            self.in_flight.pop(eio_sid, None)
        for namespace in list(self.early):
            self.drop_early(namespace, "the connection closed")
        self.connecting.clear()

    # -- a client joining namespaces -----------------------------------------------------

    def joining(self, namespaces: Iterable[str]) -> None:
        """A client is about to ask to join ``namespaces``: events the server sends
        them before its CONNECT are held (:meth:`release`), as socket.io-client does."""
        self.connecting = set(namespaces)

    def holds(self, namespace: str) -> bool:
        """Whether events wait for ``namespace``'s CONNECT (see :meth:`release`)."""
        return namespace in self.early

    def release(self, eio_sid: str, namespace: str) -> list[Action]:
        """``namespace`` is connected: the events held for it, validated, in order
        (:class:`Deliver`, or :class:`Reply` for one that breaks its type)."""
        self.connecting.discard(namespace)
        held = self.early.pop(namespace, ())
        sessions = self.sessions
        assert sessions is not None
        sid = sessions.sid(eio_sid, namespace)
        if sid is None:  # pragma: no cover - the adapter releases once it has joined
            return []
        return [self._event(sid, namespace, id, data) for id, data, _ in held]

    def drop_early(self, namespace: str, reason: str) -> None:
        """Stop joining ``namespace``; drop (and log) the events held for it."""
        self.connecting.discard(namespace)
        held = self.early.pop(namespace, None)
        if held:
            self.logger.warning(
                "dropped %d events sent before %s connected: %s",
                len(held),
                _logged(namespace),
                reason,
            )

    def _hold(
        self, eio_sid: str, namespace: str, id: int | None, data: list[Any], size: int
    ) -> Action | None:
        """Hold an event the server sent before ``namespace``'s CONNECT (a client)."""
        limits = self.limits
        cap = limits.max_early_events if isinstance(limits, ClientLimits) else _EARLY_EVENTS
        held = self.early.setdefault(namespace, [])
        error: PayloadError | None = None
        if len(held) >= cap:
            detail = f"More than {cap} events before the namespace connected"
            error = PayloadError("rate_limited", echoed(data[0]), detail, namespace=namespace)
        elif size + sum(entry[2] for entry in held) > limits.max_payload_bytes:
            detail = f"Events before the namespace connected over {limits.max_payload_bytes} bytes"
            error = PayloadError("payload_too_large", echoed(data[0]), detail, namespace=namespace)
        if error is not None:
            return Reply(namespace, id, self.logged_reply(error, eio_sid))
        held.append((id, data, size))
        return None

    def expects_attachment(self, eio_sid: str) -> bool:
        """Whether the next message of ``eio_sid`` is due to be a binary attachment."""
        return eio_sid in self.pending

    # -- binding -----------------------------------------------------------------------

    def _bound(self, declared: Event | Emit[Any, Any], namespace: str | None) -> str:
        """Return the namespace of a declaration, checking it is bound here."""
        own = declared.namespace
        found = self.namespaces.get(own)
        if found is None or found.registry is not declared.registry:
            msg = f"{declared!r} belongs to a registry that is not bound to this server"
            raise SioSchemaError(msg)
        if namespace is not None and namespace != own:
            msg = f"{declared!r} is declared for namespace `{own}`, not `{namespace}`"
            raise SioSchemaError(msg)
        return own

    def handler_key(
        self, event: Event | Emit[Any, Any] | str, namespace: str | None
    ) -> tuple[str, str | None]:
        """``on(event)``: the event name and namespace to register a handler under.

        A server's handlers take :class:`Event` declarations, a client's :class:`Emit`
        ones; the other kind raises :class:`~sioschema.SioSchemaError`."""
        takes, other = (Event, Emit) if self.side == "server" else (Emit, Event)
        if isinstance(event, takes):
            return event.name, self._bound(event, namespace)
        if isinstance(event, other):
            if self.side == "server":
                msg = f"{event!r} is a server -> client event; handlers take client events"
            else:
                msg = f"{event!r} is a client -> server event; handlers take server emits"
            raise SioSchemaError(msg)
        assert isinstance(event, str)
        return event, namespace

    def accepted_namespaces(self, given: Any) -> Any:
        """python-socketio's ``namespaces=`` with every bound registry's namespace added,
        so a client can join a namespace that only receives emits (no handler needed)."""
        if given == "*":
            return given
        accepted = list(given or ["/"])
        accepted.extend(ns for ns in self.namespaces if ns not in accepted)
        return accepted

    # -- incoming: screening -----------------------------------------------------------

    def receive(self, eio_sid: str, frame: Any) -> list[Action]:
        """Screen one Engine.IO message of connection ``eio_sid``: what to do with it.

        ``frame`` is the message as Engine.IO hands it over: ``str`` for a text frame,
        ``bytes`` for a binary one (an attachment). Every frame that breaks the protocol
        or a limit gets one answer and one log line; a declared event is validated.
        """
        pending = self.pending.get(eio_sid)
        if isinstance(frame, (bytes, bytearray)):
            if pending is None:
                self.logger.warning("closed %s: a binary frame outside a binary packet", eio_sid)
                return [Close("binary frame outside a binary packet")]
            return self._attachment(eio_sid, pending, bytes(frame))
        if not isinstance(frame, str):
            # Engine.IO decodes a message that happens to be JSON (``4[1]``, ``4null``)
            error = WireError(code="bad_packet", detail="Unknown packet type")
            return [self._refuse(eio_sid, _NO_HEADER, error)]
        if pending is None and len(frame) <= self.limits.max_payload_bytes:
            fast = self.codec.decode_frame(frame)  # a declared event: one msgspec pass
            if fast is not None:
                namespace, id, name, event, args = fast
                sessions = self.sessions
                assert sessions is not None
                sid = sessions.sid(eio_sid, namespace)
                if sid is not None:
                    if self.side == "client" or sessions.handles(namespace, name):
                        return [Deliver(sid, namespace, id, name, event, args)]
                    return [self._reply(self.unknown_event(name, namespace), sid, id)]
            elif frame[:1] == "3":  # an ACK: a declared one in one pass too
                acked = self._typed_ack(eio_sid, frame)
                if acked is not None:
                    return [acked]
        return self._screen(eio_sid, frame, pending)

    def _typed_ack(self, eio_sid: str, frame: str) -> Acked | None:
        """An ACK text frame for an ack one of our callbacks (:class:`AckCallback`) waits
        for, decoded and validated in one pass against its declared ack: the
        :class:`Acked` handing it one :class:`TypedAck`. ``None`` when the screening
        decides (another form, no session, an id no such callback waits for, an
        undeclared ack, and every ack the pass cannot accept), which answers it as
        before."""
        found = self.codec.split_ack(frame)
        if found is None:
            return None
        namespace, id, body = found
        sessions = self.sessions
        assert sessions is not None
        sid = sessions.sid(eio_sid, namespace)
        if sid is None:
            return None
        waiting = sessions.awaits_ack(sid, id)
        if type(waiting) is not AckCallback or waiting.decode is None:
            return None
        args = waiting.decode(body)
        if args is None:
            return None
        return Acked(sid, namespace, id, [TypedAck(args)])

    def _screen(self, eio_sid: str, frame: str, pending: Pending | None) -> list[Action]:
        """A text frame the one pass left to the screening (``pending``: the binary
        packet waiting for an attachment instead)."""
        actions: list[Action] = []
        if pending is not None:  # a text frame where an attachment was due
            del self.pending[eio_sid]
            if not pending.discard:
                data = pending.data
                name = echoed(data[0]) if pending.header.type == BINARY_EVENT else ""
                error = WireError(
                    code="bad_packet", detail="Expected a binary attachment", event=name
                )
                actions.append(self._refuse(eio_sid, pending.header, error))
        header = _NO_HEADER
        try:
            header = parse_header(frame)
            action = self._text_packet(eio_sid, header, frame)
        except WireError as error:
            actions.append(self._refuse(eio_sid, error.header or header, error))
        else:
            if action is not None:
                actions.append(action)
        return actions

    def receive_decoded(
        self,
        eio_sid: str,
        kind: int,
        namespace: str | None,
        id: int | None,
        data: Any,
        attachments: int = 0,
    ) -> list[Action]:
        """Screen a packet another ``serializer=`` (msgpack, ...) decoded from a frame:
        the same checks and answers as :meth:`receive`, after the JSON decoding.
        ``attachments``: the binary frames a binary packet announced (they follow)."""
        header = Header(
            type=kind, attachments=attachments, namespace=namespace or "/", id=id, body=0
        )
        try:
            if kind < CONNECT or kind > BINARY_ACK:
                raise WireError(code="bad_packet", detail="Unknown packet type", header=header)
            check_decoded(data, self.limits, big_ints=self._takes_big_ints(header, data))
            if not is_finite(data):
                raise WireError(code="invalid_number", detail="NaN and Infinity are not JSON")
            action = self._packet(eio_sid, header, data, 0, "")
        except WireError as error:
            if not error.event and kind in (EVENT, BINARY_EVENT) and type(data) is list and data:
                error.event = echoed(data[0])
            return [self._refuse(eio_sid, error.header or header, error)]
        return [] if action is None else [action]

    def undecodable(self, eio_sid: str, detail: str) -> list[Action]:
        """The answer to a frame another ``serializer=`` could not decode."""
        error = WireError(code="bad_packet", detail=detail)
        return [self._refuse(eio_sid, _NO_HEADER, error)]

    def _takes_big_ints(self, header: Header, data: Any) -> bool:
        """Whether the event of ``data`` declares integers beyond int64."""
        if header.type != EVENT and header.type != BINARY_EVENT:
            return False
        name = data[0] if type(data) is list and data else None
        found = self._declared.get(header.namespace)
        event = found.get(name) if found is not None and type(name) is str else None
        return event is not None and self._codec_of(event).big_ints

    def _codec_of(self, event: Event | Emit[Any, Any]) -> Any:
        return event.request_codec if isinstance(event, Event) else event.payload_codec

    def _text_packet(self, eio_sid: str, header: Header, frame: str) -> Action | None:
        """A text frame whose header reads: its JSON decoded under the limits, checked."""
        limits = self.limits
        try:
            if len(frame) > limits.max_payload_bytes:
                detail = f"Packet larger than {limits.max_payload_bytes} bytes"
                raise WireError(code="payload_too_large", detail=detail)
            body = frame[header.body :]
            data = self._json(body, header) if body else None
        except WireError as error:
            self._annotate(eio_sid, error, header, frame)
            raise
        return self._packet(eio_sid, header, data, len(frame), frame)

    def _json(self, body: str, header: Header) -> Any:
        limits = self.limits
        try:
            return decode_json(body, limits)
        except WireError as error:
            if error.code != "invalid_number" or not error.detail.startswith("Integer"):
                raise
            # integers beyond int64 pass only for an event whose schema declares them
            data = decode_json(body, limits, big_ints=True)
            if self._takes_big_ints(header, data):
                return data
            raise

    def _annotate(self, eio_sid: str, error: WireError, header: Header, frame: str) -> None:
        """Give a refused frame's error its header and event name, and skip the
        attachments a refused binary packet announced."""
        error.header = header
        if not error.event and header.type in (EVENT, BINARY_EVENT):
            error.event = event_name(frame[header.body :])
        binary = header.type in (BINARY_EVENT, BINARY_ACK)
        if binary and header.attachments >= 1 and eio_sid not in self.pending:
            # the attachments it announced follow: skip them, do not read them as
            # binary frames outside a packet (which closes the connection)
            self.pending[eio_sid] = Pending(header, None, 0, discard=True)

    def _packet(
        self, eio_sid: str, header: Header, data: Any, size: int, frame: str
    ) -> Action | None:
        """A decoded packet: checked against the protocol, turned into an action
        (``None``: a binary packet now waits for its attachments)."""
        try:
            kind, namespace, id = header.type, header.namespace, header.id
            if kind == CONNECT:
                return self._connect(eio_sid, namespace, data)
            if kind == DISCONNECT:
                return Disconnect(namespace)
            sessions = self.sessions
            assert sessions is not None
            if kind == CONNECT_ERROR and self.side == "client":
                self.drop_early(namespace, "the server refused it")
                return ConnectRefused(namespace, data)
            sid = sessions.sid(eio_sid, namespace)
            early = sid is None and self._early(kind, namespace)
            if kind == CONNECT_ERROR:
                raise WireError(code="bad_packet", detail="Clients may not send CONNECT_ERROR")
            if kind == EVENT or kind == BINARY_EVENT:
                _check_event_data(data)
            else:  # an ack to one of our emits
                assert sid is not None  # only events are held
                _check_ack_data(sessions, sid, id, data)
            if kind == BINARY_EVENT or kind == BINARY_ACK:
                self._wait_attachments(eio_sid, header, data, size)
                return None
            if early:
                return self._hold(eio_sid, namespace, id, data, size)
            assert sid is not None
            if kind == EVENT:
                return self._event(sid, namespace, id, data, frame[header.body :])
            assert id is not None
            return Acked(sid, namespace, id, data)
        except WireError as error:
            self._annotate(eio_sid, error, header, frame)
            raise

    def _early(self, kind: int, namespace: str) -> bool:
        """Whether a packet from no session of ``namespace`` is an event a client holds
        (it is joining the namespace: the server sent it before its CONNECT); raises
        :class:`WireError` (``unknown_namespace``) for any other."""
        if (kind == EVENT or kind == BINARY_EVENT) and self.side == "client":
            if namespace in self.connecting:
                return True
        detail = f"Not connected to namespace `{_clip(namespace)}`"
        raise WireError(code="unknown_namespace", detail=detail)

    def _wait_attachments(self, eio_sid: str, header: Header, data: Any, size: int) -> None:
        """Keep a screened binary packet until its attachments come; raises
        :class:`WireError` (``payload_too_large``, the attachments it announced then
        skipped) when it announces none or more than ``Limits.max_attachments``."""
        limits = self.limits
        if not 1 <= header.attachments <= limits.max_attachments:
            detail = f"Binary packets carry 1 to {limits.max_attachments} attachments"
            self.pending[eio_sid] = Pending(header, None, 0, discard=True)
            raise WireError(code="payload_too_large", detail=detail)
        self.pending[eio_sid] = Pending(header, data, size)

    def _connect(self, eio_sid: str, namespace: str, auth: Any) -> Action:
        """A CONNECT: on a server, the client's ``auth`` checked against the registry."""
        found = self.namespaces.get(namespace)
        codec = found.auth_codec if found is not None and self.side == "server" else None
        if codec is None:
            return Connect(namespace, auth)
        try:
            (typed,) = codec.decode((auth,), "connect", namespace)
        except PayloadError as error:
            reply = self.logged_reply(error, eio_sid)
            return Refuse(namespace, {"message": error.message, "data": reply})
        return Connect(namespace, typed)

    def _event(
        self, sid: str, namespace: str, id: int | None, data: list[Any], body: str = ""
    ) -> Action:
        """An EVENT that passed screening: find its declaration, validate its arguments.

        ``body``: the JSON text ``data`` was decoded from (a text frame's), or ``""``."""
        name: str = data[0]
        sessions = self.sessions
        assert sessions is not None
        if self.side == "server" and not sessions.handles(namespace, name):
            return self._reply(self.unknown_event(name, namespace), sid, id)
        found = self._declared.get(namespace)
        event = found.get(name) if found is not None else None
        if event is None:  # an undeclared event: passed on as received
            return Deliver(sid, namespace, id, name, None, data[1:])
        try:
            args = self._codec_of(event).decode(
                data[1:], name, namespace, text=_args_text(body, name)
            )
        except PayloadError as error:
            return self._reply(error, sid, id)
        return Deliver(sid, namespace, id, name, event, args)

    def _attachment(self, eio_sid: str, pending: Pending, frame: bytes) -> list[Action]:
        header = pending.header
        data = pending.data
        name = echoed(data[0]) if header.type == BINARY_EVENT and data else ""
        if pending.discard:
            pending.skipped += 1
            if pending.skipped >= header.attachments:
                del self.pending[eio_sid]
            return []
        pending.attachments.append(frame)
        pending.nbytes += len(frame)
        limit = self.limits.max_payload_bytes
        if pending.nbytes > limit:
            pending.discard = True
            pending.skipped = len(pending.attachments)
            if pending.skipped >= header.attachments:
                del self.pending[eio_sid]
            detail = f"Packet larger than {limit} bytes"
            error = WireError(code="payload_too_large", detail=detail, event=name)
            return [self._refuse(eio_sid, header, error)]
        if len(pending.attachments) < header.attachments:
            return []
        del self.pending[eio_sid]
        try:
            data = self.reconstruct(pending.data, pending.attachments)
        except (IndexError, KeyError, TypeError):
            error = WireError(code="bad_packet", detail="Invalid binary placeholder", event=name)
            return [self._refuse(eio_sid, header, error)]
        sessions = self.sessions
        assert sessions is not None
        sid = sessions.sid(eio_sid, header.namespace)
        if sid is None and header.type == BINARY_EVENT and header.namespace in self.connecting:
            held = self._hold(eio_sid, header.namespace, header.id, data, pending.nbytes)
            return [] if held is None else [held]
        if sid is None:  # it left the namespace while the attachments came
            error = WireError(
                code="unknown_namespace",
                detail=f"Not connected to namespace `{_clip(header.namespace)}`",
                event=name,
            )
            return [self._refuse(eio_sid, header, error)]
        if header.type == BINARY_EVENT:
            return [self._event(sid, header.namespace, header.id, data)]
        assert header.id is not None
        # (a marker cannot be made of attachments: screened before they came)
        return [Acked(sid, header.namespace, header.id, data)]

    def _refuse(self, eio_sid: str, header: Header, error: WireError) -> Action:
        """The answer to a frame that broke the protocol or a limit (logged once).

        An ack we wait for fails its waiter instead (:class:`AckRefused`): no error
        event goes to the peer, and the callback, which knows the event, logs it."""
        namespace = header.namespace
        sessions = self.sessions
        assert sessions is not None
        sid = sessions.sid(eio_sid, namespace)
        id = header.id
        if (
            (header.type == ACK or header.type == BINARY_ACK)
            and sid is not None
            and id
            and sessions.awaits_ack(sid, id)
        ):
            return AckRefused(sid, namespace, id, error.code, error.detail)
        failure = PayloadError(
            error.code, error.event, error.detail, namespace=namespace, kind="packet"
        )
        reply = self.logged_reply(failure, sid or eio_sid)
        if sid is None or header.type == CONNECT:
            return Refuse(namespace, {"message": failure.message, "data": reply})
        is_event = header.type == EVENT or header.type == BINARY_EVENT
        return Reply(namespace, header.id if is_event else None, reply)

    def _reply(self, error: PayloadError, sid: str, id: int | None) -> Reply:
        return Reply(error.namespace, id, self.logged_reply(error, sid))

    # -- errors ------------------------------------------------------------------------

    def unknown_event(self, name: str, namespace: str) -> PayloadError:
        """The error for an event no handler takes (its name repeated if short enough)."""
        if not echoed(name):  # never echo more than a refused frame would
            return PayloadError("unknown_event", "", "Unknown event", namespace=namespace)
        detail = f"Unknown event `{name}`"
        return PayloadError("unknown_event", name, detail, namespace=namespace)

    def internal_error(self, event: str, namespace: str) -> PayloadError:
        """The error for a failure of the application's code (no detail leaves)."""
        return PayloadError("internal_error", event, "Internal server error", namespace=namespace)

    def rate_limited(self, name: str, namespace: str) -> PayloadError:
        """The error for an event over ``Limits.max_in_flight``."""
        detail = f"Too many requests in flight (at most {self.limits.max_in_flight})"
        return PayloadError("rate_limited", name, detail, namespace=namespace)

    def logged_reply(self, error: PayloadError, sid: str) -> Any:
        """Log a rejected message and return the reply the peer receives.

        One line per message: WARNING for a bad request (its code and path, never a
        value from the payload), ERROR with the cause for a failure of the application.
        """
        if error.code == "internal_error" and error.__cause__ is not None:
            self.logger.error(
                "`%s` on `%s` failed in the server",
                _logged(error.event),
                _logged(error.namespace),
                exc_info=error.__cause__,
            )
        else:
            # code and path only: msgspec's message may quote the client's values
            self.logger.warning(
                "rejected %.100r from %s on %s: %s%s",
                error.event,
                sid,
                _logged(error.namespace),
                error.code,
                "" if error.path is None else f" at {_logged(error.path)}",
            )
        replaced = self._observe(error, sid)
        return error.reply() if replaced is None else replaced

    def _observe(self, error: PayloadError, sid: str) -> Any:
        """``on_payload_error(error, sid)``: its replacement reply, or ``None``."""
        hook = self.on_payload_error
        if hook is None:
            return None
        try:
            return hook(error, sid)
        except Exception:
            self.logger.exception("on_payload_error hook raised")
            return None

    # -- outgoing ----------------------------------------------------------------------

    def ack_data(
        self, event: Event | Emit[Any, Any] | None, value: Any, namespace: str
    ) -> list[Any]:
        """The ACK packet's data for a handler's return value, checked when declared.

        Raises :class:`~sioschema.PayloadError` (``internal_error``, the cause chained)
        when the value breaks the declared ack.
        """
        codec = event.ack_codec if event is not None else None
        if codec is not None:
            assert event is not None
            try:
                data = codec.encode(value, event.name, namespace, raw=self.raw_out)
            except PayloadError as exc:
                raise self.internal_error(event.name, namespace) from exc
            arity = codec.arity
            # by the declared arity, so a declared `None` value is sent as null
            return [data] if arity == 1 else list(data) if arity else []
        # python-socketio's packing: None is no value, a tuple is several values
        if value is None:
            return []
        if isinstance(value, tuple):
            return list(value)
        return [value]

    def outgoing(
        self, event: Emit[Any, Any] | Event | str, data: Any, namespace: str | None
    ) -> tuple[str, Any, str, Emit[Any, Any] | Event | None]:
        """Check what this side sends: return its name, JSON data, namespace and
        declaration (``None`` for an undeclared name, whose data is left as given).

        The data is packed as python-socketio reads it: ``None`` for no argument, a
        tuple for several, any other value (never a tuple) for one.

        A server sends :class:`Emit` declarations, a client :class:`Event` ones; raises
        :class:`~sioschema.SioSchemaError` for the other kind or an unbound registry,
        :class:`~sioschema.PayloadError` when ``data`` breaks the declared type.
        """
        sends, other = (Emit, Event) if self.side == "server" else (Event, Emit)
        if isinstance(event, sends):
            ns = self._bound(event, namespace)
            declared: Emit[Any, Any] | Event | None = event
        elif isinstance(event, other):
            direction = "client -> server" if self.side == "server" else "server -> client"
            msg = (
                f"{event!r} is a {direction} event; emit "
                f"{'an Emit' if self.side == 'server' else 'an Event'} declaration"
            )
            raise SioSchemaError(msg)
        else:
            assert isinstance(event, str)
            ns = namespace or "/"
            found = self.namespaces.get(ns)
            if found is None:
                declared = None
            elif self.side == "server":
                declared = found.emits.get(event)
            else:
                declared = found.events.get(event)
        if declared is None:
            return event, data, ns, None  # type: ignore[return-value]
        name = declared.name
        codec = declared.payload_codec if isinstance(declared, Emit) else declared.request_codec
        data = codec.encode(data, name, ns, raw=self.raw_out)
        if type(data) is tuple and codec.arity == 1:
            # python-socketio sends a tuple as several arguments: one tuple-typed
            # argument goes out as the one JSON array it is
            data = list(data)
        return name, data, ns, declared

    def checked_callback(
        self,
        declared: Emit[Any, Any] | Event | None,
        namespace: str,
        callback: Callable[..., Any] | None,
        *,
        name: str = "",
        to: Any = None,
        for_call: bool = False,
    ) -> AckCallback | None:
        """Wrap an emit's callback so it receives the peer's ack typed and checked (an
        :class:`AckCallback`, carrying the one pass of a declared ack).

        ``name`` is the emitted event's name, ``to`` its addressee (named to
        ``on_payload_error`` when the ack does not say which session sent it).

        Every callback is wrapped, declared or not, so none ever receives the marker
        of a refused ack (:class:`AckRefused`). An ack that was refused, or breaks the
        declared type, is logged (one WARNING naming the event), given to
        ``on_payload_error`` and dropped: the callback is not called. With
        ``for_call=True`` (python-socketio's ``call()`` waits on the callback) it is
        handed over as one :class:`AckFailed` instead, for :meth:`call_result` to
        raise. On a client, the server's error ack is logged and dropped (``call()``
        raises it as :class:`~sioschema.RequestRejected`)."""
        if callback is None:
            return None
        codec = declared.ack_codec if declared is not None else None
        decode = self.codec.acks.get(codec) if codec is not None else None
        event = declared.name if declared is not None else name
        return AckCallback(self, declared, namespace, callback, event, to, for_call, decode)

    def dropped_ack(self, error: PayloadError, sid: str) -> None:
        """Log an ack that no callback receives (one WARNING: event, code, where or
        why; never a value from the ack) and give it to ``on_payload_error``."""
        self.logger.warning(
            "dropped the ack of %.100r from %s on %s: %s%s",
            error.event,
            sid,
            _logged(error.namespace),
            error.code,
            f" at {_logged(error.path)}"
            if error.path is not None
            else f" ({_logged(error.detail, MAX_LOGGED_DETAIL)})",
        )
        self._observe(error, sid)

    @staticmethod
    def call_result(result: Any) -> Any:
        """python-socketio's ``call()`` result through a ``for_call`` callback: the ack,
        or the :class:`AckFailed` error raised."""
        if isinstance(result, AckFailed):
            raise result.error
        return result

    def read_ack(
        self,
        declared: Emit[Any, Any] | Event | None,
        namespace: str,
        args: tuple[Any, ...],
        *,
        name: str = "",
    ) -> tuple[Any, ...]:
        """The peer's ack to one of our emits (event ``name`` when undeclared),
        checked against the declared ack.

        Raises :class:`~sioschema.PayloadError` with code ``invalid_ack`` when the ack
        was refused (the marker of :class:`AckRefused`: ``detail`` is the reason, such
        as ``"Integer out of the int64 range"``) or breaks the declared type;
        :class:`~sioschema.RequestRejected` when it is the error ack (a client
        reading a server's answer)."""
        refused = refusal(args)
        if refused is not None:
            event = declared.name if declared is not None else name
            failed: ErrorCode = "invalid_ack"
            raise PayloadError(failed, event, refused[1], namespace=namespace, kind="ack")
        codec = declared.ack_codec if declared is not None else None
        if len(args) == 1 and (self.side == "client" or (declared and declared.errors)):
            rejected = RequestRejected.from_reply(args[0], namespace)
            if rejected is not None:
                found = declared.error_codes.get(rejected.code) if declared else None
                if found is not None:
                    raise self._typed_rejection(found, rejected, namespace)
                if self.side == "client":
                    raise rejected
        if codec is None or declared is None:
            return args
        try:
            return codec.decode(args, declared.name, namespace)
        except PayloadError as error:
            if error.code == "invalid_ack":
                raise
            code: ErrorCode = "invalid_ack"
            invalid = PayloadError(
                code, error.event, error.detail, path=error.path, namespace=namespace, kind="ack"
            )
            raise invalid from None

    @staticmethod
    def _typed_rejection(
        found: DeclaredError, rejected: RequestRejected, namespace: str
    ) -> PayloadError:
        """The :class:`~sioschema.Rejected` of a declared error the peer answered with,
        its ``data`` decoded and checked; ``invalid_ack`` when the data breaks the type."""
        event = rejected.event
        try:
            (data,) = found.codec.decode((rejected.data,), event, namespace)
        except PayloadError as error:
            code: ErrorCode = "invalid_ack"
            detail = f"The error `{found.code}` breaks its type: {error.detail}"
            return PayloadError(
                code, event, detail, path=error.path, namespace=namespace, kind="ack"
            )
        typed: type[Rejected[Any]] = Rejected.__class_getitem__(found.type)
        return typed(
            rejected.code,
            event,
            rejected.detail,
            path=rejected.path,
            namespace=namespace,
            data=data,
        )


class AckCallback:
    """An emit's callback as :meth:`Core.checked_callback` wraps it: called with the
    peer's ack as python-socketio calls any callback (``callback(*args)``), it calls
    the application's ``callback`` with the ack typed and checked (see
    :meth:`Core.checked_callback` for what happens to one that fails).

    ``decode`` is the one pass of its declared ack (``None``: undeclared, or left to
    the screening), which :meth:`Core.receive` uses for an ACK this callback waits
    for; its result arrives as one :class:`TypedAck`, passed on unchecked again."""

    __slots__ = ("callback", "core", "declared", "decode", "event", "for_call", "namespace", "to")

    def __init__(
        self,
        core: Core,
        declared: Emit[Any, Any] | Event | None,
        namespace: str,
        callback: Callable[..., Any],
        event: str,
        to: Any,
        for_call: bool,
        decode: AckDecoder | None,
    ) -> None:
        self.core = core
        self.declared = declared
        self.namespace = namespace
        self.callback = callback
        self.event = event
        self.to = to
        self.for_call = for_call
        self.decode = decode

    def __call__(self, *args: Any) -> Any:
        callback = self.callback
        if len(args) == 1 and type(args[0]) is TypedAck:  # decoded and validated already
            return callback(*args[0].args)
        core = self.core
        try:
            typed = core.read_ack(self.declared, self.namespace, args, name=self.event)
        except PayloadError as error:
            if self.for_call:
                return callback(AckFailed(error))
            if isinstance(error, RequestRejected):
                core.logger.warning("%.100r was rejected: %s", self.event, error.code)
                return None
            refused = refusal(args)
            sid = ACKING.get() or (refused[2] if refused is not None else "")
            to = self.to
            core.dropped_ack(error, sid or (to if type(to) is str else ""))
            return None
        return callback(*typed)


MAX_LOGGED = 100
"""The most characters of a peer's text (a namespace, a path) one log line carries."""
MAX_LOGGED_DETAIL = 300
"""The most characters of an error's detail (which may quote a peer's text) in a log line."""


def _logged(text: str, limit: int = MAX_LOGGED) -> str:
    """Text a peer chose (a namespace, a path, a detail quoting it) as a log line carries
    it: as it is when it is at most ``limit`` characters and printable, else its
    ``repr`` cut to ``limit`` characters, so it can neither forge lines (a newline) nor
    fill the log."""
    if len(text) <= limit and text.isprintable():
        return text
    return repr(text)[:limit]
