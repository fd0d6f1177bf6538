"""The declaration: ``EventRegistry``, ``Event`` and ``Emit``.

A registry class is checked and compiled once, when its class statement runs; a
mistake raises :class:`~sioschema.RegistryError` naming the class and the attribute.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, overload

from typing_extensions import TypeVar

from ._codec import ArgsCodec
from ._text import clean_text
from ._types import declared_repr
from ._wire import RESERVED_EVENTS
from .errors import RegistryError

__all__ = ["RESERVED_EVENTS", "Emit", "Event", "EventRegistry", "RegistryInfo", "Several"]

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


# RFC 3986: what a URI may hold outside an IPv6 host; anything else is percent-encoded
_URI_CHAR = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2}")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_IPV6_HOST = re.compile(r"^//\[[0-9A-Fa-f:.]+\]")
# the "email" format of the JSON Schema validator the AsyncAPI parser runs (ajv-formats)
_EMAIL = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$",
    re.IGNORECASE,
)
# the fields AsyncAPI allows in each object, besides ``x-`` extensions
_FIELDS: dict[str, tuple[set[str], set[str]]] = {  # allowed, required
    "contact": ({"name", "url", "email"}, set()),
    "license": ({"name", "url"}, {"name"}),
    "external_docs": ({"url", "description"}, {"url"}),
    "tag": ({"name", "description", "externalDocs"}, {"name"}),
}
# the fields of a Server Object that AsyncAPI 2.6.0 and 3.x both allow (title, summary
# and externalDocs are 3.x only; security needs securitySchemes, which registries do not
# declare), with the 2.x ``url`` and the 3.x ``host`` / ``pathname`` that the documents
# convert into each other
_SERVER_FIELDS = {
    "url",
    "host",
    "pathname",
    "protocol",
    "protocolVersion",
    "description",
    "variables",
    "tags",
}
_VARIABLE_FIELDS = {"enum", "default", "description", "examples"}
# an extension key, as the AsyncAPI schemas match them (``^x-[\w\d\.\x2d]+$``)
_EXTENSION = re.compile(r"^x-[A-Za-z0-9_.\-]+$")
# a variable in a server's url, host or pathname: ``{stage}``
_VARIABLE = re.compile(r"\{([^{}]*)\}")


def _key_problem(where: str, key: Any, allowed: set[str]) -> str | None:
    """Why ``key`` cannot be a key of this object; ``None`` if it can."""
    if isinstance(key, str) and (key in allowed or _EXTENSION.match(key)):
        return None
    names = ", ".join(f"'{k}'" for k in sorted(allowed))
    if isinstance(key, str) and key.startswith("x-"):
        return (
            f"{where} has the extension key {key!r}, which AsyncAPI does not allow: 'x-' "
            "and then letters, digits, '_', '.' or '-'"
        )
    return f"{where} has an unknown key {key!r}; AsyncAPI allows {names} and 'x-' keys"


def _uri_problem(value: str, *, absolute: bool) -> str | None:
    """Why ``value`` is not a URI (``absolute``) or URI reference; ``None`` if it is."""
    rest = value
    scheme = _SCHEME.match(value)
    if scheme:
        rest = value[scheme.end() :]
        if not rest:
            return "it has nothing after its scheme"
    elif absolute:
        return "it has no scheme (like `https:`)"
    rest = _IPV6_HOST.sub("", rest, count=1)
    i = 0
    while i < len(rest):
        char = _URI_CHAR.match(rest, i)
        if char is None:
            bad = rest[i : i + 3] if rest[i] == "%" else rest[i]
            if bad.startswith("%"):
                return f"`{bad}` is not a percent-encoding"
            return f"{bad!r} must be percent-encoded"
        i = char.end()
    return None


def _check_object(where: str, kind: str, value: Any) -> Mapping[str, Any]:
    """A metadata object: a dict of strings with the fields AsyncAPI allows."""
    if not isinstance(value, Mapping):
        msg = f"{where} must be a dict (got {value!r})"
        raise RegistryError(msg)
    allowed, required = _FIELDS[kind]
    for key, item in value.items():
        problem = _key_problem(where, key, allowed)
        if problem:
            raise RegistryError(problem)
        if key in allowed and key != "externalDocs" and not isinstance(item, str):
            msg = f"{where}[{key!r}] must be a string (got {item!r})"
            raise RegistryError(msg)
    for key in sorted(required):
        if not value.get(key):
            msg = f"{where} needs a non-empty {key!r}"
            raise RegistryError(msg)
    url = value.get("url")
    if url is not None:
        problem = _uri_problem(url, absolute=True)
        if problem:
            msg = f"{where}['url'] must be an absolute URI, {url!r} is not: {problem}"
            raise RegistryError(msg)
    return value


def _check_metadata(
    qual: str,
    servers: Any,
    contact: Any,
    license: Any,
    tags: Any,
    external_docs: Any,
    id: Any,
) -> None:
    """Refuse metadata that would make the AsyncAPI document invalid."""
    if id is not None:
        problem = _uri_problem(id, absolute=True) if isinstance(id, str) else "not a string"
        if problem:
            msg = (
                f"{qual}: id must be an absolute URI (like 'urn:example:api'), "
                f"{id!r} is not: {problem}"
            )
            raise RegistryError(msg)
    if contact is not None:
        _check_object(f"{qual}: contact", "contact", contact)
        email = contact.get("email")
        if email is not None and not _EMAIL.match(email):
            msg = f"{qual}: contact['email'] is not an email address (got {email!r})"
            raise RegistryError(msg)
    if license is not None:
        _check_object(f"{qual}: license", "license", license)
    if external_docs is not None:
        _check_object(f"{qual}: external_docs", "external_docs", external_docs)
    _check_tags(f"{qual}: tags", tags)
    for name, server in (servers or {}).items():
        _check_server(f"{qual}: servers[{name!r}]", server)


def _check_tags(where: str, tags: Sequence[Any]) -> None:
    """A list of Tag Objects with distinct names."""
    names: set[str] = set()
    for i, tag in enumerate(tags):
        here = f"{where}[{i}]"
        _check_object(here, "tag", tag)
        if tag["name"] in names:
            msg = f"{here}: the tag name {tag['name']!r} is already used; tag names are unique"
            raise RegistryError(msg)
        names.add(tag["name"])
        if "externalDocs" in tag:
            _check_object(f"{here}['externalDocs']", "external_docs", tag["externalDocs"])


def _check_server(where: str, server: Any) -> None:
    """A Server Object that renders valid in AsyncAPI 2.6.0 and 3.x."""
    if not isinstance(server, Mapping):
        msg = f"{where} must be a dict (got {server!r})"
        raise RegistryError(msg)
    for key in server:
        problem = _key_problem(where, key, _SERVER_FIELDS)
        if problem:
            msg = f"{problem} (the fields AsyncAPI 2.6.0 and 3.x both allow)"
            raise RegistryError(msg)
    url = server.get("url")
    if not (server.get("host") or url):
        msg = f"{where} needs a 'host' (or a 'url')"
        raise RegistryError(msg)
    for key in ("url", "host", "pathname", "protocol", "protocolVersion", "description"):
        if key in server and not isinstance(server[key], str):
            msg = f"{where}[{key!r}] must be a string (got {server[key]!r})"
            raise RegistryError(msg)
    if not server.get("protocol") and not (url and "://" in url):
        msg = f"{where} needs a 'protocol' (like 'ws' or 'wss')"
        raise RegistryError(msg)
    variables = _check_variables(where, server.get("variables", {}))
    for key in ("url", "host", "pathname"):
        if key not in server:
            continue
        # a URI reference: the host and path are joined into a 2.x url; a url without
        # a scheme starts with its host, as the documents read it
        value = server[key]
        for used in _VARIABLE.findall(value):
            if not used:
                msg = f"{where}[{key!r}] has an empty variable `{{}}`, {value!r}"
                raise RegistryError(msg)
            if used not in variables:
                msg = (
                    f"{where}[{key!r}] uses the variable `{{{used}}}`, which the server "
                    f"does not declare: add it to the server's 'variables', "
                    f"e.g. {{'{used}': {{'default': ...}}}}"
                )
                raise RegistryError(msg)
        # a variable stands for its values, checked as parts of a URI below
        checked = _VARIABLE.sub("x", value)
        if key == "host" or (key == "url" and "://" not in value):
            checked = f"//{checked}"
        problem = _uri_problem(checked, absolute=False)
        if problem:
            msg = f"{where}[{key!r}] is not part of a valid URI, {server[key]!r}: {problem}"
            raise RegistryError(msg)
    if "tags" in server:
        tags = server["tags"]
        if isinstance(tags, (str, Mapping)) or not isinstance(tags, Sequence) or not tags:
            msg = f"{where}['tags'] must be a non-empty list of tags (got {tags!r})"
            raise RegistryError(msg)
        _check_tags(f"{where}['tags']", tags)


def _check_variables(where: str, variables: Any) -> Mapping[str, Any]:
    """A server's ``variables``: each a Server Variable Object whose values are parts of
    a URI, its ``default`` one of its ``enum`` values when it has both."""
    if not isinstance(variables, Mapping):
        msg = f"{where}['variables'] must be a dict (got {variables!r})"
        raise RegistryError(msg)
    for name, variable in variables.items():
        here = f"{where}['variables'][{name!r}]"
        if not isinstance(name, str) or not name or not _VARIABLE.fullmatch(f"{{{name}}}"):
            msg = f"{where}['variables'] has a variable named {name!r}; name it as in `{{stage}}`"
            raise RegistryError(msg)
        if not isinstance(variable, Mapping):
            msg = f"{here} must be a dict (got {variable!r})"
            raise RegistryError(msg)
        for key, item in variable.items():
            problem = _key_problem(here, key, _VARIABLE_FIELDS)
            if problem:
                raise RegistryError(problem)
            if key == "description" and not isinstance(item, str):
                msg = f"{here}['description'] must be a string (got {item!r})"
                raise RegistryError(msg)
        values = [variable["default"]] if "default" in variable else []
        for key in ("enum", "examples"):
            if key not in variable:
                continue
            items = variable[key]
            if (
                isinstance(items, (str, Mapping))
                or not isinstance(items, Sequence)
                or not items
                or len(set(map(repr, items))) != len(items)
            ):
                msg = f"{here}[{key!r}] must be a non-empty list of distinct strings, not {items!r}"
                raise RegistryError(msg)
            values += items
        for value in values:
            problem = None if isinstance(value, str) else "not a string"
            problem = problem or _uri_problem(f"//{value}", absolute=False)
            if problem:
                msg = f"{here} has the value {value!r}, which cannot be part of a URI: {problem}"
                raise RegistryError(msg)
        enum = variable.get("enum")
        if enum is not None and "default" in variable and variable["default"] not in enum:
            msg = f"{here}['default'] {variable['default']!r} is not one of its 'enum' {enum!r}"
            raise RegistryError(msg)
    return variables


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


class _Declared:
    """What ``Event`` and ``Emit`` share: a name, an owner and a description."""

    __slots__ = ("_attr", "_examples", "_name", "description", "examples", "registry")

    def __init__(self, name: str | None, description: str | None, examples: Sequence[Any]) -> None:
        self._name = name
        self._attr: str | None = None
        self.description = clean_text(description)
        self._examples = tuple(examples)
        self.examples: tuple[Any, ...] = ()
        """The examples in their JSON form, checked when the registry was created."""
        self.registry: type[EventRegistry] | None = None

    def __set_name__(self, owner: type, attr: str) -> None:
        self._attr = attr

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
    ) -> None: ...

    def __init__(
        self,
        payload: Any = None,
        *,
        ack: Any = NOT_SET,
        name: str | None = None,
        description: str | None = None,
        examples: Sequence[Any] = (),
    ) -> None:
        super().__init__(name, description, examples)
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
    ) -> None:
        super().__init__(name, description, examples)
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
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        qual = cls.__qualname__
        if "__sioschema_info__" in vars(cls.__mro__[1]):
            msg = f"{qual}: a registry cannot subclass another registry; declare a new one"
            raise RegistryError(msg)
        if not isinstance(namespace, str) or not _NAMESPACE.match(namespace):
            msg = f"{qual}: namespace must start with '/' (got {namespace!r})"
            raise RegistryError(msg)

        _check_metadata(qual, servers, contact, license, tags, external_docs, id)

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

        for event in events.values():
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
            event.examples = tuple(
                event.request_codec.check_example(e, f"{where} request") for e in event._examples
            )
        for emit in emits.values():
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
