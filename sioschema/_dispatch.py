"""The I/O-free core the adapters share: routing, checks, error replies, logging.

The sync and async servers (and through them Flask-SocketIO) call into one
:class:`Dispatcher`; it never sends anything itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from ._codec import PacketCodec
from ._registry import Emit, Event, EventRegistry
from ._wire import Header, Limits, echoed
from .errors import PayloadError, SioSchemaError
from .inspect import RegistryInfo, by_namespace, check_error_event

__all__ = ["Dispatcher", "ErrorHook", "Pending"]

ErrorHook = Callable[[PayloadError, str], Any]
"""``hook(error, sid)``: observe a rejected message; return a replacement reply or
``None`` to send ``error.reply()``."""

logger = logging.getLogger("sioschema")


class Pending:
    """A binary packet waiting for its attachments (or being skipped after an error)."""

    __slots__ = ("attachments", "data", "discard", "header", "size")

    def __init__(self, header: Header, data: Any, size: int, *, discard: bool = False) -> None:
        self.header = header
        self.data = data
        self.size = size
        self.discard = discard
        self.attachments: list[bytes] = []


class Dispatcher:
    """Knows the bound registries and limits, and turns every failure into one error reply.

    It also keeps the little per-connection state the limits need: a binary packet
    waiting for its attachments, and the number of handler calls running.
    """

    __slots__ = (
        "_lock",
        "codec",
        "error_event",
        "in_flight",
        "limits",
        "logger",
        "namespaces",
        "on_payload_error",
        "pending",
        "raw_out",
    )

    def __init__(
        self,
        registries: type[EventRegistry] | Iterable[type[EventRegistry]] | None,
        *,
        error_event: str = "error",
        on_payload_error: ErrorHook | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.namespaces: dict[str, RegistryInfo] = by_namespace(registries)
        self.error_event = error_event
        self.on_payload_error = on_payload_error
        self.limits = limits if limits is not None else Limits()
        if not isinstance(self.limits, Limits):
            msg = f"limits must be a sioschema.Limits, got {type(self.limits).__name__}"
            raise TypeError(msg)
        check_error_event(self.namespaces.values(), error_event)
        self.codec = PacketCodec(self.namespaces, self.limits)
        self.raw_out = False
        """Whether checked acks and emits go out as ``msgspec.Raw`` JSON (set by a server
        whose packet class writes with msgspec)."""
        self.logger = logger
        self.pending: dict[str, Pending] = {}
        self.in_flight: dict[str, int] = {}
        self._lock = threading.Lock()

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
        with self._lock:
            running = self.in_flight.get(eio_sid)
            if running is None:
                return
            if running <= 1:
                del self.in_flight[eio_sid]
            else:
                self.in_flight[eio_sid] = running - 1

    def forget(self, eio_sid: str) -> None:
        """Drop a closed connection's state."""
        self.pending.pop(eio_sid, None)
        with self._lock:
            self.in_flight.pop(eio_sid, None)

    def rate_limited(self, name: Any, namespace: str) -> PayloadError:
        detail = f"Too many requests in flight (at most {self.limits.max_in_flight})"
        event = name if isinstance(name, str) else ""
        return PayloadError("rate_limited", event, detail, namespace=namespace)

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

    def handler_key(self, event: Event | str, namespace: str | None) -> tuple[str, str | None]:
        """``on(event)``: the event name and namespace to register a handler under."""
        if isinstance(event, Event):
            return event.name, self._bound(event, namespace)
        if isinstance(event, Emit):
            msg = f"{event!r} is a server -> client event; handlers take client events"
            raise SioSchemaError(msg)
        return event, namespace

    def accepted_namespaces(self, given: Any) -> Any:
        """python-socketio's ``namespaces=`` with every bound registry's namespace added,
        so a client can join a namespace that only receives emits (no handler needed)."""
        if given == "*":
            return given
        accepted = list(given or ["/"])
        accepted.extend(ns for ns in self.namespaces if ns not in accepted)
        return accepted

    # -- incoming ----------------------------------------------------------------------

    def declared(self, namespace: str, name: str) -> Event | None:
        found = self.namespaces.get(namespace)
        return found.events.get(name) if found is not None else None

    def unknown_event(self, name: str, namespace: str) -> PayloadError:
        if not echoed(name):  # never echo more than a refused frame would
            return PayloadError("unknown_event", "", "Unknown event", namespace=namespace)
        detail = f"Unknown event `{name}`"
        return PayloadError("unknown_event", name, detail, namespace=namespace)

    def internal_error(self, event: str, namespace: str) -> PayloadError:
        return PayloadError("internal_error", event, "Internal server error", namespace=namespace)

    def encode_ack(self, event: Event, value: Any, namespace: str) -> Any:
        """Check a handler's return value against the declared ack."""
        try:
            return event.ack_codec.encode(value, event.name, namespace, raw=self.raw_out)
        except PayloadError as exc:
            raise self.internal_error(event.name, namespace) from exc

    def reject(self, error: PayloadError, sid: str) -> Any:
        """Log a rejected message and return the reply the client receives.

        One line per message: WARNING for a bad request (its code and path, never a
        value from the payload), ERROR with the cause for a failure of the server's code.
        """
        if error.code == "internal_error" and error.__cause__ is not None:
            self.logger.error(
                "`%.100s` on `%s` failed in the server",
                error.event,
                error.namespace,
                exc_info=error.__cause__,
            )
        else:
            # code and path only: msgspec's message may quote the client's values
            self.logger.warning(
                "rejected %.100r from %s on %s: %s%s",
                error.event,
                sid,
                error.namespace,
                error.code,
                "" if error.path is None else f" at {error.path}",
            )
        hook = self.on_payload_error
        if hook is not None:
            try:
                replaced = hook(error, sid)
            except Exception:
                self.logger.exception("on_payload_error hook raised")
            else:
                if replaced is not None:
                    return replaced
        return error.reply()

    # -- outgoing ----------------------------------------------------------------------

    def outgoing(
        self, event: Emit[Any, Any] | Event | str, data: Any, namespace: str | None
    ) -> tuple[str, Any, str, Emit[Any, Any] | None]:
        """Check an emit: return its name, JSON data, namespace and declaration."""
        if isinstance(event, Emit):
            ns = self._bound(event, namespace)
            declared: Emit[Any, Any] | None = event
        elif isinstance(event, Event):
            msg = f"{event!r} is a client -> server event; emit an Emit declaration"
            raise SioSchemaError(msg)
        else:
            ns = namespace or "/"
            found = self.namespaces.get(ns)
            declared = found.emits.get(event) if found is not None else None
        if declared is None:
            return event, data, ns, None  # type: ignore[return-value]
        name = declared.name
        data = declared.payload_codec.encode(data, name, ns, raw=self.raw_out)
        return name, data, ns, declared

    def checked_callback(
        self, declared: Emit[Any, Any], namespace: str, callback: Callable[..., Any]
    ) -> Callable[..., Any]:
        """Wrap an emit callback so it receives the client's ack typed and checked."""
        codec = declared.ack_codec
        if codec is None:
            return callback
        name = declared.name

        def checked(*args: Any) -> Any:
            try:
                typed = codec.decode(args, name, namespace)
            except PayloadError as exc:
                self.logger.warning(
                    "dropped an invalid ack for %r from a client: %s at %s",
                    name,
                    exc.code,
                    exc.path,
                )
                return None
            return callback(*typed)

        return checked

    def decode_call_ack(self, declared: Emit[Any, Any] | None, namespace: str, args: Any) -> Any:
        """``call()``: check the client's ack and return it as python-socketio would."""
        if declared is not None and declared.ack_codec is not None:
            args = declared.ack_codec.decode(args, declared.name, namespace)
        if len(args) > 1:
            return args
        return args[0] if args else None
