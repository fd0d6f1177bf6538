"""python-socketio adapters: :class:`Server` and :class:`AsyncServer`.

Both subclass python-socketio's servers and mirror each other method for method. Every
EVENT packet on a registry namespace is checked before any handler runs; handlers
receive ``(sid, *typed_args)`` and their return value is checked as the ack.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, overload

import socketio
from socketio import exceptions, packet

from . import _seams
from ._codec import CodecPacket, Typed, writes_raw
from ._dispatch import Dispatcher, ErrorHook, Pending
from ._docs import DocsPages, Page
from ._registry import A, Emit, Event, EventRegistry, P
from ._wire import (
    RESERVED_EVENTS,
    Header,
    Limits,
    WireError,
    decode_json,
    echoed,
    event_name,
    parse_header,
)
from .errors import PayloadError

__all__ = ["ASGIApp", "AsyncServer", "Server", "WSGIApp"]

_seams.check("socketio")  # the python-socketio names the adapters rely on, see _seams

F = TypeVar("F", bound=Callable[..., Any])
Registries = type[EventRegistry] | Iterable[type[EventRegistry]] | None

# What to do with a screened frame: a packet type to hand to python-socketio's own
# ``_handle_*`` method, or one of these answers.
REPLY = "reply"  # an error ack (when the packet has an ack id) or one error event
REFUSE = "refuse"  # a CONNECT_ERROR packet for the namespace
CLOSE = "close"  # close the Engine.IO connection
Action = tuple[Any, str, Any, Any]  # (what, namespace, ack id, data or reply)

logger = logging.getLogger("sioschema")
_tasks: set[asyncio.Task[Any]] = set()  # handler tasks, referenced until they finish


def codec_packet() -> type[CodecPacket]:
    """A Packet class of one server's own (python-socketio sets ``json=`` on the class)."""
    return type("CodecPacket", (CodecPacket,), {})


def _screened(packet_class: Any) -> bool:
    """Whether frames are screened: with the stock or sioschema's packet class, not
    with another serializer (msgpack, pickle), whose frames are not Socket.IO text."""
    return packet_class is packet.Packet or issubclass(packet_class, CodecPacket)


def _dispatches_any(namespace_class: type) -> bool:
    """Whether a class-based namespace overrides ``trigger_event`` (python-socketio's
    catch-all for a class): then it takes every event, not only its ``on_<name>`` ones."""
    for cls in namespace_class.__mro__:
        if "trigger_event" in vars(cls):
            return cls.__module__.partition(".")[0] not in ("socketio", "flask_socketio")
    return False


