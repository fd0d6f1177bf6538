"""Exceptions and the error reply a client receives.

The docstrings of :class:`ErrorBody` and :class:`ErrorReply` are descriptions in every
AsyncAPI document (CommonMark), so they quote with single backticks, which the API
reference reads the same way.

The reply shape is part of the public contract::

    {"error": {"code": "invalid_payload",
               "message": "Expected `int`, got `str` - at `$.x`",
               "path": "$.x", "event": "make_move"}}
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Generic, Literal, TypedDict, get_args

from typing_extensions import NotRequired, TypeVar

__all__ = [
    "PROTOCOL_CODES",
    "ErrorBody",
    "ErrorCode",
    "ErrorReply",
    "MAX_ECHOED_TEXT",
    "MAX_MESSAGE",
    "PayloadError",
    "RegistryError",
    "Reject",
    "Rejected",
    "RequestRejected",
    "SioSchemaError",
]

E = TypeVar("E", default=Any)

ErrorCode = Literal[
    "invalid_payload",
    "bad_arity",
    "unknown_event",
    "internal_error",
    "invalid_ack",
    "invalid_auth",
    "bad_packet",
    "invalid_number",
    "payload_too_large",
    "payload_too_deep",
    "reserved_event",
    "rate_limited",
    "unknown_namespace",
]
"""The ``code`` of an error reply.

- ``invalid_payload``: a request argument does not match its declared type.
- ``bad_arity``: the request carries a different number of arguments than declared.
- ``unknown_event``: the namespace declares no such event and no plain handler takes it.
- ``internal_error``: the handler raised, or returned an ack that breaks its declared type.
- ``invalid_ack``: (server side only) a client answered a server emit with an ack that
  breaks the declared ack type.
- ``invalid_auth``: the ``auth`` payload of a connection breaks the registry's declared
  ``auth`` type (sent in the connection refusal, ``event`` is ``connect``).
- ``bad_packet``: the frame is not a valid Socket.IO packet: invalid JSON, event data
  that is not an array starting with a name, an unknown packet type, an ack id out of
  range, bad binary placeholders, an ack the server did not ask for.
- ``invalid_number``: ``NaN``, ``Infinity``, a float out of range (``1e400``) or an
  integer outside int64 (unless the event's schema declares a wider bound).
- ``payload_too_large``: the packet is larger than ``Limits.max_payload_bytes``, or has
  more binary attachments than ``Limits.max_attachments``.
- ``payload_too_deep``: arguments nested deeper than ``Limits.max_depth``.
- ``reserved_event``: the client sent an event Socket.IO reserves (``connect``,
  ``disconnect``, ...); no handler runs.
- ``rate_limited``: the connection already has ``Limits.max_in_flight`` handler calls
  running; this one was not started.
- ``unknown_namespace``: a packet for a namespace this client is not connected to (sent
  as the ``data`` of a ``CONNECT_ERROR`` packet for that namespace).
"""

PROTOCOL_CODES: frozenset[str] = frozenset(get_args(ErrorCode)) | {"forbidden"}
"""The codes sioschema itself answers with (every :data:`ErrorCode`, and ``forbidden``,
kept for refusals of access): no declared application error may use one."""


MAX_ECHOED_TEXT = 256
"""The most characters an error reply repeats of one piece of text the client sent, or
of msgspec's wording around it (an unknown field name, a dict key, a tag or enum
value): longer text is cut there and ends with ``…``. The ``path`` is cut the same
way; the whole ``message`` is cut at :data:`MAX_MESSAGE`."""
MAX_MESSAGE = 1024
"""The most characters of an error reply's ``message`` (then ``…``), counted after
a ``<`` that would open a tag is written ``\\u003c``."""
# a ``<`` an HTML parser reads as the start of a tag, a comment or a declaration;
# msgspec's own ``<=`` is no markup and stays
_MARKUP = re.compile(r"<(?=[A-Za-z/!?])")


def _clip(text: str, limit: int = MAX_ECHOED_TEXT) -> str:
    """``text`` cut to its first ``limit`` characters, then ``…``, when longer."""
    return text if len(text) <= limit else text[:limit] + "\u2026"


def _shown(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` as an error reply carries it: a ``<`` that would open a tag (followed
    by a letter, ``/``, ``!`` or ``?``) written as the six characters ``\\u003c``, so
    no reply carries markup into a page that shows it, whatever the page does with it;
    then cut at ``limit`` (``_clip``)."""
    if "<" in text:
        text = _MARKUP.sub(r"\\u003c", text)
    return _clip(text, limit)


