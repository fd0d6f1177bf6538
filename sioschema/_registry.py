"""The declaration: ``EventRegistry``, ``Event`` and ``Emit``.

A registry class is checked and compiled once, when its class statement runs; a
mistake raises :class:`~sioschema.RegistryError` naming the class and the attribute.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, overload

import msgspec
from typing_extensions import TypeVar

from ._codec import ArgsCodec
from ._metadata import check_metadata
from ._text import clean_text
from ._types import declared_repr
from ._wire import RESERVED_EVENTS
from .errors import PROTOCOL_CODES, RegistryError

__all__ = [
    "RESERVED_EVENTS",
    "DeclaredError",
    "Emit",
    "Event",
    "EventRegistry",
    "RegistryInfo",
    "Several",
]

P = TypeVar("P", default=Any)
A = TypeVar("A", default=Any)
R = TypeVar("R", default=Any)


class Several:
    """The request type of an :class:`Event` that takes several arguments
    (``request=(RoomId, Text)``): its handler is typed ``(sid, *args)`` loosely."""


_NAMESPACE = re.compile(r"^/[^\s,?]*$")


class _NotSet:
    def __repr__(self) -> str:
        return "NOT_SET"


NOT_SET: Any = _NotSet()


def _as_types(value: Any) -> tuple[Any, ...]:
    """``None`` -> no argument, a tuple -> several arguments, anything else -> one."""
    if value is None:
        return ()
    if isinstance(value, tuple):
        return value
    return (value,)


def _no_list(where: str, keyword: str, types: tuple[Any, ...]) -> None:
    """Refuse a list written where a tuple of argument types was meant."""
    for i, tp in enumerate(types):
        if not isinstance(tp, list):
            continue
        shown = ", ".join(declared_repr(t) for t in tp)
        if len(types) == 1:
            if len(tp) > 1:
                instead = f"a tuple for several arguments, `{keyword}=({shown})`"
            elif tp:
                instead = f"`{keyword}={shown}` for one argument"
            else:
                instead = f"`{keyword}=None` for no argument"
            msg = (
                f"{where}: {keyword}=[{shown}] is a list, not a type; use {instead}, "
                f"or `{keyword}=list[...]` for one array argument"
            )
        else:
            msg = (
                f"{where}: {keyword} argument {i + 1} is a list, [{shown}], not a type; "
                "use `list[...]` for an array argument"
            )
        raise RegistryError(msg)


@dataclass(frozen=True)
class DeclaredError:
    """An application error an event (or an emit's ack) may answer with.

    ``type`` is a tagged msgspec Struct; its tag is the ``code`` the error ack carries,
    its docstring the ``description`` (the first line of which is the default
    ``message``), and ``codec`` checks an instance before it is sent and decodes the
    ``data`` of one received."""

    type: type[msgspec.Struct]
    code: str
    description: str | None
    message: str
    codec: ArgsCodec = field(repr=False, compare=False)


def _declared_error(tp: Any, where: str) -> DeclaredError:
    """Check one entry of ``errors=`` and compile it (see :class:`DeclaredError`)."""
    shown = declared_repr(tp)
    if not (isinstance(tp, type) and issubclass(tp, msgspec.Struct)):
        msg = (
            f"{where}: errors entry {shown} is not a msgspec Struct; declare an error as "
            'a tagged Struct, `class NotYourTurn(msgspec.Struct, tag="not_your_turn")`'
        )
        raise RegistryError(msg)
    code = tp.__struct_config__.tag
    if not isinstance(code, str) or not code:
        msg = (
            f"{where}: errors entry {shown} has no string tag; its tag is the error's "
            f'code, as in `class {tp.__name__}(msgspec.Struct, tag="{_snake(tp.__name__)}")`'
        )
        raise RegistryError(msg)
    if code in PROTOCOL_CODES:
        msg = (
            f"{where}: errors entry {shown} uses the code `{code}`, which sioschema "
            "answers with itself; give it another tag"
        )
        raise RegistryError(msg)
    label = f"{where} error {code}"
    codec = ArgsCodec((tp,), strict=True, kind="error", label=label, code="invalid_ack")
    description = clean_text(tp.__doc__)
    message = description.split("\n", 1)[0].strip() if description else code
    return DeclaredError(type=tp, code=code, description=description, message=message, codec=codec)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _declared_errors(
    given: Any, where: str, shared: tuple[DeclaredError, ...] = ()
) -> tuple[DeclaredError, ...]:
    """The errors of ``errors=`` (a sequence of tagged Structs), then ``shared`` (the
    registry's): each code used once, each type listed once."""
    if isinstance(given, type) or not isinstance(given, Sequence) or isinstance(given, str):
        msg = f"{where}: errors= takes a list of error types, got {declared_repr(given)}"
        raise RegistryError(msg)
    own = [_declared_error(e, where) for e in given]
    found: dict[str, DeclaredError] = {}
    for error in [*own, *shared]:
        other = found.get(error.code)
        if other is not None and other.type is error.type and error in shared:
            continue  # an event may list a registry-wide error again
        if other is not None:
            both = (
                f"{declared_repr(other.type)} twice"
                if other.type is error.type
                else f"both {declared_repr(other.type)} and {declared_repr(error.type)}"
            )
            msg = f"{where}: the error code `{error.code}` is declared by {both}"
            raise RegistryError(msg)
        found[error.code] = error
    return tuple(found.values())


class _Declared:
    """What ``Event`` and ``Emit`` share: a name, an owner and a description."""

    __slots__ = (
        "_attr",
        "_errors",
        "_examples",
        "_name",
        "description",
        "error_codes",
        "error_types",
        "errors",
        "examples",
        "registry",
    )

    def __init__(
        self,
        name: str | None,
        description: str | None,
        examples: Sequence[Any],
        errors: Sequence[Any] = (),
    ) -> None:
        self._name = name
        self._errors = errors
        self.errors: tuple[DeclaredError, ...] = ()
        """The application errors it may be answered with, checked when the registry was
        created: an event's own, then its registry's (``errors=`` of the class)."""
        self.error_types: dict[type, DeclaredError] = {}
        """:attr:`errors` by type (what a ``Reject`` is looked up by)."""
        self.error_codes: dict[str, DeclaredError] = {}
        """:attr:`errors` by code (what a received error ack is looked up by)."""
        self._attr: str | None = None
        self.description = clean_text(description)
        self._examples = tuple(examples)
        self.examples: tuple[Any, ...] = ()
        """The examples in their JSON form, checked when the registry was created."""
        self.registry: type[EventRegistry] | None = None

    def __set_name__(self, owner: type, attr: str) -> None:
        self._attr = attr

    def _compile_errors(self, where: str, shared: tuple[DeclaredError, ...]) -> None:
        self.errors = _declared_errors(self._errors, where, shared)
        self.error_types = {error.type: error for error in self.errors}
        self.error_codes = {error.code: error for error in self.errors}

    @property
    def name(self) -> str:
        """The Socket.IO event name (the attribute name unless ``name=`` was given)."""
        name = self._name or self._attr
        if name is None:
            msg = f"{type(self).__name__} is not bound to a registry attribute"
            raise RegistryError(msg)
        return name

    @property
    def namespace(self) -> str:
        """The namespace of the registry that declares this event."""
        if self.registry is None:
            msg = f"{type(self).__name__} `{self.name}` is not part of a registry"
            raise RegistryError(msg)
        return self.registry.__sioschema_info__.namespace

    def _where(self) -> str:
        owner = self.registry.__qualname__ if self.registry else "?"
        return f"{owner}.{self._attr}"


class Emit(_Declared, Generic[P, A]):
    """A server -> client event.

    :param payload: the payload type; a tuple of types for several arguments, ``None``
        for none.
    :param ack: when given, the client is expected to acknowledge with this type
        (a tuple of types for several values, ``None`` for an empty ack).
    :param name: the event name when it is not the attribute name.
    :param description: documentation (defaults to nothing).
    :param examples: example payloads (a tuple of values for several arguments),
        checked against ``payload`` when the registry is created.
    :param errors: the application errors (tagged msgspec Structs, see
        :class:`Event`) the client's handler may answer with instead of the ack;
        only with ``ack``.
    """

    __slots__ = ("_ack_types", "_payload_types", "ack_codec", "payload_codec")

    @overload
    def __init__(
        self: Emit[P, Any],
        payload: type[P],
        *,
        ack: Any = NOT_SET,
        name: str | None = None,
        description: str | None = None,
        examples: Sequence[Any] = (),
        errors: Sequence[type[msgspec.Struct]] = (),
    ) -> None: ...

    @overload
    def __init__(
        self: Emit[Any, Any],
        payload: Any = None,
        *,
        ack: Any = NOT_SET,
        name: str | None = None,
        description: str | None = None,
        examples: Sequence[Any] = (),
        errors: Sequence[type[msgspec.Struct]] = (),
    ) -> None: ...

    def __init__(
        self,
        payload: Any = None,
        *,
        ack: Any = NOT_SET,
        name: str | None = None,
        description: str | None = None,
        examples: Sequence[Any] = (),
        errors: Sequence[type[msgspec.Struct]] = (),
    ) -> None:
        super().__init__(name, description, examples, errors)
        self._payload_types = _as_types(payload)
        self._ack_types = None if ack is NOT_SET else _as_types(ack)
        self.payload_codec: ArgsCodec
        self.ack_codec: ArgsCodec | None = None

    @property
    def payload(self) -> tuple[Any, ...]:
        """The payload types, one per argument."""
        return self._payload_types

    @property
    def ack(self) -> tuple[Any, ...] | None:
        """The client's ack types, or ``None`` when the emit expects no ack."""
        return self._ack_types

    def __repr__(self) -> str:
        return f"<Emit {self._where()} {self._name or self._attr!r}>"


class Event(_Declared, Generic[R, A]):
    """A client -> server event, generic in its request and ack types.

    ``Event(request=MakeMove, ack=MakeMoveAck)`` is an ``Event[MakeMove, MakeMoveAck]``,
    so a type checker checks the handler ``on()`` registers for it and the ack a
    client's ``call()`` returns. No request is ``Event[None, ...]``, no ack
    ``Event[..., None]``, several request arguments ``Event[Several, ...]``; a type a
    checker cannot read as a class (``Annotated[...]``, a ``Literal``, a union) makes
    that side ``Any``.

    :param request: the request type; a tuple of types for several arguments, ``None``
        (the default) for none.
    :param ack: the ack type the handler returns; a tuple for several values, ``None``
        (the default) for an empty ack.
    :param emits: the :class:`Emit` declarations of the same registry that handling
        this event may send.
    :param name: the event name when it is not the attribute name.
    :param description: documentation (defaults to nothing).
    :param examples: example requests (a tuple of values for several arguments),
        checked against ``request`` when the registry is created.
    :param errors: the application errors the handler may answer with instead of the
        ack (``raise sioschema.Reject(NotYourTurn(...))``): tagged msgspec Structs,
        whose tag is the error's ``code``
        (``class NotYourTurn(msgspec.Struct, tag="not_your_turn")``); the registry's
        own ``errors=`` are added to them.
    """

    __slots__ = ("_ack_types", "_request_types", "ack_codec", "emits", "request_codec")

    @overload
    def __init__(
        self: Event[R, A],
        *,
        request: type[R],
        ack: type[A],
        emits: Sequence[Emit[Any, Any]] = (),
        name: str | None = None,
        description: str | None = None,
        examples: Sequence[Any] = (),
        errors: Sequence[type[msgspec.Struct]] = (),
    ) -> None: ...

    @overload
    def __init__(
        self: Event[R, None],
        *,
        request: type[R],
        ack: None = None,
        emits: Sequence[Emit[Any, Any]] = (),
        name: str | None = None,
        description: str | None = None,
        examples: Sequence[Any] = (),
        errors: Sequence[type[msgspec.Struct]] = (),
    ) -> None: ...

    @overload
    def __init__(
        self: Event[None, A],
        *,
        request: None = None,
        ack: type[A],
        emits: Sequence[Emit[Any, Any]] = (),
        name: str | None = None,
        description: str | None = None,
        examples: Sequence[Any] = (),
        errors: Sequence[type[msgspec.Struct]] = (),
    ) -> None: ...

    @overload
    def __init__(
        self: Event[None, None],
        *,
        request: None = None,
        ack: None = None,
        emits: Sequence[Emit[Any, Any]] = (),
        name: str | None = None,
        description: str | None = None,
        examples: Sequence[Any] = (),
        errors: Sequence[type[msgspec.Struct]] = (),
    ) -> None: ...

    @overload
    def __init__(
        self: Event[Several, A],
        *,
        request: tuple[Any, ...],
        ack: type[A],
        emits: Sequence[Emit[Any, Any]] = (),
        name: str | None = None,
        description: str | None = None,
        examples: Sequence[Any] = (),
        errors: Sequence[type[msgspec.Struct]] = (),
    ) -> None: ...

    @overload
    def __init__(
        self: Event[Several, None],
        *,
        request: tuple[Any, ...],
        ack: None = None,
        emits: Sequence[Emit[Any, Any]] = (),
        name: str | None = None,
        description: str | None = None,
        examples: Sequence[Any] = (),
        errors: Sequence[type[msgspec.Struct]] = (),
    ) -> None: ...

    @overload
    def __init__(
        self: Event[Any, A],
        *,
        request: Any,
        ack: type[A],
        emits: Sequence[Emit[Any, Any]] = (),
        name: str | None = None,
        description: str | None = None,
        examples: Sequence[Any] = (),
        errors: Sequence[type[msgspec.Struct]] = (),
    ) -> None: ...

    @overload
    def __init__(
        self: Event[Any, None],
        *,
        request: Any,
        ack: None = None,
        emits: Sequence[Emit[Any, Any]] = (),
        name: str | None = None,
        description: str | None = None,
        examples: Sequence[Any] = (),
        errors: Sequence[type[msgspec.Struct]] = (),
    ) -> None: ...

    @overload
    def __init__(
        self: Event[Any, Any],
        *,
        request: Any = None,
        ack: Any = None,
        emits: Sequence[Emit[Any, Any]] = (),
        name: str | None = None,
        description: str | None = None,
        examples: Sequence[Any] = (),
        errors: Sequence[type[msgspec.Struct]] = (),
    ) -> None: ...

    def __init__(
        self,
        *,
        request: Any = None,
        ack: Any = None,
        emits: Sequence[Emit[Any, Any]] = (),
        name: str | None = None,
        description: str | None = None,
        examples: Sequence[Any] = (),
        errors: Sequence[type[msgspec.Struct]] = (),
    ) -> None:
        super().__init__(name, description, examples, errors)
        self._request_types = _as_types(request)
        self._ack_types = _as_types(ack)
        self.emits: tuple[Emit[Any, Any], ...] = tuple(emits)
        self.request_codec: ArgsCodec
        self.ack_codec: ArgsCodec

    @property
    def request(self) -> tuple[Any, ...]:
        """The request types, one per argument."""
        return self._request_types

    @property
    def ack(self) -> tuple[Any, ...]:
        """The ack types, one per value."""
        return self._ack_types

    def __repr__(self) -> str:
        return f"<Event {self._where()} {self._name or self._attr!r}>"


def _check_class(cls: type[EventRegistry], namespace: Any) -> None:
    """A new registry (not a subclass of another) with a valid namespace."""
    qual = cls.__qualname__
    if "__sioschema_info__" in vars(cls.__mro__[1]):
        msg = f"{qual}: a registry cannot subclass another registry; declare a new one"
        raise RegistryError(msg)
    if not isinstance(namespace, str) or not _NAMESPACE.match(namespace):
        msg = f"{qual}: namespace must start with '/' (got {namespace!r})"
        raise RegistryError(msg)


def _collect(cls: type[EventRegistry]) -> tuple[dict[str, Event], dict[str, Emit[Any, Any]]]:
    """The class's ``Event`` and ``Emit`` attributes by event name, in declaration
    order, each now owned by ``cls``: a name is a non-empty string, not reserved by
    Socket.IO, and used once per direction; a declaration belongs to one registry."""
    qual = cls.__qualname__
    events: dict[str, Event] = {}
    emits: dict[str, Emit[Any, Any]] = {}
    for attr, value in vars(cls).items():
        if isinstance(value, Event):
            table: dict[str, Any] = events
        elif isinstance(value, Emit):
            table = emits
        else:
            continue
        if value.registry is not None:
            msg = f"{qual}.{attr}: this declaration already belongs to {value._where()}"
            raise RegistryError(msg)
        value.registry = cls
        name = value.name
        if not isinstance(name, str) or not name:
            msg = f"{qual}.{attr}: the event name must be a non-empty string"
            raise RegistryError(msg)
        if name in RESERVED_EVENTS:
            msg = f"{qual}.{attr}: `{name}` is reserved by Socket.IO"
            raise RegistryError(msg)
        if name in table:
            kind = "client event" if table is events else "emit"
            msg = f"{qual}.{attr}: duplicate {kind} name `{name}` (also {table[name]._attr})"
            raise RegistryError(msg)
        table[name] = value
    return events, emits


def _compile_event(
    event: Event, cls: type[EventRegistry], strict: bool, shared: tuple[DeclaredError, ...]
) -> None:
    """Check an event's ``emits`` (Emits of ``cls``), types and errors (its own, then
    ``shared``, the registry's), build its request and ack codecs, and check its
    examples against the request."""
    qual = cls.__qualname__
    where = f"{qual}.{event._attr}"
    for emit in event.emits:
        if not isinstance(emit, Emit) or emit.registry is not cls:
            msg = f"{where}: emits entry {emit!r} is not an Emit declared in {qual}"
            raise RegistryError(msg)
    _no_list(where, "request", event.request)
    _no_list(where, "ack", event.ack)
    event.request_codec = ArgsCodec(
        event.request,
        strict=strict,
        kind="request",
        label=f"{where} request",
        tag=event.name,
    )
    event.ack_codec = ArgsCodec(event.ack, strict=True, kind="ack", label=f"{where} ack")
    event._compile_errors(where, shared)
    event.examples = tuple(
        event.request_codec.check_example(e, f"{where} request") for e in event._examples
    )


def _compile_emit(emit: Emit[Any, Any], qual: str, strict: bool) -> None:
    """Check an emit's types, build its payload codec (and its ack codec when it
    expects an ack), and check its examples against the payload."""
    where = f"{qual}.{emit._attr}"
    _no_list(where, "payload", emit.payload)
    _no_list(where, "ack", emit.ack or ())
    emit.payload_codec = ArgsCodec(
        emit.payload, strict=True, kind="emit", label=f"{where} payload", tag=emit.name
    )
    emit.examples = tuple(
        emit.payload_codec.check_example(e, f"{where} payload") for e in emit._examples
    )
    if emit.ack is not None:
        emit.ack_codec = ArgsCodec(
            emit.ack, strict=strict, kind="ack", label=f"{where} ack", code="invalid_ack"
        )
    elif emit._errors:
        msg = f"{where}: errors= answer an ack; declare the emit's ack= too"
        raise RegistryError(msg)
    emit._compile_errors(where, ())


class EventRegistry:
    """Base class of a registry: one Socket.IO namespace and every event it carries.

    Options are class keywords::

        class Game(EventRegistry, namespace="/game", title="Game API", version="2.1.0"):
            ...

    :param namespace: the Socket.IO namespace (default ``"/"``).
    :param title: the API title (default: the class name).
    :param version: the API version (default ``"1.0.0"``).
    :param description: the API description (default: the class docstring).
    :param strict: ``False`` lets requests coerce (``"1"`` -> ``1``), as
        ``msgspec.convert(strict=False)``; acks and emits stay strict.
    :param servers: AsyncAPI servers, ``{name: {"host": ..., "protocol": ...}}``.
    :param contact: AsyncAPI ``info.contact``.
    :param license: AsyncAPI ``info.license``.
    :param tags: AsyncAPI ``info.tags``.
    :param external_docs: AsyncAPI ``info.externalDocs``.
    :param id: AsyncAPI ``id``.
    :param errors: application errors (tagged msgspec Structs, see :class:`Event`)
        every event of the registry may answer with, after the event's own.
    :param auth: the type of the ``auth`` payload a client sends when it connects; it is
        validated like a request, the connect handler receives it typed, and a client
        whose ``auth`` breaks it is refused (``CONNECT_ERROR`` with an ``invalid_auth``
        error). Omitted (``None``), ``auth`` is not checked.
    """

    __sioschema_info__: ClassVar[RegistryInfo]

    def __init_subclass__(
        cls,
        *,
        namespace: str = "/",
        title: str | None = None,
        version: str = "1.0.0",
        description: str | None = None,
        strict: bool = True,
        servers: dict[str, dict[str, Any]] | None = None,
        contact: dict[str, str] | None = None,
        license: dict[str, str] | None = None,
        tags: Sequence[dict[str, Any]] = (),
        external_docs: dict[str, str] | None = None,
        id: str | None = None,
        auth: Any = None,
        errors: Sequence[type[msgspec.Struct]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        qual = cls.__qualname__
        _check_class(cls, namespace)
        check_metadata(qual, servers, contact, license, tags, external_docs, id)
        events, emits = _collect(cls)
        shared = _declared_errors(errors, qual)
        for event in events.values():
            _compile_event(event, cls, strict, shared)
        for emit in emits.values():
            _compile_emit(emit, qual, strict)
        auth_codec = None
        if auth is not None:
            auth_codec = ArgsCodec(
                (auth,),
                strict=strict,
                kind="auth",
                label=f"{qual} auth",
                code="invalid_auth",
            )

        cls.__sioschema_info__ = RegistryInfo(
            registry=cls,
            namespace=namespace,
            title=title or cls.__name__,
            version=version,
            description=clean_text(description or cls.__doc__),
            strict=strict,
            events=events,
            emits=emits,
            servers=dict(servers or {}),
            contact=contact,
            license=license,
            tags=tuple(tags),
            external_docs=external_docs,
            id=id,
            auth=auth,
            auth_codec=auth_codec,
            errors=shared,
        )

    def __new__(cls, *args: Any, **kwargs: Any) -> EventRegistry:
        msg = f"{cls.__qualname__} is a declaration; use the class itself, not an instance"
        raise RegistryError(msg)


@dataclass(frozen=True)
class RegistryInfo:
    """Everything a registry declares, after its checks passed."""

    registry: type[EventRegistry]
    namespace: str
    title: str
    version: str
    description: str | None
    strict: bool
    events: Mapping[str, Event] = field(repr=False)
    """Client -> server events by Socket.IO name."""
    emits: Mapping[str, Emit[Any, Any]] = field(repr=False)
    """Server -> client events by Socket.IO name."""
    servers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    contact: Mapping[str, str] | None = None
    license: Mapping[str, str] | None = None
    tags: tuple[Mapping[str, Any], ...] = ()
    external_docs: Mapping[str, str] | None = None
    id: str | None = None
    auth: Any = None
    """The declared type of the connection's ``auth`` payload (``None``: not checked)."""
    auth_codec: ArgsCodec | None = field(default=None, repr=False)
    errors: tuple[DeclaredError, ...] = ()
    """The errors every event of the registry declares (``errors=`` of the class)."""