class _ServerMixin:
    """What both servers share; no I/O here (python-socketio's ``base_server`` idea)."""

    _sioschema: Dispatcher
    _sioschema_docs: DocsPages | None
    packet_class: Any

    def _sioschema_bind(
        self,
        registry: Registries,
        error_event: str,
        on_payload_error: ErrorHook | None,
        limits: Limits | None,
        docs_url: str | None = None,
        docs_viewer: str | None = None,
    ) -> None:
        self._sioschema = Dispatcher(
            registry, error_event=error_event, on_payload_error=on_payload_error, limits=limits
        )
        self._sioschema_docs = None
        if docs_url is not None:
            self._sioschema_docs = DocsPages(
                list(self.registries.values()),
                docs_url,
                error_event=error_event,
                viewer=docs_viewer,
            )

    @property
    def limits(self) -> Limits:
        """The limits every client's frames are held to."""
        return self._sioschema.limits

    # -- screening every frame, before python-socketio's own dispatch --------------------

    def _sioschema_connected(self, eio_sid: str, namespace: str) -> str | None:
        sid = self.manager.sid_from_eio_sid(eio_sid, namespace)  # type: ignore[attr-defined]
        if sid is None or not self.manager.is_connected(sid, namespace):  # type: ignore[attr-defined]
            return None
        return sid  # type: ignore[no-any-return]

    def _sioschema_screen(self, eio_sid: str, frame: Any) -> list[Action]:
        """Check one Engine.IO message; say what to do with it (no I/O here).

        Every frame that breaks the protocol or a limit gets one answer and one log
        line; only what passes reaches python-socketio's ``_handle_*`` methods.
        """
        core = self._sioschema
        actions: list[Action] = []
        pending = core.pending.get(eio_sid)
        if isinstance(frame, (bytes, bytearray)):
            if pending is None:
                core.logger.warning("closed %s: a binary frame outside a binary packet", eio_sid)
                return [(CLOSE, "/", None, None)]
            return self._sioschema_attachment(eio_sid, pending, bytes(frame))
        if not isinstance(frame, str):
            # Engine.IO decodes a message that happens to be JSON (``4[1]``, ``4null``)
            header = Header(type=-1, attachments=0, namespace="/", id=None, body=0)
            error = WireError(code="bad_packet", detail="Unknown packet type")
            return [self._sioschema_refuse(eio_sid, header, error)]
        if pending is None and len(frame) <= core.limits.max_payload_bytes:
            fast = core.codec.decode_frame(frame)  # a declared event: one msgspec pass
            if fast is not None and self._sioschema_connected(eio_sid, fast[0]) is not None:
                return [(packet.EVENT, *fast)]
        if pending is not None:  # a text frame where an attachment was due
            del core.pending[eio_sid]
            if not pending.discard:
                data = pending.data
                name = echoed(data[0]) if pending.header.type == packet.BINARY_EVENT else ""
                error = WireError(
                    code="bad_packet", detail="Expected a binary attachment", event=name
                )
                actions.append(self._sioschema_refuse(eio_sid, pending.header, error))
        try:
            actions.append(self._sioschema_packet(eio_sid, frame))
        except WireError as error:
            header = error.header or Header(type=-1, attachments=0, namespace="/", id=None, body=0)
            actions.append(self._sioschema_refuse(eio_sid, header, error))
        return actions

    def _sioschema_packet(self, eio_sid: str, frame: str) -> Action:
        core = self._sioschema
        limits = core.limits
        header = parse_header(frame)
        try:
            if len(frame) > limits.max_payload_bytes:
                detail = f"Packet larger than {limits.max_payload_bytes} bytes"
                raise WireError(code="payload_too_large", detail=detail)
            kind, namespace, id = header.type, header.namespace, header.id
            body = frame[header.body :]
            if kind == packet.CONNECT:
                return (kind, namespace, None, decode_json(body, limits) if body else None)
            if kind == packet.DISCONNECT:
                return (kind, namespace, None, None)
            sid = self._sioschema_connected(eio_sid, namespace)
            if sid is None:
                detail = f"Not connected to namespace `{namespace}`"
                raise WireError(code="unknown_namespace", detail=detail)
            if kind == packet.CONNECT_ERROR:
                raise WireError(code="bad_packet", detail="Clients may not send CONNECT_ERROR")
            data = self._sioschema_json(body, namespace, kind) if body else None
            if kind == packet.EVENT or kind == packet.BINARY_EVENT:
                if type(data) is not list or not data or type(data[0]) is not str:
                    raise WireError(
                        code="bad_packet", detail="Event data must be an array starting with a name"
                    )
                if data[0] in RESERVED_EVENTS:
                    detail = f"`{data[0]}` is reserved by Socket.IO"
                    raise WireError(code="reserved_event", detail=detail, event=data[0])
            else:  # an ack to a server emit
                if type(data) is not list:
                    raise WireError(code="bad_packet", detail="Ack data must be an array")
                callbacks = self.manager.callbacks.get(sid, {})  # type: ignore[attr-defined]
                if id is None or not id or id not in callbacks:
                    raise WireError(code="bad_packet", detail="Unknown ack id")
            if kind == packet.BINARY_EVENT or kind == packet.BINARY_ACK:
                if not 1 <= header.attachments <= limits.max_attachments:
                    detail = f"Binary packets carry 1 to {limits.max_attachments} attachments"
                    core.pending[eio_sid] = Pending(header, None, 0, discard=True)
                    raise WireError(code="payload_too_large", detail=detail)
                core.pending[eio_sid] = Pending(header, data, len(frame))
                return (None, namespace, None, None)
            return (kind, namespace, id, data)
        except WireError as error:
            error.header = header
            if not error.event and header.type in (packet.EVENT, packet.BINARY_EVENT):
                error.event = event_name(frame[header.body :])
            binary = header.type in (packet.BINARY_EVENT, packet.BINARY_ACK)
            if binary and header.attachments >= 1 and eio_sid not in core.pending:
                # the attachments it announced follow: skip them, do not read them as
                # binary frames outside a packet (which closes the connection)
                core.pending[eio_sid] = Pending(header, None, 0, discard=True)
            raise

    def _sioschema_json(self, body: str, namespace: str, kind: int) -> Any:
        limits = self._sioschema.limits
        try:
            return decode_json(body, limits)
        except WireError as error:
            if error.code != "invalid_number" or not error.detail.startswith("Integer"):
                raise
            # integers beyond int64 pass only for an event whose schema declares them
            data = decode_json(body, limits, big_ints=True)
            if kind == packet.EVENT or kind == packet.BINARY_EVENT:
                name = data[0] if type(data) is list and data else None
                event = self._sioschema.declared(namespace, name) if type(name) is str else None
                if event is not None and event.request_codec.big_ints:
                    return data
            raise

    def _sioschema_attachment(self, eio_sid: str, pending: Pending, frame: bytes) -> list[Action]:
        core = self._sioschema
        header = pending.header
        data = pending.data
        name = echoed(data[0]) if header.type == packet.BINARY_EVENT and data else ""
        if pending.discard:
            pending.size += 1
            if pending.size >= header.attachments:
                del core.pending[eio_sid]
            return []
        pending.attachments.append(frame)
        pending.size += len(frame)
        if pending.size > core.limits.max_payload_bytes:
            pending.discard = True
            pending.size = len(pending.attachments)
            if pending.size >= header.attachments:
                del core.pending[eio_sid]
            detail = f"Packet larger than {core.limits.max_payload_bytes} bytes"
            return [
                self._sioschema_refuse(
                    eio_sid, header, WireError(code="payload_too_large", detail=detail, event=name)
                )
            ]
        if len(pending.attachments) < header.attachments:
            return []
        del core.pending[eio_sid]
        try:
            data = self.packet_class.reconstruct_binary(pending.data, pending.attachments)
        except (IndexError, KeyError, TypeError):
            error = WireError(code="bad_packet", detail="Invalid binary placeholder", event=name)
            return [self._sioschema_refuse(eio_sid, header, error)]
        kind = packet.EVENT if header.type == packet.BINARY_EVENT else packet.ACK
        return [(kind, header.namespace, header.id, data)]

    def _sioschema_refuse(self, eio_sid: str, header: Header, error: WireError) -> Action:
        """The answer to a frame that broke the protocol or a limit (logged once)."""
        namespace = header.namespace
        sid = self._sioschema_connected(eio_sid, namespace)
        failure = PayloadError(
            error.code, error.event, error.detail, namespace=namespace, kind="packet"
        )
        reply = self._sioschema.reject(failure, sid or eio_sid)
        if sid is None or header.type == packet.CONNECT:
            return (REFUSE, namespace, None, {"message": error.detail, "data": reply})
        is_event = header.type == packet.EVENT or header.type == packet.BINARY_EVENT
        return (REPLY, namespace, header.id if is_event else None, reply)

    def _sioschema_answer(self, namespace: str, value: Any) -> Any:
        """The packet for a REFUSE action."""
        return self.packet_class(packet.CONNECT_ERROR, data=value, namespace=namespace)

    @property
    def registries(self) -> dict[str, type[EventRegistry]]:
        """The bound registries by namespace."""
        return {ns: found.registry for ns, found in self._sioschema.namespaces.items()}

    @overload
    def on(
        self, event: Event | str, handler: None = None, namespace: str | None = None
    ) -> Callable[[F], F]: ...

    @overload
    def on(self, event: Event | str, handler: F, namespace: str | None = None) -> None: ...

    def on(
        self, event: Event | str, handler: F | None = None, namespace: str | None = None
    ) -> Callable[[F], F] | None:
        """Register a handler for a declared :class:`Event` (or any event name).

        The handler receives ``(sid, *args)`` with the request already validated and
        converted to its declared types; its return value is the ack.
        """
        name, namespace = self._sioschema.handler_key(event, namespace)
        return super().on(name, handler, namespace)  # type: ignore[misc, no-any-return]

    def _sioschema_handles(self, name: str, namespace: str) -> bool:
        """Whether a handler (function, catch-all or namespace class) takes ``name``."""
        handler, _ = self._get_event_handler(name, namespace, ())  # type: ignore[attr-defined]
        if handler is not None:
            return True
        ns_handler, _ = self._get_namespace_handler(namespace, ())  # type: ignore[attr-defined]
        if ns_handler is None:
            return False
        return hasattr(ns_handler, "on_" + name) or _dispatches_any(type(ns_handler))

    def _sioschema_connect_args(self, namespace: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
        """Validate a connection's ``auth`` against the registry; refuse it if it breaks.

        ``args`` is ``(sid, environ, auth)``, or ``(sid, environ)`` when the client sent
        no auth and python-socketio tries the handler's older signature first (releases
        before 5.17): a missing auth is checked as ``None`` either way.
        """
        found = self._sioschema.namespaces.get(namespace)
        codec = found.auth_codec if found is not None else None
        if codec is None or len(args) < 2:
            return args
        try:
            (auth,) = codec.decode((args[2] if len(args) > 2 else None,), "connect", namespace)
        except PayloadError as error:
            reply = self._sioschema.reject(error, args[0])
            raise exceptions.ConnectionRefusedError(error.detail, reply) from None
        return (*args[:2], auth, *args[3:]) if len(args) > 2 else args

    def _sioschema_connect_failed(self, eio_sid: str, namespace: str, exc: Exception) -> Any:
        """A connect handler raised: refuse the connection (fail closed), log once.

        Returns the packet to send, after undoing python-socketio's half-made session.
        """
        namespace = namespace or "/"
        core = self._sioschema
        error = core.internal_error("connect", namespace)
        error.__cause__ = exc
        reply = core.reject(error, eio_sid)
        value = {"message": "Connection refused: internal server error", "data": reply}
        manager = self.manager  # type: ignore[attr-defined]
        sid = manager.sid_from_eio_sid(eio_sid, namespace)
        if self.always_connect:  # type: ignore[attr-defined]
            pkt = self.packet_class(packet.DISCONNECT, data=value, namespace=namespace)
        else:
            pkt = self.packet_class(packet.CONNECT_ERROR, data=value, namespace=namespace)
        return sid, pkt

    def _sioschema_request(
        self, name: str, namespace: str, data: list[Any] | Typed
    ) -> tuple[Event | None, tuple[Any, ...] | list[Any]]:
        """Find the declaration of an incoming event and validate its arguments."""
        core = self._sioschema
        if not self._sioschema_handles(name, namespace):
            raise core.unknown_event(name, namespace)
        if type(data) is Typed:
            return data[1], data[2]
        event = core.declared(namespace, name)
        if event is None:  # a plain handler on a registry namespace: not validated
            return None, data[1:]
        return event, event.request_codec.decode(data[1:], name, namespace)

    def _sioschema_ack(self, event: Event | None, value: Any, namespace: str) -> list[Any]:
        """The ACK packet data for a handler's return value (checked when declared)."""
        if event is not None:
            data = self._sioschema.encode_ack(event, value, namespace)
            arity = event.ack_codec.arity
            # by the declared arity, so a declared `None` value is sent as null
            return [data] if arity == 1 else list(data) if arity else []
        # python-socketio's packing: None is no value, a tuple is several values
        if value is None:
            return []
        if isinstance(value, tuple):
            return list(value)
        return [value]

    def _sioschema_ack_packet(
        self, event: Event | None, namespace: str, id: int, data: list[Any]
    ) -> Any:
        # validated data went through msgspec.to_builtins: it holds no bytes to attach
        binary = False if event is not None else None
        return self.packet_class(packet.ACK, namespace=namespace, id=id, data=data, binary=binary)

    def _sioschema_error_packet(self, namespace: str, id: int | None, reply: Any) -> Any:
        if id is not None:
            return self.packet_class(
                packet.ACK, namespace=namespace, id=id, data=[reply], binary=False
            )
        return self.packet_class(
            packet.EVENT,
            namespace=namespace,
            data=[self._sioschema.error_event, reply],
            binary=False,
        )


class Server(_ServerMixin, socketio.Server):  # type: ignore[misc]
    """A ``socketio.Server`` that validates every declared event.

    :param registry: one :class:`~sioschema.EventRegistry` or several (one per
        namespace).
    :param error_event: the event that carries an error when the client asked for no
        ack (default ``"error"``).
    :param on_payload_error: ``hook(error, sid)`` called for every rejected message;
        return a replacement reply, or ``None`` to send the default one.
    :param limits: a :class:`~sioschema.Limits` (default ``Limits()``): what one client
        may send. Engine.IO's ``max_http_buffer_size`` stays the hard cap on a frame.
    :param docs_url: where the docs page and the AsyncAPI documents are served
        (``"/asyncapi"``: also ``/asyncapi.json`` and ``/asyncapi.yaml``) by this
        module's :class:`WSGIApp`; ``None`` (the default) serves none.
    :param docs_viewer: the base URL of the ``@asyncapi/react-component`` npm package
        (a CDN or your own copy); when given, ``<docs_url>/viewer`` shows the document
        in the official AsyncAPI React viewer. None by default: the docs page needs no
        network.

    Every other argument is python-socketio's.
    """

    def __init__(
        self,
        *args: Any,
        registry: Registries = None,
        error_event: str = "error",
        on_payload_error: ErrorHook | None = None,
        limits: Limits | None = None,
        docs_url: str | None = None,
        docs_viewer: str | None = None,
        **kwargs: Any,
    ) -> None:
        self._sioschema_bind(registry, error_event, on_payload_error, limits, docs_url, docs_viewer)
        kwargs.setdefault("serializer", codec_packet())
        kwargs["namespaces"] = self._sioschema.accepted_namespaces(kwargs.get("namespaces"))
        super().__init__(*args, **kwargs)
        self._sioschema.raw_out = issubclass(self.packet_class, CodecPacket) and writes_raw(
            self.manager  # scale-out: what a message-queue manager can write
        )

    @overload
    def emit(
        self,
        event: Emit[P, Any],
        data: P,
        to: Any = None,
        room: Any = None,
        skip_sid: Any = None,
        namespace: str | None = None,
        callback: Callable[..., Any] | None = None,
        ignore_queue: bool = False,
    ) -> None: ...

    @overload
    def emit(
        self,
        event: str,
        data: Any = None,
        to: Any = None,
        room: Any = None,
        skip_sid: Any = None,
        namespace: str | None = None,
        callback: Callable[..., Any] | None = None,
        ignore_queue: bool = False,
    ) -> None: ...

    def emit(
        self,
        event: Emit[Any, Any] | str,
        data: Any = None,
        to: Any = None,
        room: Any = None,
        skip_sid: Any = None,
        namespace: str | None = None,
        callback: Callable[..., Any] | None = None,
        ignore_queue: bool = False,
    ) -> None:
        """Emit an event; a declared one is validated before anything is sent.

        Raises :class:`~sioschema.PayloadError` when ``data`` breaks the declared type.
        A ``callback`` of an emit that declares an ack receives the ack typed; an ack
        that breaks its type is logged and dropped.
        """
        name, data, namespace, declared = self._sioschema.outgoing(event, data, namespace)
        if callback is not None and declared is not None:
            callback = self._sioschema.checked_callback(declared, namespace, callback)
        super().emit(
            name,
            data=data,
            to=to,
            room=room,
            skip_sid=skip_sid,
            namespace=namespace,
            callback=callback,
            ignore_queue=ignore_queue,
        )

    @overload
    def call(
        self,
        event: Emit[Any, A],
        data: Any = None,
        to: str | None = None,
        sid: str | None = None,
        namespace: str | None = None,
        timeout: float = 60,
        ignore_queue: bool = False,
    ) -> A: ...

    @overload
    def call(
        self,
        event: str,
        data: Any = None,
        to: str | None = None,
        sid: str | None = None,
        namespace: str | None = None,
        timeout: float = 60,
        ignore_queue: bool = False,
    ) -> Any: ...

    def call(
        self,
        event: Emit[Any, Any] | str,
        data: Any = None,
        to: str | None = None,
        sid: str | None = None,
        namespace: str | None = None,
        timeout: float = 60,
        ignore_queue: bool = False,
    ) -> Any:
        """Emit to one client and wait for its ack; a declared ack is validated.

        Raises :class:`~sioschema.PayloadError` (code ``invalid_ack``) when the client's
        ack breaks the declared type, ``socketio.exceptions.TimeoutError`` on timeout.
        """
        if to is None and sid is None:
            msg = "Cannot use call() to broadcast."
            raise ValueError(msg)
        if not self.async_handlers:
            msg = "Cannot use call() when async_handlers is False."
            raise RuntimeError(msg)
        name, data, namespace, declared = self._sioschema.outgoing(event, data, namespace)
        done = self.eio.create_event()
        received: list[tuple[Any, ...]] = []

        def event_callback(*args: Any) -> None:
            received.append(args)
            done.set()

        super().emit(
            name,
            data=data,
            room=to or sid,
            namespace=namespace,
            callback=event_callback,
            ignore_queue=ignore_queue,
        )
        if not done.wait(timeout=timeout):
            raise exceptions.TimeoutError()
        return self._sioschema.decode_call_ack(declared, namespace, received[0])

    def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        if not _screened(self.packet_class):  # a custom serializer: not screened
            super()._handle_eio_message(eio_sid, data)
            return
        for what, namespace, id, value in self._sioschema_screen(eio_sid, data):
            if what == packet.EVENT:
                self._handle_event(eio_sid, namespace, id, value)
            elif what == packet.ACK:
                self._handle_ack(eio_sid, namespace, id, value)
            elif what == packet.CONNECT:
                self._handle_connect(eio_sid, namespace, value)
            elif what == packet.DISCONNECT:
                self._handle_disconnect(eio_sid, namespace, self.reason.CLIENT_DISCONNECT)
            elif what == REPLY:
                self._send_packet(eio_sid, self._sioschema_error_packet(namespace, id, value))
            elif what == REFUSE:
                self._send_packet(eio_sid, self._sioschema_answer(namespace, value))
            elif what == CLOSE:
                self.eio.disconnect(eio_sid)

    def handle_request(self, environ: Any, start_response: Any) -> Any:
        """python-socketio's WSGI entry point; warns once if docs are set but unserved."""
        _docs_unserved(self)
        return super().handle_request(environ, start_response)

    def _handle_eio_disconnect(self, eio_sid: str, reason: Any = None) -> None:
        try:
            super()._handle_eio_disconnect(eio_sid, reason)
        finally:
            self._sioschema.forget(eio_sid)

    def _handle_connect(self, eio_sid: str, namespace: str, data: Any) -> None:
        try:
            super()._handle_connect(eio_sid, namespace, data)
        except Exception as exc:
            sid, pkt = self._sioschema_connect_failed(eio_sid, namespace, exc)
            namespace = namespace or "/"
            if sid is not None and self.always_connect:
                self.manager.pre_disconnect(sid, namespace)
            self._send_packet(eio_sid, pkt)
            if sid is not None:
                self.manager.disconnect(sid, namespace, ignore_queue=True)

    def _trigger_event(self, event: str, namespace: str, *args: Any) -> Any:
        if event == "connect":
            args = self._sioschema_connect_args(namespace, args)
        return super()._trigger_event(event, namespace, *args)

    def _handle_event(self, eio_sid: str, namespace: str, id: Any, data: Any) -> None:
        namespace = namespace or "/"
        sid = self.manager.sid_from_eio_sid(eio_sid, namespace)
        if not self.manager.is_connected(sid, namespace):
            self.logger.warning("%s is not connected to namespace %s", sid, namespace)
            return
        if not self.async_handlers:
            self._handle_event_internal(self, sid, eio_sid, data, namespace, id)
            return
        core = self._sioschema
        if not core.enter(eio_sid):
            reply = core.reject(core.rate_limited(data[0], namespace), sid)
            self._send_packet(eio_sid, self._sioschema_error_packet(namespace, id, reply))
            return
        self.start_background_task(self._sioschema_run, sid, eio_sid, data, namespace, id)

    def _sioschema_run(self, sid: str, eio_sid: str, data: Any, namespace: str, id: Any) -> None:
        try:
            self._handle_event_internal(self, sid, eio_sid, data, namespace, id)
        finally:
            self._sioschema.leave(eio_sid)

    def _handle_event_internal(
        self, server: Server, sid: str, eio_sid: str, data: list[Any], namespace: str, id: Any
    ) -> None:
        core = self._sioschema
        name = data[0]
        if not isinstance(name, str):  # only with a custom serializer (not screened)
            super()._handle_event_internal(server, sid, eio_sid, data, namespace, id)
            return
        try:
            event, args = self._sioschema_request(name, namespace, data)
            try:
                value = server._trigger_event(name, namespace, sid, *args)
            except Exception as exc:
                raise core.internal_error(name, namespace) from exc
            if id is None:
                return
            ack = self._sioschema_ack(event, value, namespace)
        except PayloadError as error:
            reply = core.reject(error, sid)
            self._send_packet(eio_sid, self._sioschema_error_packet(namespace, id, reply))
            return
        self._send_packet(eio_sid, self._sioschema_ack_packet(event, namespace, id, ack))


class AsyncServer(_ServerMixin, socketio.AsyncServer):  # type: ignore[misc]
    """A ``socketio.AsyncServer`` that validates every declared event.

    The asyncio mirror of :class:`Server`, with the same arguments; ``emit`` and
    ``call`` are coroutines, handlers may be coroutines or plain functions. The docs
    (``docs_url=``) are served by this module's :class:`ASGIApp`.
    """

    def __init__(
        self,
        *args: Any,
        registry: Registries = None,
        error_event: str = "error",
        on_payload_error: ErrorHook | None = None,
        limits: Limits | None = None,
        docs_url: str | None = None,
        docs_viewer: str | None = None,
        **kwargs: Any,
    ) -> None:
        self._sioschema_bind(registry, error_event, on_payload_error, limits, docs_url, docs_viewer)
        kwargs.setdefault("serializer", codec_packet())
        kwargs["namespaces"] = self._sioschema.accepted_namespaces(kwargs.get("namespaces"))
        super().__init__(*args, **kwargs)
        self._sioschema.raw_out = issubclass(self.packet_class, CodecPacket) and writes_raw(
            self.manager  # scale-out: what a message-queue manager can write
        )

    @overload
    async def emit(
        self,
        event: Emit[P, Any],
        data: P,
        to: Any = None,
        room: Any = None,
        skip_sid: Any = None,
        namespace: str | None = None,
        callback: Callable[..., Any] | None = None,
        ignore_queue: bool = False,
    ) -> None: ...

    @overload
    async def emit(
        self,
        event: str,
        data: Any = None,
        to: Any = None,
        room: Any = None,
        skip_sid: Any = None,
        namespace: str | None = None,
        callback: Callable[..., Any] | None = None,
        ignore_queue: bool = False,
    ) -> None: ...

    async def emit(
        self,
        event: Emit[Any, Any] | str,
        data: Any = None,
        to: Any = None,
        room: Any = None,
        skip_sid: Any = None,
        namespace: str | None = None,
        callback: Callable[..., Any] | None = None,
        ignore_queue: bool = False,
    ) -> None:
        """Emit an event; a declared one is validated before anything is sent.

        Raises :class:`~sioschema.PayloadError` when ``data`` breaks the declared type.
        A ``callback`` of an emit that declares an ack receives the ack typed; an ack
        that breaks its type is logged and dropped.
        """
        name, data, namespace, declared = self._sioschema.outgoing(event, data, namespace)
        if callback is not None and declared is not None:
            callback = self._sioschema.checked_callback(declared, namespace, callback)
        await super().emit(
            name,
            data=data,
            to=to,
            room=room,
            skip_sid=skip_sid,
            namespace=namespace,
            callback=callback,
            ignore_queue=ignore_queue,
        )

    @overload
    async def call(
        self,
        event: Emit[Any, A],
        data: Any = None,
        to: str | None = None,
        sid: str | None = None,
        namespace: str | None = None,
        timeout: float = 60,
        ignore_queue: bool = False,
    ) -> A: ...

    @overload
    async def call(
        self,
        event: str,
        data: Any = None,
        to: str | None = None,
        sid: str | None = None,
        namespace: str | None = None,
        timeout: float = 60,
        ignore_queue: bool = False,
    ) -> Any: ...

    async def call(
        self,
        event: Emit[Any, Any] | str,
        data: Any = None,
        to: str | None = None,
        sid: str | None = None,
        namespace: str | None = None,
        timeout: float = 60,
        ignore_queue: bool = False,
    ) -> Any:
        """Emit to one client and wait for its ack; a declared ack is validated.

        Raises :class:`~sioschema.PayloadError` (code ``invalid_ack``) when the client's
        ack breaks the declared type, ``socketio.exceptions.TimeoutError`` on timeout.
        """
        if to is None and sid is None:
            msg = "Cannot use call() to broadcast."
            raise ValueError(msg)
        if not self.async_handlers:
            msg = "Cannot use call() when async_handlers is False."
            raise RuntimeError(msg)
        name, data, namespace, declared = self._sioschema.outgoing(event, data, namespace)
        done = self.eio.create_event()
        received: list[tuple[Any, ...]] = []

        def event_callback(*args: Any) -> None:
            received.append(args)
            done.set()

        await super().emit(
            name,
            data=data,
            room=to or sid,
            namespace=namespace,
            callback=event_callback,
            ignore_queue=ignore_queue,
        )
        try:
            await asyncio.wait_for(done.wait(), timeout)
        except asyncio.TimeoutError:
            raise exceptions.TimeoutError() from None
        return self._sioschema.decode_call_ack(declared, namespace, received[0])

    async def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        if not _screened(self.packet_class):  # a custom serializer: not screened
            await super()._handle_eio_message(eio_sid, data)
            return
        for what, namespace, id, value in self._sioschema_screen(eio_sid, data):
            if what == packet.EVENT:
                await self._handle_event(eio_sid, namespace, id, value)
            elif what == packet.ACK:
                await self._handle_ack(eio_sid, namespace, id, value)
            elif what == packet.CONNECT:
                await self._handle_connect(eio_sid, namespace, value)
            elif what == packet.DISCONNECT:
                await self._handle_disconnect(eio_sid, namespace, self.reason.CLIENT_DISCONNECT)
            elif what == REPLY:
                await self._send_packet(eio_sid, self._sioschema_error_packet(namespace, id, value))
            elif what == REFUSE:
                await self._send_packet(eio_sid, self._sioschema_answer(namespace, value))
            elif what == CLOSE:
                await self.eio.disconnect(eio_sid)

    async def handle_request(self, *args: Any, **kwargs: Any) -> Any:
        """python-socketio's entry point; warns once if docs are set but unserved."""
        _docs_unserved(self)
        return await super().handle_request(*args, **kwargs)

    def attach(self, app: Any, socketio_path: str = "socket.io") -> None:
        """Attach to an aiohttp (or other) app, as python-socketio does; on aiohttp the
        docs pages of ``docs_url=`` are added to the app's routes too."""
        super().attach(app, socketio_path)
        docs = self._sioschema_docs
        if docs is None:
            return
        if self.async_mode != "aiohttp":
            _docs_unserved(self)  # sanic, tornado: not served, and said so now
            return
        from aiohttp import web

        async def page(request: web.Request) -> web.Response:
            found = docs.get(request.path)
            assert found is not None  # routed only for docs paths
            return web.Response(
                body=found.body, status=found.status, headers={"Content-Type": found.content_type}
            )

        for path in docs.paths:
            app.router.add_get(path, page)
        docs.served = True

    async def _handle_eio_disconnect(self, eio_sid: str, reason: Any = None) -> None:
        try:
            await super()._handle_eio_disconnect(eio_sid, reason)
        finally:
            self._sioschema.forget(eio_sid)

    async def _handle_connect(self, eio_sid: str, namespace: str, data: Any) -> None:
        try:
            await super()._handle_connect(eio_sid, namespace, data)
        except Exception as exc:
            sid, pkt = self._sioschema_connect_failed(eio_sid, namespace, exc)
            namespace = namespace or "/"
            if sid is not None and self.always_connect:
                self.manager.pre_disconnect(sid, namespace)
            await self._send_packet(eio_sid, pkt)
            if sid is not None:
                await self.manager.disconnect(sid, namespace, ignore_queue=True)

    async def _trigger_event(self, event: str, namespace: str, *args: Any) -> Any:
        if event == "connect":
            args = self._sioschema_connect_args(namespace, args)
        return await super()._trigger_event(event, namespace, *args)

    async def _handle_event(self, eio_sid: str, namespace: str, id: Any, data: Any) -> None:
        namespace = namespace or "/"
        sid = self.manager.sid_from_eio_sid(eio_sid, namespace)
        if not self.manager.is_connected(sid, namespace):
            self.logger.warning("%s is not connected to namespace %s", sid, namespace)
            return
        if not self.async_handlers:
            await self._handle_event_internal(self, sid, eio_sid, data, namespace, id)
            return
        core = self._sioschema
        if not core.enter(eio_sid):
            reply = core.reject(core.rate_limited(data[0], namespace), sid)
            await self._send_packet(eio_sid, self._sioschema_error_packet(namespace, id, reply))
            return
        task = self.start_background_task(self._sioschema_run, sid, eio_sid, data, namespace, id)
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)

    async def _sioschema_run(
        self, sid: str, eio_sid: str, data: Any, namespace: str, id: Any
    ) -> None:
        try:
            await self._handle_event_internal(self, sid, eio_sid, data, namespace, id)
        finally:
            self._sioschema.leave(eio_sid)

    async def _handle_event_internal(
        self,
        server: AsyncServer,
        sid: str,
        eio_sid: str,
        data: list[Any],
        namespace: str,
        id: Any,
    ) -> None:
        core = self._sioschema
        name = data[0]
        if not isinstance(name, str):  # only with a custom serializer (not screened)
            await super()._handle_event_internal(server, sid, eio_sid, data, namespace, id)
            return
        try:
            event, args = self._sioschema_request(name, namespace, data)
            try:
                value = await server._trigger_event(name, namespace, sid, *args)
            except Exception as exc:
                raise core.internal_error(name, namespace) from exc
            if id is None:
                return
            ack = self._sioschema_ack(event, value, namespace)
        except PayloadError as error:
            reply = core.reject(error, sid)
            await self._send_packet(eio_sid, self._sioschema_error_packet(namespace, id, reply))
            return
        await self._send_packet(eio_sid, self._sioschema_ack_packet(event, namespace, id, ack))