class ErrorBody(TypedDict):
    """What went wrong: a stable `code`, a readable `message`, the JSON `path` of the
    offending value (`null` when the whole message is at fault) and the `event`; an
    error the event declares (its `code` is the error type's tag) carries its typed
    `data` too, and its `path` is `null`."""

    code: ErrorCode
    message: str
    path: str | None
    event: str
    data: NotRequired[Any]


class ErrorReply(TypedDict):
    """The error ack (or error event) sioschema sends for a rejected message."""

    error: ErrorBody


class SioSchemaError(Exception):
    """Base class of every exception sioschema raises."""


class RegistryError(SioSchemaError, TypeError):
    """A registry declaration is wrong; raised when the registry class is created."""


class PayloadError(SioSchemaError, ValueError):
    """A message does not match its declared type.

    Attributes mirror the error reply: ``code``, ``event``, ``path`` (a JSON path such
    as ``$.x``, or ``None``), ``detail`` (msgspec's message, sent to the client as
    ``message``), plus ``namespace`` and ``kind`` (``request``, ``ack`` or ``emit``).
    """

    code: ErrorCode
    event: str
    path: str | None
    detail: str
    namespace: str
    kind: str

    def __init__(
        self,
        code: ErrorCode,
        event: str,
        detail: str,
        *,
        path: str | None = None,
        namespace: str = "/",
        kind: str = "request",
    ) -> None:
        self.code = code
        self.event = event
        self.path = path
        self.detail = detail
        self.namespace = namespace
        self.kind = kind
        super().__init__(f"Invalid {kind} for `{event}` on `{namespace}`: {detail}")

    @property
    def message(self) -> str:
        """``detail`` as the client receives it: a ``<`` that would open a tag written
        ``\\u003c``, then cut at :data:`MAX_MESSAGE` characters (``_shown``)."""
        return _shown(self.detail)

    def reply(self) -> ErrorReply:
        """The error object sent to the client (as the ack, or as the error event).

        ``message``, ``path`` and ``event`` go through ``_shown``: capped in length
        and free of markup, whatever the client sent."""
        path = self.path
        return {
            "error": {
                "code": self.code,
                "message": _shown(self.detail),
                "path": None if path is None else _shown(path, MAX_ECHOED_TEXT),
                "event": _shown(self.event, MAX_ECHOED_TEXT),
            }
        }

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild,
            (self.code, self.event, self.detail, self.path, self.namespace, self.kind),
        )


class RequestRejected(PayloadError):
    """The peer answered a request with the error ack instead of the declared ack.

    Raised by the typed client's ``call()`` (and by a server's ``call()`` when the
    client answers an emit with an error the emit declares); built from the pinned
    error ack ``{"error": {"code", "message", "path", "event"[, "data"]}}``: ``code``,
    ``detail`` (the ``message``), ``path`` and ``event`` are the peer's, ``namespace``
    the request's, ``kind`` is ``"reply"``. ``code`` is one of :data:`ErrorCode`, or
    the code of an application error; an error the request declares is raised as the
    :class:`Rejected` of its type instead, with ``data`` typed.
    """

    code: str  # type: ignore[assignment]  # a protocol code, or a declared error's
    _data: Any

    def __init__(
        self,
        code: str,
        event: str,
        detail: str,
        *,
        path: str | None,
        namespace: str,
        data: Any = None,
    ) -> None:
        super().__init__(code, event, detail, path=path, namespace=namespace, kind="reply")  # type: ignore[arg-type]
        self._data = data
        Exception.__init__(self, f"`{event}` on `{namespace}` was rejected: {code}: {detail}")

    @property
    def data(self) -> object:
        """The error's ``data`` as received: the instance of its declared type for a
        :class:`Rejected`, the JSON value for an error the request does not declare,
        ``None`` for a protocol error (which has none)."""
        return self._data

    @classmethod
    def from_reply(cls, value: Any, namespace: str) -> RequestRejected | None:
        """The exception for an ack ``value`` of the error ack's shape, else ``None``;
        its ``data`` is the JSON value of the envelope's ``data`` (``None`` without one)."""
        if type(value) is not dict or len(value) != 1:
            return None
        body = value.get("error")
        if type(body) is not dict:
            return None
        code, message = body.get("code"), body.get("message")
        path, event = body.get("path"), body.get("event", "")
        if type(code) is not str or type(message) is not str:
            return None
        if (path is not None and type(path) is not str) or type(event) is not str:
            return None
        return cls(code, event, message, path=path, namespace=namespace, data=body.get("data"))

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_rejected,
            (None, self.code, self.event, self.detail, self.path, self.namespace, self._data),
        )


