"""python-socketio adapters: :class:`Server` and :class:`AsyncServer`.

Both subclass python-socketio's servers and mirror each other method for method. Every
EVENT packet on a registry namespace is checked before any handler runs; handlers
receive ``(sid, *typed_args)`` and their return value is checked as the ack.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, overload

import socketio
from socketio import exceptions, packet

from ._dispatch import Dispatcher, ErrorHook
from ._docs import DocsPages, Page
from ._registry import A, Emit, Event, EventRegistry, P
from .errors import PayloadError

__all__ = ["ASGIApp", "AsyncServer", "Server", "WSGIApp"]

F = TypeVar("F", bound=Callable[..., Any])
Registries = type[EventRegistry] | Iterable[type[EventRegistry]] | None


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
        docs_url: str | None = None,
        docs_viewer: str | None = None,
    ) -> None:
        self._sioschema = Dispatcher(
            registry, error_event=error_event, on_payload_error=on_payload_error
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
        return ns_handler is not None and hasattr(ns_handler, "on_" + name)

    def _sioschema_request(
        self, name: str, namespace: str, data: list[Any]
    ) -> tuple[Event | None, tuple[Any, ...] | list[Any]]:
        """Find the declaration of an incoming event and validate its arguments."""
        core = self._sioschema
        if not self._sioschema_handles(name, namespace):
            raise core.unknown_event(name, namespace)
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

    def _sioschema_error_packet(self, namespace: str, id: int | None, reply: Any) -> Any:
        if id is not None:
            return self.packet_class(packet.ACK, namespace=namespace, id=id, data=[reply])
        return self.packet_class(
            packet.EVENT, namespace=namespace, data=[self._sioschema.error_event, reply]
        )


class Server(_ServerMixin, socketio.Server):  # type: ignore[misc]
    """A ``socketio.Server`` that validates every declared event.

    :param registry: one :class:`~sioschema.EventRegistry` or several (one per
        namespace).
    :param error_event: the event that carries an error when the client asked for no
        ack (default ``"error"``).
    :param on_payload_error: ``hook(error, sid)`` called for every rejected message;
        return a replacement reply, or ``None`` to send the default one.
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
        docs_url: str | None = None,
        docs_viewer: str | None = None,
        **kwargs: Any,
    ) -> None:
        self._sioschema_bind(registry, error_event, on_payload_error, docs_url, docs_viewer)
        super().__init__(*args, **kwargs)

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

    def _handle_event_internal(
        self, server: Server, sid: str, eio_sid: str, data: list[Any], namespace: str, id: Any
    ) -> None:
        core = self._sioschema
        name = data[0]
        if namespace not in core.namespaces or not isinstance(name, str):
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
        self._send_packet(
            eio_sid, self.packet_class(packet.ACK, namespace=namespace, id=id, data=ack)
        )


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
        docs_url: str | None = None,
        docs_viewer: str | None = None,
        **kwargs: Any,
    ) -> None:
        self._sioschema_bind(registry, error_event, on_payload_error, docs_url, docs_viewer)
        super().__init__(*args, **kwargs)

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
        if namespace not in core.namespaces or not isinstance(name, str):
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
        await self._send_packet(
            eio_sid, self.packet_class(packet.ACK, namespace=namespace, id=id, data=ack)
        )


_NOT_ALLOWED = Page(405, "text/plain; charset=utf-8", b"Method Not Allowed")
_REASONS = {200: "OK", 405: "Method Not Allowed", 501: "Not Implemented"}


def _docs_page(server: Any, path: str, method: str) -> Page | None:
    """The docs page for a request, if the server serves one at ``path``."""
    docs: DocsPages | None = getattr(server, "_sioschema_docs", None)
    page = docs.get(path) if docs is not None else None
    if page is not None and method not in ("GET", "HEAD"):
        return _NOT_ALLOWED
    return page


class WSGIApp(socketio.WSGIApp):  # type: ignore[misc]
    """``socketio.WSGIApp`` that also serves the docs of a :class:`Server` bound with
    ``docs_url=``. Takes python-socketio's arguments."""

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