_NOT_ALLOWED = Page(405, "text/plain; charset=utf-8", b"Method Not Allowed")
_REASONS = {200: "OK", 405: "Method Not Allowed", 501: "Not Implemented"}


def _docs_page(server: Any, path: str, method: str) -> Page | None:
    """The docs page for a request, if the server serves one at ``path``."""
    docs: DocsPages | None = getattr(server, "_sioschema_docs", None)
    page = docs.get(path) if docs is not None else None
    if page is not None and method not in ("GET", "HEAD"):
        return _NOT_ALLOWED
    return page


def _docs_unserved(server: Any) -> None:
    """Say once, on a server's first Socket.IO request (or when it is attached to a
    framework other than aiohttp), that its docs pages are not served: it was bound with
    ``docs_url=`` but runs under an app that does not serve them (a stock
    ``socketio.ASGIApp`` / ``WSGIApp``), so every docs path answers 404."""
    docs: DocsPages | None = getattr(server, "_sioschema_docs", None)
    if docs is None or docs.served:
        return
    docs.served = True  # one warning
    kind = "ASGIApp" if isinstance(server, socketio.AsyncServer) else "WSGIApp"
    logger.warning(
        "docs_url=%r is set, but this server runs under an app that does not serve the "
        "docs pages (they answer 404): wrap the server in sioschema.socketio.%s instead "
        "of socketio.%s",
        docs.url,
        kind,
        kind,
    )


