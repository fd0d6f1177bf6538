"""Typed clients: :class:`Client` and :class:`AsyncClient`, over python-socketio's.

The same registry the server binds gives the client its contract, checked by the same
protocol core (:mod:`sioschema._core`, on the client side)::

    client = Client(registry=TicTacToe)

    @client.on(TicTacToe.move_made)
    def move_made(move: MoveMade) -> None:  # validated and typed on arrival
        ...

    client.connect("http://127.0.0.1:8000", transports=["websocket"])
    ack = client.call(TicTacToe.make_move, MakeMove(game_id=1, x=0, y=0))

- ``emit`` / ``call`` validate a declared :class:`~sioschema.Event`'s request before
  anything is sent (:class:`~sioschema.PayloadError`); ``call`` returns the declared
  ack, typed, or raises :class:`~sioschema.RequestRejected` when the server answered
  with the error ack, :class:`~sioschema.PayloadError` (``invalid_ack``) when its ack
  breaks the declared type, ``socketio.exceptions.TimeoutError`` on timeout.
- Handlers of a declared :class:`~sioschema.Emit` receive its payload typed; an emit
  that breaks its type is logged (and given to ``on_payload_error``) and never
  delivered. A server's ``call()`` is answered with the handler's return value,
  checked against the emit's declared ack (an error ack when it breaks it).
- ``on()`` refuses a handler whose signature or annotations contradict its emit, as
  the servers' ``on()`` does for events.
- ``connect(auth=...)`` checks the ``auth`` against the registries' ``auth=`` type, at
  run time only (``connect()`` takes any ``auth``: a type checker cannot see the
  registry's type through it).

Both classes mirror each other; every other argument and method is python-socketio's.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any, overload

import socketio

from . import _adapter, _seams
from ._core import (
    ACKING,
    Ack,
    Acked,
    AckRefused,
    Close,
    Connect,
    ConnectRefused,
    Core,
    Deliver,
    Disconnect,
    ErrorHook,
    Reply,
)
from ._handlers import check_handler
from ._packet import CodecPacket, codec_packet
from ._registry import A, Emit, Event, EventRegistry, P, R, Several
from ._typing import F, RegisterPayload, Registries
from ._wire import ClientLimits, Limits

__all__ = ["AsyncClient", "Client", "ClientLimits"]

_seams.check("socketio", "engineio")


_EIO = "server"  # the core's key for the one connection a client has
# set while ``call()`` runs (see Client.call: upstream's call() goes through self.emit)
_calling: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "sioschema_client_calling", default=False
)


class _Sessions:
    """The core's questions, answered from python-socketio's client."""

    __slots__ = ("_client",)

    def __init__(self, client: Any) -> None:
        self._client = client

    def sid(self, eio_sid: str, namespace: str) -> str | None:
        sid: str | None = self._client.namespaces.get(namespace)
        return sid

    def awaits_ack(self, sid: str, id: int) -> Any:
        client = self._client
        for namespace, own in client.namespaces.items():
            if own == sid and id in client.callbacks.get(namespace, ()):
                return client.callbacks[namespace][id]
        return None

    def handles(self, namespace: str, name: str) -> bool:
        return True  # a client ignores events it has no handler for, as python-socketio


class _ClientMixin:
    """What both clients share; no I/O here."""

    _sioschema: Core
    _sioschema_screened: bool
    packet_class: Any
    namespaces: dict[str, str]
    handlers: dict[str, Any]
    namespace_handlers: dict[str, Any]

    def _sioschema_make_core(
        self,
        registry: Registries,
        error_event: str,
        on_payload_error: ErrorHook | None,
        limits: Limits | None,
    ) -> Core:
        return Core(
            registry,
            side="client",
            error_event=error_event,
            on_payload_error=on_payload_error,
            limits=limits,
        )

    def _sioschema_attach(self) -> None:
        self._sioschema_screened = _adapter.screened(self.packet_class)
        self._sioschema.attach(
            _Sessions(self),
            self.packet_class.reconstruct_binary,
            raw_out=issubclass(self.packet_class, CodecPacket),
        )

    @property
    def registries(self) -> dict[str, type[EventRegistry]]:
        """The bound registries by namespace."""
        return {ns: found.registry for ns, found in self._sioschema.namespaces.items()}

    def _sioschema_receive(self, data: Any) -> list[Any]:
        core = self._sioschema
        if self._sioschema_screened or core.expects_attachment(_EIO):
            return core.receive(_EIO, data)
        return _adapter.receive_decoded(core, self.packet_class, _EIO, data)

    def _sioschema_namespaces(self, namespaces: Any) -> Any:
        """python-socketio's default namespaces (those with handlers, else ``/``) plus
        every bound registry's, so a client joins them without a handler; the core
        holds what the server sends them before their CONNECT."""
        if namespaces is None:
            found = set(self.handlers) | set(self.namespace_handlers)
            found |= set(self._sioschema.namespaces)
            found.discard("*")
            namespaces = sorted(found) or ["/"]
        self._sioschema.joining([namespaces] if isinstance(namespaces, str) else namespaces)
        return namespaces

    def _sioschema_auth(self, auth: Any, namespaces: Any) -> Any:
        """Check ``auth`` against the ``auth=`` type of every bound namespace joined."""
        if auth is None or callable(auth):
            return auth
        joined = [namespaces] if isinstance(namespaces, str) else namespaces
        checked = auth
        for namespace in joined:
            found = self._sioschema.namespaces.get(namespace)
            if found is not None and found.auth_codec is not None:
                checked = found.auth_codec.encode(auth, "connect", namespace)
        return checked

    def _sioschema_on(self, event: Emit[Any, Any] | str, handler: Any, namespace: Any) -> Any:
        name, namespace = self._sioschema.handler_key(event, namespace)
        if handler is None:

            def register(handler: Any) -> Any:
                check_handler(event, handler, skip=0)
                super(_ClientMixin, self).on(name, handler, namespace)  # type: ignore[misc]
                return handler

            return register
        check_handler(event, handler, skip=0)
        return super().on(name, handler, namespace)  # type: ignore[misc]

    def _sioschema_packet(self, action: Ack | Reply) -> Any:
        """The packet of an ack or an error reply to the server's call, ``None`` for an
        error without ack id (a client sends no error event: it is only logged).
        python-socketio looks for binary data in a reply, as it always did here."""
        if type(action) is Reply and action.id is None:
            return None
        core = self._sioschema
        return _adapter.outgoing_packet(self.packet_class, action, core.error_event, binary=None)


class Client(_ClientMixin, socketio.Client):  # type: ignore[misc]
    """A ``socketio.Client`` that speaks a registry's contract.

    :param registry: the :class:`~sioschema.EventRegistry` the server binds (or
        several, one per namespace).
    :param error_event: the event the server sends errors on when no ack was asked
        for (default ``"error"``); it reaches a handler registered for it as received.
    :param on_payload_error: ``hook(error, sid)`` called for every server message that
        breaks its declared type (it is dropped either way).
    :param limits: what the server may send (default :class:`ClientLimits`: 4 MiB a
        packet, depth 64, 100 events held before a namespace's CONNECT); an emit over
        a limit is logged and given to ``on_payload_error``, never delivered.

    Events the server sends before a namespace's CONNECT (an emit from its ``connect``
    handler) are held and delivered, validated and in order, once the namespace is
    joined, before the client's ``connect`` handler (socket.io-client's order); they
    are dropped with a log line when the namespace is refused or the connection closes.

    Every other argument is python-socketio's.
    """

    def __init__(
        self,
        *args: Any,
        registry: Registries = None,
        error_event: str = "error",
        on_payload_error: ErrorHook | None = None,
        limits: Limits | None = None,
        **kwargs: Any,
    ) -> None:
        self._sioschema = self._sioschema_make_core(registry, error_event, on_payload_error, limits)
        kwargs.setdefault("serializer", codec_packet())
        super().__init__(*args, **kwargs)
        self._sioschema_attach()

    @overload
    def on(
        self, event: Emit[P, A], handler: None = None, namespace: str | None = None
    ) -> Callable[[Callable[[P], A]], Callable[[P], A]]: ...

    @overload
    def on(
        self, event: str, handler: None = None, namespace: str | None = None
    ) -> Callable[[F], F]: ...

    @overload
    def on(self, event: Emit[Any, Any] | str, handler: F, namespace: str | None = None) -> None: ...

    def on(
        self, event: Emit[Any, Any] | str, handler: Any = None, namespace: str | None = None
    ) -> Any:
        """Register a handler for a declared :class:`~sioschema.Emit` (or any name).

        The handler receives the payload validated and typed; when the server calls
        (waits for an ack), its return value is checked against the declared ack.
        Raises :class:`~sioschema.SioSchemaError` for an :class:`~sioschema.Event`
        (a client -> server event), an emit of a registry not bound here, or a handler
        whose signature or annotations contradict the emit (it cannot take the payload's
        arguments, a payload parameter annotated with an unrelated class, ``-> None`` or
        an unrelated class for a declared ack), naming both; as the servers' ``on()``.
        """
        return self._sioschema_on(event, handler, namespace)

    def connect(
        self, url: str, *args: Any, auth: Any = None, namespaces: Any = None, **kwargs: Any
    ) -> None:
        """python-socketio's ``connect``; ``auth`` is checked against the registries'
        ``auth=`` type first (:class:`~sioschema.PayloadError` when it breaks it), and
        every bound registry's namespace is joined by default."""
        namespaces = self._sioschema_namespaces(namespaces)
        auth = self._sioschema_auth(auth, namespaces)
        super().connect(url, *args, auth=auth, namespaces=namespaces, **kwargs)

    @overload
    def emit(
        self,
        event: Event[Several, Any],
        data: tuple[Any, ...],
        namespace: str | None = None,
        callback: Callable[..., Any] | None = None,
    ) -> None: ...

    @overload
    def emit(
        self,
        event: Event[None, Any],
        data: None = None,
        namespace: str | None = None,
        callback: Callable[..., Any] | None = None,
    ) -> None: ...

    @overload
    def emit(
        self,
        event: Event[R, Any],
        data: R,
        namespace: str | None = None,
        callback: Callable[..., Any] | None = None,
    ) -> None: ...

    @overload
    def emit(
        self,
        event: str,
        data: Any = None,
        namespace: str | None = None,
        callback: Callable[..., Any] | None = None,
    ) -> None: ...

    def emit(
        self,
        event: Event[Any, Any] | str,
        data: Any = None,
        namespace: str | None = None,
        callback: Callable[..., Any] | None = None,
    ) -> None:
        """Send an event; a declared one is validated first.

        Raises :class:`~sioschema.PayloadError` when ``data`` breaks the declared
        request. A ``callback`` receives the declared ack typed; an error ack, an ack
        this client refuses (an integer beyond int64, ``NaN``, over the limits) or one
        that breaks the declared type is logged and dropped, never passed to it (a
        refused or invalid one is given to ``on_payload_error``; ``call`` raises them).
        """
        core = self._sioschema
        name, data, namespace, declared = core.outgoing(event, data, namespace)
        callback = core.checked_callback(
            declared, namespace, callback, name=name, for_call=_calling.get()
        )
        super().emit(name, data=data, namespace=namespace, callback=callback)

    @overload
    def call(
        self,
        event: Event[Several, A],
        data: tuple[Any, ...],
        namespace: str | None = None,
        timeout: float = 60,
    ) -> A: ...

    @overload
    def call(
        self,
        event: Event[None, A],
        data: None = None,
        namespace: str | None = None,
        timeout: float = 60,
    ) -> A: ...

    @overload
    def call(
        self, event: Event[R, A], data: R, namespace: str | None = None, timeout: float = 60
    ) -> A: ...

    @overload
    def call(
        self, event: str, data: Any = None, namespace: str | None = None, timeout: float = 60
    ) -> Any: ...

    def call(
        self,
        event: Event[Any, Any] | str,
        data: Any = None,
        namespace: str | None = None,
        timeout: float = 60,
    ) -> Any:
        """Send an event and wait for its ack: the declared ack, typed.

        Raises :class:`~sioschema.PayloadError` when ``data`` breaks the declared
        request (nothing is sent) or (code ``invalid_ack``, at once) when this client
        refuses the server's ack or it breaks the declared ack,
        :class:`~sioschema.RequestRejected` when the server answered with the error ack,
        ``socketio.exceptions.TimeoutError`` after ``timeout`` seconds.

        python-socketio's own ``call()`` does the waiting (its timeout, its message
        queue); it sends through ``self.emit``, which reads the context variable set
        here and wraps the callback so a failed ack reaches ``call`` to be raised. That
        upstream behaviour is a seam: :mod:`sioschema._seams` checks at import that
        ``call`` still goes through ``self.emit``, on every supported release.
        """
        token = _calling.set(True)
        try:
            result = super().call(event, data=data, namespace=namespace, timeout=timeout)
        finally:
            _calling.reset(token)
        return self._sioschema.call_result(result)

    def _handle_eio_message(self, data: Any) -> None:
        for action in self._sioschema_receive(data):
            kind = type(action)
            if kind is Deliver:
                self._sioschema_deliver(action)
            elif kind is Acked or kind is AckRefused:
                token = ACKING.set(action.sid)  # this client's session, for on_payload_error
                try:
                    self._handle_ack(action.namespace, action.id, action.args)
                finally:
                    ACKING.reset(token)
            elif kind is Connect:
                self._handle_connect(action.namespace, action.data)
                self._sioschema_release(action.namespace)  # if not done on `connect`
            elif kind is ConnectRefused:
                self._handle_error(action.namespace, action.data)
            elif kind is Disconnect:
                self._handle_disconnect(action.namespace)
            elif kind is Reply and action.id is not None:
                # the server waits for an ack: it gets the error (already logged)
                self._send_packet(self._sioschema_packet(action))
            elif kind is Close:
                self.eio.disconnect()

    def _trigger_event(self, event: str, namespace: str, *args: Any) -> Any:
        if event == "connect" and self._sioschema.holds(namespace):
            # the namespace has just joined: what the server sent before its CONNECT
            # goes first, as socket.io-client delivers its buffer before `connect`
            self._sioschema_release(namespace)
        return super()._trigger_event(event, namespace, *args)

    def _sioschema_release(self, namespace: str) -> None:
        for action in self._sioschema.release(_EIO, namespace):
            if type(action) is Deliver:
                self._sioschema_deliver(action)
            elif type(action) is Reply and action.id is not None:
                self._send_packet(self._sioschema_packet(action))

    def _sioschema_deliver(self, action: Deliver) -> None:
        """Run the handler of a delivered emit and send what the core makes of its
        result (the checked ack, or the error ack) when the server waits for an ack."""
        core = self._sioschema
        try:
            value = self._trigger_event(action.name, action.namespace, *action.args)
        except Exception as exc:
            out: Ack | Reply | None = core.failed(action, exc)
        else:
            out = core.finish(action, value)
        pkt = None if out is None else self._sioschema_packet(out)
        if pkt is not None:
            self._send_packet(pkt)

    def _handle_eio_disconnect(self, *args: Any) -> None:
        try:
            super()._handle_eio_disconnect(*args)
        finally:
            self._sioschema.forget(_EIO)


