"""python-socketio adapters: :class:`Server` and :class:`AsyncServer`.

Both subclass python-socketio's servers and mirror each other method for method. They
are thin: every Engine.IO message goes to the protocol core (:mod:`sioschema._core`),
which screens and validates it without I/O, and the adapter carries out the actions it
returns through python-socketio's own methods (the private ones are listed in
:mod:`sioschema._seams`). Handlers receive ``(sid, *typed_args)``; their return value
is checked as the ack.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Callable
from typing import Any, overload

import socketio
from socketio import packet

from . import _adapter, _seams
from ._apps import ASGIApp, WSGIApp, add_aiohttp_routes, docs_unserved
from ._core import (
    ACKING,
    Ack,
    Acked,
    AckRefused,
    Close,
    Connect,
    Core,
    Deliver,
    Disconnect,
    ErrorHook,
    Refuse,
    Reply,
)
from ._docs import DocsPages
from ._handlers import check_handler as _check_handler
from ._migration import refuse_sio_asyncapi
from ._packet import CodecPacket, codec_packet, writes_raw
from ._registry import A, Emit, Event, EventRegistry, P, R, Several
from ._typing import F, RegisterMany, RegisterNone, RegisterOne, Registries
from ._wire import Limits, echoed
from .errors import PayloadError

__all__ = ["ASGIApp", "AsyncServer", "Server", "WSGIApp"]

_seams.check("socketio", "engineio")  # the upstream names the adapters rely on, see _seams

logger = logging.getLogger("sioschema")
_tasks: set[asyncio.Task[Any]] = set()  # handler tasks, referenced until they finish

# Set while ``call()`` runs: python-socketio's ``call`` emits through ``self.emit``, whose
# callback wrapper then hands a failed ack to ``call`` (to raise) instead of dropping it
# (a seam: _seams checks that upstream's ``call`` still goes through ``self.emit``).
_calling: contextvars.ContextVar[bool] = contextvars.ContextVar("sioschema_calling", default=False)


def _dispatches_any(namespace_class: type) -> bool:
    """Whether a class-based namespace overrides ``trigger_event`` (python-socketio's
    catch-all for a class): then it takes every event, not only its ``on_<name>`` ones."""
    for cls in namespace_class.__mro__:
        if "trigger_event" in vars(cls):
            return cls.__module__.partition(".")[0] not in ("socketio", "flask_socketio")
    return False


class _Sessions:
    """The core's questions, answered from python-socketio's manager and handlers.

    Whether an event has a handler is read off python-socketio's registrations
    (``handlers``, ``namespace_handlers``) as they are at that frame, by its own
    resolution rules (``_get_event_handler``, then ``_get_namespace_handler``): a function
    handler of the namespace for the event or the catch-all event ``*``, then one of the
    catch-all namespace ``*``, else the class-based namespace of the namespace (or of
    ``*``) when it has an ``on_<event>`` method or overrides ``trigger_event``. These
    are dict reads, not a call of python-socketio's lookup: that runs once per event, in
    ``_trigger_event``, and a handler however registered (``on()``, ``@event``,
    ``register_namespace()``, or written into ``handlers``) counts at once.
    """

    __slots__ = ("_server",)

    def __init__(self, server: Any) -> None:
        self._server = server

    def sid(self, eio_sid: str, namespace: str) -> str | None:
        manager = self._server.manager
        sid = manager.sid_from_eio_sid(eio_sid, namespace)
        if sid is None or not manager.is_connected(sid, namespace):
            return None
        return sid  # type: ignore[no-any-return]

    def awaits_ack(self, sid: str, id: int) -> Any:
        return self._server.manager.callbacks.get(sid, {}).get(id)

    def handles(self, namespace: str, name: str) -> bool:
        server = self._server
        handlers: dict[str, dict[str, Any]] = server.handlers
        found = handlers.get(namespace)
        if found is not None and (name in found or "*" in found):
            return True
        found = handlers.get("*")
        if found is not None and (name in found or "*" in found):
            return True
        classes: dict[str, Any] = server.namespace_handlers
        instance = classes.get(namespace)
        if instance is None:
            instance = classes.get("*")
        if instance is None:
            return False
        return hasattr(instance, "on_" + name) or _dispatches_any(type(instance))


class _ServerMixin:
    """What both servers share; no I/O here (python-socketio's ``base_server`` idea)."""

    _sioschema: Core
    _sioschema_docs: DocsPages | None
    _sioschema_screened: bool
    packet_class: Any

    def _sioschema_attach_core(self, core: Core, docs: DocsPages | None) -> None:
        """Attach the core to this server: the one bind every adapter goes through."""
        self._sioschema = core
        self._sioschema_docs = docs
        self._sioschema_screened = _adapter.screened(self.packet_class)
        # pre-encoded JSON only where a message-queue manager can write it
        queue_ok = writes_raw(self.manager)  # type: ignore[attr-defined]
        core.attach(
            _Sessions(self),
            self.packet_class.reconstruct_binary,
            raw_out=issubclass(self.packet_class, CodecPacket) and queue_ok,
        )

    @property
    def limits(self) -> Limits:
        """The limits every client's frames are held to."""
        return self._sioschema.limits

    @property
    def registries(self) -> dict[str, type[EventRegistry]]:
        """The bound registries by namespace."""
        return {ns: found.registry for ns, found in self._sioschema.namespaces.items()}

    def _sioschema_receive(self, eio_sid: str, data: Any) -> list[Any]:
        """The core's actions for one Engine.IO message."""
        core = self._sioschema
        if self._sioschema_screened or core.expects_attachment(eio_sid):
            return core.receive(eio_sid, data)
        # another serializer (msgpack, ...): it decodes, the core screens what it made
        return _adapter.receive_decoded(core, self.packet_class, eio_sid, data)

    def _sioschema_on(self, event: Event | str, handler: Any, namespace: str | None) -> Any:
        name, namespace = self._sioschema.handler_key(event, namespace)
        if handler is None:

            def register(handler: Any) -> Any:
                _check_handler(event, handler, skip=1)
                super(_ServerMixin, self).on(name, handler, namespace)  # type: ignore[misc]
                return handler

            return register
        _check_handler(event, handler, skip=1)
        super().on(name, handler, namespace)  # type: ignore[misc]

    def _sioschema_connect_failed(
        self, eio_sid: str, namespace: str, exc: Exception
    ) -> tuple[str | None, list[Any]]:
        """A connect handler raised: refuse the connection (fail closed), log once.

        Returns the session and the packets to send; python-socketio leaves the
        half-made session to undo. A ``CONNECT_ERROR`` carries the error object; with
        ``always_connect=True`` the client has its CONNECT already, and the protocol's
        DISCONNECT carries no data: the error object goes as one error event, then a
        plain DISCONNECT.
        """
        core = self._sioschema
        error = core.internal_error("connect", namespace)
        error.__cause__ = exc
        reply = core.logged_reply(error, eio_sid)
        sid = self.manager.sid_from_eio_sid(eio_sid, namespace)  # type: ignore[attr-defined]
        if self.always_connect:  # type: ignore[attr-defined]
            return sid, [
                _adapter.reply_packet(
                    self.packet_class, Reply(namespace, None, reply), core.error_event
                ),
                self.packet_class(packet.DISCONNECT, namespace=namespace),
            ]
        value = {"message": "Connection refused: internal server error", "data": reply}
        return sid, [self.packet_class(packet.CONNECT_ERROR, data=value, namespace=namespace)]

    def _sioschema_unknown_namespace(self, eio_sid: str, namespace: str | None) -> Any:
        """The ``CONNECT_ERROR`` for a namespace no handler, registry or ``namespaces=``
        takes, with the error object (python-socketio's own is a bare ``"Unable to
        connect"``), logged; ``None`` for a namespace python-socketio accepts."""
        namespace = namespace or "/"
        if (
            namespace in self.handlers  # type: ignore[attr-defined]
            or namespace in self.namespace_handlers  # type: ignore[attr-defined]
            or self.namespaces == "*"  # type: ignore[attr-defined]
            or namespace in self.namespaces  # type: ignore[attr-defined]
        ):
            return None
        shown = echoed(namespace)
        detail = f"Unknown namespace `{shown}`" if shown else "Unknown namespace"
        error = PayloadError("unknown_namespace", "", detail, namespace=namespace, kind="packet")
        reply = self._sioschema.logged_reply(error, eio_sid)
        value = {"message": detail, "data": reply}
        return self.packet_class(packet.CONNECT_ERROR, data=value, namespace=namespace)


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

    Every other argument is python-socketio's. sio-asyncapi's ``validate``,
    ``generate_docs``, ``version``, ``title``, ``description``, ``server_url`` and
    ``server_name`` raise ``TypeError`` naming what replaces each: Engine.IO would
    otherwise accept and ignore them.
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
        refuse_sio_asyncapi(type(self).__name__, kwargs)
        core, docs = _adapter.server_core(
            registry, error_event, on_payload_error, limits, docs_url, docs_viewer
        )
        kwargs.setdefault("serializer", codec_packet())
        kwargs["namespaces"] = core.accepted_namespaces(kwargs.get("namespaces"))
        super().__init__(*args, **kwargs)
        self._sioschema_attach_core(core, docs)

    @overload
    def on(
        self, event: Event[Several, A], handler: None = None, namespace: str | None = None
    ) -> Callable[[Callable[..., A]], Callable[..., A]]: ...

    @overload
    def on(
        self, event: Event[None, A], handler: None = None, namespace: str | None = None
    ) -> Callable[[Callable[[str], A]], Callable[[str], A]]: ...

    @overload
    def on(
        self, event: Event[R, A], handler: None = None, namespace: str | None = None
    ) -> Callable[[Callable[[str, R], A]], Callable[[str, R], A]]: ...

    @overload
    def on(
        self, event: str, handler: None = None, namespace: str | None = None
    ) -> Callable[[F], F]: ...

    @overload
    def on(self, event: Event | str, handler: F, namespace: str | None = None) -> None: ...

    def on(self, event: Event | str, handler: Any = None, namespace: str | None = None) -> Any:
        """Register a handler for a declared :class:`Event` (or any event name).

        The handler receives ``(sid, *args)`` with the request already validated and
        converted to its declared types; its return value is the ack. A type checker
        checks the handler against an ``Event[Request, Ack]``; at run time a handler
        whose annotations contradict the declaration (``-> None`` for a declared ack,
        a request parameter of another class) raises
        :class:`~sioschema.SioSchemaError`, naming both.
        """
        return self._sioschema_on(event, handler, namespace)

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
        that was refused (an integer beyond int64, ``NaN``, over the limits) or breaks
        its type never reaches it: it is logged (one WARNING naming the event), given to
        ``on_payload_error`` and dropped, and its ack id released.
        """
        name, data, namespace, declared = self._sioschema.outgoing(event, data, namespace)
        super().emit(
            name,
            data=data,
            to=to,
            room=room,
            skip_sid=skip_sid,
            namespace=namespace,
            callback=self._sioschema.checked_callback(
                declared,
                namespace,
                callback,
                name=name,
                to=to or room,
                for_call=_calling.get(),
            ),
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

        Raises :class:`~sioschema.PayloadError` (code ``invalid_ack``) as soon as the
        client's ack is refused (its ``detail`` names why, such as ``"Integer out of the
        int64 range"``) or breaks the declared type, also when the client sits on another
        process of a message queue; ``socketio.exceptions.TimeoutError`` on timeout.

        python-socketio's own ``call()`` does the waiting (its timeout, its message
        queue); it sends through ``self.emit``, which reads the context variable set
        here and wraps the callback so a failed ack reaches ``call`` to be raised. That
        upstream behaviour is a seam: :mod:`sioschema._seams` checks at import that
        ``call`` still goes through ``self.emit``, on every supported release.
        """
        token = _calling.set(True)
        try:
            result = super().call(
                event,
                data=data,
                to=to,
                sid=sid,
                namespace=namespace,
                timeout=timeout,
                ignore_queue=ignore_queue,
            )
        finally:
            _calling.reset(token)
        return self._sioschema.call_result(result)

    def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        for action in self._sioschema_receive(eio_sid, data):
            kind = type(action)
            if kind is Deliver:
                self._sioschema_deliver(eio_sid, action)
            elif kind is Acked or kind is AckRefused:
                token = ACKING.set(action.sid)  # the peer, for on_payload_error
                try:
                    self._handle_ack(eio_sid, action.namespace, action.id, action.args)
                finally:
                    ACKING.reset(token)
            elif kind is Connect:
                self._handle_connect(eio_sid, action.namespace, action.data)
            elif kind is Disconnect:
                self._handle_disconnect(eio_sid, action.namespace, self.reason.CLIENT_DISCONNECT)
            elif kind is Reply:
                self._sioschema_send_reply(eio_sid, action)
            elif kind is Refuse:
                self._send_packet(eio_sid, _adapter.refusal_packet(self.packet_class, action))
            elif kind is Close:
                self.eio.disconnect(eio_sid)

    def _sioschema_deliver(self, eio_sid: str, action: Deliver) -> None:
        if not self.async_handlers:
            self._sioschema_call(eio_sid, action)
            return
        refused = self._sioschema.busy(eio_sid, action)
        if refused is not None:
            self._sioschema_send_reply(eio_sid, refused)
            return
        self.start_background_task(self._sioschema_run, eio_sid, action)

    def _sioschema_run(self, eio_sid: str, action: Deliver) -> None:
        try:
            self._sioschema_call(eio_sid, action)
        finally:
            self._sioschema.leave(eio_sid)

    def _sioschema_call(self, eio_sid: str, action: Deliver) -> None:
        """Run the handler of a delivered event and send what the core makes of its
        result (the checked ack, or the error)."""
        core = self._sioschema
        try:
            value = self._trigger_event(action.name, action.namespace, action.sid, *action.args)
        except Exception as exc:
            self._sioschema_send_reply(eio_sid, core.failed(action, exc))
            return
        out = core.finish(action, value)
        if type(out) is Ack:
            self._send_packet(eio_sid, _adapter.ack_packet(self.packet_class, out))
        elif type(out) is Reply:
            self._sioschema_send_reply(eio_sid, out)

    def _sioschema_send_reply(self, eio_sid: str, reply: Reply) -> None:
        """Send an error reply: as its ack, or one error event."""
        pkt = _adapter.reply_packet(self.packet_class, reply, self._sioschema.error_event)
        self._send_packet(eio_sid, pkt)

    def handle_request(self, environ: Any, start_response: Any) -> Any:
        """python-socketio's WSGI entry point; warns once if docs are set but unserved."""
        docs_unserved(self)
        return super().handle_request(environ, start_response)

    def _handle_eio_disconnect(self, eio_sid: str, reason: Any = None) -> None:
        try:
            super()._handle_eio_disconnect(eio_sid, reason)
        finally:
            self._sioschema.forget(eio_sid)

    def _handle_connect(self, eio_sid: str, namespace: str, data: Any) -> None:
        refused = self._sioschema_unknown_namespace(eio_sid, namespace)
        if refused is not None:
            self._send_packet(eio_sid, refused)
            return
        try:
            super()._handle_connect(eio_sid, namespace, data)
        except Exception as exc:
            sid, pkts = self._sioschema_connect_failed(eio_sid, namespace, exc)
            if sid is not None and self.always_connect:
                self.manager.pre_disconnect(sid, namespace)
            for pkt in pkts:
                self._send_packet(eio_sid, pkt)
            if sid is not None:
                self.manager.disconnect(sid, namespace, ignore_queue=True)


class AsyncServer(_ServerMixin, socketio.AsyncServer):  # type: ignore[misc]
    """A ``socketio.AsyncServer`` that validates every declared event.

    The asyncio mirror of :class:`Server`, with the same arguments; ``emit`` and
    ``call`` are coroutines, handlers may be coroutines or plain functions. The docs
    (``docs_url=``) are served by this module's :class:`ASGIApp`, or on aiohttp by
    ``attach``.
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
        refuse_sio_asyncapi(type(self).__name__, kwargs)
        core, docs = _adapter.server_core(
            registry, error_event, on_payload_error, limits, docs_url, docs_viewer
        )
        kwargs.setdefault("serializer", codec_packet())
        kwargs["namespaces"] = core.accepted_namespaces(kwargs.get("namespaces"))
        super().__init__(*args, **kwargs)
        self._sioschema_attach_core(core, docs)

    @overload
    def on(
        self, event: Event[Several, A], handler: None = None, namespace: str | None = None
    ) -> RegisterMany[A]: ...

    @overload
    def on(
        self, event: Event[None, A], handler: None = None, namespace: str | None = None
    ) -> RegisterNone[A]: ...

    @overload
    def on(
        self, event: Event[R, A], handler: None = None, namespace: str | None = None
    ) -> RegisterOne[R, A]: ...

    @overload
    def on(
        self, event: str, handler: None = None, namespace: str | None = None
    ) -> Callable[[F], F]: ...

    @overload
    def on(self, event: Event | str, handler: F, namespace: str | None = None) -> None: ...

    def on(self, event: Event | str, handler: Any = None, namespace: str | None = None) -> Any:
        """Register a handler for a declared :class:`Event` (or any event name).

        The handler receives ``(sid, *args)`` with the request already validated and
        converted to its declared types; its return value is the ack. A type checker
        checks the handler (a coroutine function or a plain one) against an
        ``Event[Request, Ack]``; at run time a handler whose annotations contradict the
        declaration (``-> None`` for a declared ack, a request parameter of another
        class) raises
        :class:`~sioschema.SioSchemaError`, naming both.
        """
        return self._sioschema_on(event, handler, namespace)

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
        that was refused (an integer beyond int64, ``NaN``, over the limits) or breaks
        its type never reaches it: it is logged (one WARNING naming the event), given to
        ``on_payload_error`` and dropped, and its ack id released.
        """
        name, data, namespace, declared = self._sioschema.outgoing(event, data, namespace)
        await super().emit(
            name,
            data=data,
            to=to,
            room=room,
            skip_sid=skip_sid,
            namespace=namespace,
            callback=self._sioschema.checked_callback(
                declared,
                namespace,
                callback,
                name=name,
                to=to or room,
                for_call=_calling.get(),
            ),
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

        Raises :class:`~sioschema.PayloadError` (code ``invalid_ack``) as soon as the
        client's ack is refused (its ``detail`` names why, such as ``"Integer out of the
        int64 range"``) or breaks the declared type, also when the client sits on another
        process of a message queue; ``socketio.exceptions.TimeoutError`` on timeout.

        python-socketio's own ``call()`` does the waiting (its timeout, its message
        queue); it sends through ``self.emit``, which reads the context variable set
        here and wraps the callback so a failed ack reaches ``call`` to be raised. That
        upstream behaviour is a seam: :mod:`sioschema._seams` checks at import that
        ``call`` still goes through ``self.emit``, on every supported release.
        """
        token = _calling.set(True)
        try:
            result = await super().call(
                event,
                data=data,
                to=to,
                sid=sid,
                namespace=namespace,
                timeout=timeout,
                ignore_queue=ignore_queue,
            )
        finally:
            _calling.reset(token)
        return self._sioschema.call_result(result)

    async def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        for action in self._sioschema_receive(eio_sid, data):
            kind = type(action)
            if kind is Deliver:
                await self._sioschema_deliver(eio_sid, action)
            elif kind is Acked or kind is AckRefused:
                token = ACKING.set(action.sid)  # the peer, for on_payload_error
                try:
                    await self._handle_ack(eio_sid, action.namespace, action.id, action.args)
                finally:
                    ACKING.reset(token)
            elif kind is Connect:
                await self._handle_connect(eio_sid, action.namespace, action.data)
            elif kind is Disconnect:
                await self._handle_disconnect(
                    eio_sid, action.namespace, self.reason.CLIENT_DISCONNECT
                )
            elif kind is Reply:
                await self._sioschema_send_reply(eio_sid, action)
            elif kind is Refuse:
                await self._send_packet(eio_sid, _adapter.refusal_packet(self.packet_class, action))
            elif kind is Close:
                await self.eio.disconnect(eio_sid)

    async def _sioschema_deliver(self, eio_sid: str, action: Deliver) -> None:
        if not self.async_handlers:
            await self._sioschema_call(eio_sid, action)
            return
        refused = self._sioschema.busy(eio_sid, action)
        if refused is not None:
            await self._sioschema_send_reply(eio_sid, refused)
            return
        task = self.start_background_task(self._sioschema_run, eio_sid, action)
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)

    async def _sioschema_run(self, eio_sid: str, action: Deliver) -> None:
        try:
            await self._sioschema_call(eio_sid, action)
        finally:
            self._sioschema.leave(eio_sid)

    async def _sioschema_call(self, eio_sid: str, action: Deliver) -> None:
        """Run the handler of a delivered event and send what the core makes of its
        result (the checked ack, or the error)."""
        core = self._sioschema
        try:
            value = await self._trigger_event(
                action.name, action.namespace, action.sid, *action.args
            )
        except Exception as exc:
            await self._sioschema_send_reply(eio_sid, core.failed(action, exc))
            return
        out = core.finish(action, value)
        if type(out) is Ack:
            await self._send_packet(eio_sid, _adapter.ack_packet(self.packet_class, out))
        elif type(out) is Reply:
            await self._sioschema_send_reply(eio_sid, out)

    async def _sioschema_send_reply(self, eio_sid: str, reply: Reply) -> None:
        """Send an error reply: as its ack, or one error event."""
        pkt = _adapter.reply_packet(self.packet_class, reply, self._sioschema.error_event)
        await self._send_packet(eio_sid, pkt)

    async def handle_request(self, *args: Any, **kwargs: Any) -> Any:
        """python-socketio's entry point; warns once if docs are set but unserved."""
        docs_unserved(self)
        return await super().handle_request(*args, **kwargs)

    def attach(self, app: Any, socketio_path: str = "socket.io") -> None:
        """Attach to an aiohttp (or other) app, as python-socketio does; on aiohttp the
        docs pages of ``docs_url=`` are added to the app's routes too."""
        super().attach(app, socketio_path)
        docs = self._sioschema_docs
        if docs is None:
            return
        if self.async_mode != "aiohttp":
            docs_unserved(self)  # sanic, tornado: not served, and said so now
            return
        add_aiohttp_routes(app, docs)

    async def _handle_eio_disconnect(self, eio_sid: str, reason: Any = None) -> None:
        try:
            await super()._handle_eio_disconnect(eio_sid, reason)
        finally:
            self._sioschema.forget(eio_sid)

    async def _handle_connect(self, eio_sid: str, namespace: str, data: Any) -> None:
        refused = self._sioschema_unknown_namespace(eio_sid, namespace)
        if refused is not None:
            await self._send_packet(eio_sid, refused)
            return
        try:
            await super()._handle_connect(eio_sid, namespace, data)
        except Exception as exc:
            sid, pkts = self._sioschema_connect_failed(eio_sid, namespace, exc)
            if sid is not None and self.always_connect:
                self.manager.pre_disconnect(sid, namespace)
            for pkt in pkts:
                await self._send_packet(eio_sid, pkt)
            if sid is not None:
                await self.manager.disconnect(sid, namespace, ignore_queue=True)


def adopt(server: socketio.Server, core: Core) -> Server:
    """Make the plain ``socketio.Server`` Flask-SocketIO built a sioschema :class:`Server`
    bound to ``core``, in place (Flask-SocketIO has no way to pick the server class).

    sioschema's Server only adds methods; its state is set by the same bind the
    constructor uses, and Engine.IO is given the bound methods python-socketio
    registered at construction again.
    """
    server.__class__ = Server
    assert isinstance(server, Server)
    server._sioschema_attach_core(core, None)  # docs pages: served by Flask routes
    server.eio.on("message", server._handle_eio_message)
    server.eio.on("disconnect", server._handle_eio_disconnect)
    return server