class Rejected(RequestRejected, Generic[E]):
    """A request answered with an error it declares: ``Rejected[NotYourTurn]`` is the
    exception the typed clients' ``call()`` raise for a ``NotYourTurn`` answer, with
    :attr:`data` the ``NotYourTurn`` instance (decoded and validated)::

        try:
            ack = client.call(Game.make_move, move)
        except Rejected[NotYourTurn] as rejected:
            print(rejected.data.expected)

    ``Rejected[T]`` is a real subclass (one per ``T``, made on first use), so
    ``except`` and ``isinstance`` work with it; mypy and pyright read it as the generic
    class, so ``rejected.data`` is typed ``T``. ``except Rejected`` catches every
    declared error, ``except RequestRejected`` protocol errors too.
    """

    error_type: ClassVar[type[Any] | None] = None
    """The declared error type of this subclass (``None`` on ``Rejected`` itself)."""
    _made: ClassVar[dict[type[Any], type[Rejected[Any]]]] = {}

    def __class_getitem__(cls, item: Any) -> Any:
        if cls is not Rejected or not isinstance(item, type):
            # a type variable (in a generic signature), or a subscript of a subclass
            return super().__class_getitem__(item)  # type: ignore[misc]
        made = cls._made.get(item)
        if made is None:
            name = f"Rejected[{item.__qualname__}]"
            made = type(name, (cls,), {"error_type": item, "__module__": cls.__module__})
            made = cls._made.setdefault(item, made)
        return made

    @property
    def data(self) -> E:
        """The declared error the peer answered with, as an instance of its type."""
        data: E = self._data
        return data

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_rejected,
            (
                self.error_type,
                self.code,
                self.event,
                self.detail,
                self.path,
                self.namespace,
                self._data,
            ),
        )


class Reject(SioSchemaError):
    """Raised by a handler to answer with one of the errors its event declares::

        raise Reject(NotYourTurn(expected="O"))
        raise Reject(GameOver(winner="X"), "The game is over")

    The peer receives the error ack ``{"error": {"code": <the type's tag>, "message":
    <message>, "path": null, "event": <the event>, "data": <error, as JSON>}}`` (as one
    error event when it asked for no ack), after ``error`` was checked against its
    declared type. ``message`` defaults to the first line of the error type's docstring,
    else its code; like every message it is cut at
    :data:`~sioschema.errors.MAX_MESSAGE` characters and written free of markup. An
    error of a type the event does not declare, or one that breaks its type, is answered
    with ``internal_error`` and logged at ERROR.

    Raises ``TypeError`` when ``message`` is neither a string nor ``None``.
    """

    def __init__(self, error: Any, message: str | None = None) -> None:
        if message is not None and not isinstance(message, str):
            msg = f"Reject's message must be a str or None, got {type(message).__name__}"
            raise TypeError(msg)
        self.error = error
        """The declared error instance the handler answers with."""
        self.message = message
        """The message the peer receives (``None``: the declared default)."""
        super().__init__(f"Reject({type(error).__qualname__})")


def _rebuild_rejected(
    error_type: type[Any] | None,
    code: str,
    event: str,
    detail: str,
    path: str | None,
    namespace: str,
    data: Any,
) -> RequestRejected:
    cls: type[RequestRejected] = RequestRejected
    if error_type is not None:
        cls = Rejected.__class_getitem__(error_type)
    return cls(code, event, detail, path=path, namespace=namespace, data=data)


def _rebuild(
    code: ErrorCode, event: str, detail: str, path: str | None, namespace: str, kind: str
) -> PayloadError:
    return PayloadError(code, event, detail, path=path, namespace=namespace, kind=kind)