class AsyncClient(_ClientMixin, socketio.AsyncClient):  # type: ignore[misc]
    """A ``socketio.AsyncClient`` that speaks a registry's contract.

    The asyncio mirror of :class:`Client`, with the same arguments; ``connect``,
    ``emit`` and ``call`` are coroutines, handlers may be coroutine functions.
    """

    def __init__(
        self,
        *args: Any,
        registry: Registries = None,
        error_event: str = "error",
        on_payload_error: ErrorHook | None = None,
        limits: Limits | None = None,
        **kwargs: Any,
    ) -> None:
        self._sioschema = self._sioschema_make_core(registry, error_event, on_payload_error, limits)
        kwargs.setdefault("serializer", codec_packet())
        super().__init__(*args, **kwargs)
        self._sioschema_attach()

    @overload
    def on(
        self, event: Emit[P, A], handler: None = None, namespace: str | None = None
    ) -> RegisterPayload[P, A]: ...

    @overload
    def on(
        self, event: str, handler: None = None, namespace: str | None = None
    ) -> Callable[[F], F]: ...

    @overload
    def on(self, event: Emit[Any, Any] | str, handler: F, namespace: str | None = None) -> None: ...

    def on(
        self, event: Emit[Any, Any] | str, handler: Any = None, namespace: str | None = None
    ) -> Any:
        """Register a handler for a declared :class:`~sioschema.Emit` (or any name);
        as :meth:`Client.on`, with coroutine functions too."""
        return self._sioschema_on(event, handler, namespace)

    async def connect(
        self, url: str, *args: Any, auth: Any = None, namespaces: Any = None, **kwargs: Any
    ) -> None:
        """python-socketio's ``connect``; ``auth`` is checked first (see
        :meth:`Client.connect`)."""
        namespaces = self._sioschema_namespaces(namespaces)
        auth = self._sioschema_auth(auth, namespaces)
        await super().connect(url, *args, auth=auth, namespaces=namespaces, **kwargs)

    @overload
    async def emit(
        self,
        event: Event[Several, Any],
        data: tuple[Any, ...],
        namespace: str | None = None,
        callback: Callable[..., Any] | None = None,
    ) -> None: ...

    @overload
    async def emit(
        self,
        event: Event[None, Any],
        data: None = None,
        namespace: str | None = None,
        callback: Callable[..., Any] | None = None,
    ) -> None: ...

    @overload
    async def emit(
        self,
        event: Event[R, Any],
        data: R,
        namespace: str | None = None,
        callback: Callable[..., Any] | None = None,
    ) -> None: ...

    @overload
    async def emit(
        self,
        event: str,
        data: Any = None,
        namespace: str | None = None,
        callback: Callable[..., Any] | None = None,
    ) -> None: ...

    async def emit(
        self,
        event: Event[Any, Any] | str,
        data: Any = None,
        namespace: str | None = None,
        callback: Callable[..., Any] | None = None,
    ) -> None:
        """Send an event; a declared one is validated first (see :meth:`Client.emit`)."""
        core = self._sioschema
        name, data, namespace, declared = core.outgoing(event, data, namespace)
        callback = core.checked_callback(
            declared, namespace, callback, name=name, for_call=_calling.get()
        )
        await super().emit(name, data=data, namespace=namespace, callback=callback)

    @overload
    async def call(
        self,
        event: Event[Several, A],
        data: tuple[Any, ...],
        namespace: str | None = None,
        timeout: float = 60,
    ) -> A: ...

    @overload
    async def call(
        self,
        event: Event[None, A],
        data: None = None,
        namespace: str | None = None,
        timeout: float = 60,
    ) -> A: ...

    @overload
    async def call(
        self, event: Event[R, A], data: R, namespace: str | None = None, timeout: float = 60
    ) -> A: ...

    @overload
    async def call(
        self, event: str, data: Any = None, namespace: str | None = None, timeout: float = 60
    ) -> Any: ...

    async def call(
        self,
        event: Event[Any, Any] | str,
        data: Any = None,
        namespace: str | None = None,
        timeout: float = 60,
    ) -> Any:
        """Send an event and wait for its ack (see :meth:`Client.call`)."""
        token = _calling.set(True)
        try:
            result = await super().call(event, data=data, namespace=namespace, timeout=timeout)
        finally:
            _calling.reset(token)
        return self._sioschema.call_result(result)

    async def _handle_eio_message(self, data: Any) -> None:
        for action in self._sioschema_receive(data):
            kind = type(action)
            if kind is Deliver:
                await self._sioschema_deliver(action)
            elif kind is Acked or kind is AckRefused:
                token = ACKING.set(action.sid)  # this client's session, for on_payload_error
                try:
                    await self._handle_ack(action.namespace, action.id, action.args)
                finally:
                    ACKING.reset(token)
            elif kind is Connect:
                await self._handle_connect(action.namespace, action.data)
                await self._sioschema_release(action.namespace)  # if not done on `connect`
            elif kind is ConnectRefused:
                await self._handle_error(action.namespace, action.data)
            elif kind is Disconnect:
                await self._handle_disconnect(action.namespace)
            elif kind is Reply and action.id is not None:
                await self._send_packet(self._sioschema_packet(action))
            elif kind is Close:
                await self.eio.disconnect()

    async def _trigger_event(self, event: str, namespace: str, *args: Any) -> Any:
        if event == "connect" and self._sioschema.holds(namespace):
            await self._sioschema_release(namespace)  # as Client._trigger_event
        return await super()._trigger_event(event, namespace, *args)

    async def _sioschema_release(self, namespace: str) -> None:
        for action in self._sioschema.release(_EIO, namespace):
            if type(action) is Deliver:
                await self._sioschema_deliver(action)
            elif type(action) is Reply and action.id is not None:
                await self._send_packet(self._sioschema_packet(action))

    async def _sioschema_deliver(self, action: Deliver) -> None:
        """Run the handler of a delivered emit (see :meth:`Client._sioschema_deliver`)."""
        core = self._sioschema
        try:
            value = await self._trigger_event(action.name, action.namespace, *action.args)
        except Exception as exc:
            out: Ack | Reply | None = core.failed(action, exc)
        else:
            out = core.finish(action, value)
        pkt = None if out is None else self._sioschema_packet(out)
        if pkt is not None:
            await self._send_packet(pkt)

    async def _handle_eio_disconnect(self, *args: Any) -> None:
        try:
            await super()._handle_eio_disconnect(*args)
        finally:
            self._sioschema.forget(_EIO)