class WSGIApp(socketio.WSGIApp):  # type: ignore[misc]
    """``socketio.WSGIApp`` that also serves the docs of a :class:`Server` bound with
    ``docs_url=``. Takes python-socketio's arguments."""

    def __init__(self, socketio_app: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(socketio_app, *args, **kwargs)
        docs: DocsPages | None = getattr(socketio_app, "_sioschema_docs", None)
        if docs is not None:
            docs.served = True

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        method = environ.get("REQUEST_METHOD", "GET")
        page = _docs_page(self.engineio_app, environ.get("PATH_INFO") or "", method)
        if page is None:
            return super().__call__(environ, start_response)
        headers = [("Content-Type", page.content_type), ("Content-Length", str(len(page.body)))]
        if page is _NOT_ALLOWED:
            headers.append(("Allow", "GET, HEAD"))
        start_response(f"{page.status} {_REASONS[page.status]}", headers)
        return [b"" if method == "HEAD" else page.body]


class ASGIApp(socketio.ASGIApp):  # type: ignore[misc]
    """``socketio.ASGIApp`` that also serves the docs of an :class:`AsyncServer` bound
    with ``docs_url=``. Takes python-socketio's arguments."""

    def __init__(self, socketio_server: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(socketio_server, *args, **kwargs)
        docs: DocsPages | None = getattr(socketio_server, "_sioschema_docs", None)
        if docs is not None:
            docs.served = True

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        method = scope.get("method", "GET")
        page = None
        if scope["type"] == "http":
            page = _docs_page(self.engineio_server, scope.get("path", ""), method)
        if page is None:
            await super().__call__(scope, receive, send)
            return
        headers = [
            (b"content-type", page.content_type.encode()),
            (b"content-length", str(len(page.body)).encode()),
        ]
        if page is _NOT_ALLOWED:
            headers.append((b"allow", b"GET, HEAD"))
        await send({"type": "http.response.start", "status": page.status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else page.body})
