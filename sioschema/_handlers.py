"""A handler checked against the declaration it is registered for, when it is registered.

Type checkers check handlers statically (``Event`` and ``Emit`` are generic in their
request and ack); this catches at start-up, for code that is not type-checked, the
contradictions that would otherwise show up per message:

- a handler that cannot take the declared number of arguments;
- a request (payload) parameter annotated with a class the request never is: the value
  a handler receives is an instance of the declared class, so an unrelated class
  (``m: str`` for a declared ``Move``) can never hold it;
- a return annotation the declared ack can never be: ``-> None`` (the move is played,
  then the peer gets ``internal_error``), a scalar where the ack is an object
  (``-> str`` for a Struct ack), another record class (``-> Move`` for an ``Ok`` ack),
  a value for an event with no ack.

It refuses only what is plain: both sides concrete classes (after resolving string
annotations and looking inside ``Annotated[...]``), neither a subclass of the other, nor
related by PEP 484's numeric tower. ``Any``, ``object``, unions and ``Optional``,
generics (``list[int]``), ``Literal``, TypeVars, ``NewType``, Protocols and TypedDicts
(both structural), and annotations that cannot be resolved are not judged. A coroutine
function is judged by its declared return type, the ack. Several request arguments are
judged one by one, for the positional parameters that take them.

The ack is the return value converted through JSON, so plain data that converts is
accepted (``-> dict`` for a Struct ack, ``-> list`` for a tuple, ``-> str`` for a
``datetime``); what is refused is a return annotation whose JSON form can never be the
ack's (a string, a number, an object or an array where the ack is another of these), or
a record class (Struct, dataclass, attrs, NamedTuple) for an unrelated record class.

Events without an ack: python-socketio sends a handler's return value as the ack when
the peer asked for one. For an :class:`~sioschema.Event` declared without an ack (and an
:class:`~sioschema.Emit` with ``ack=None``) a returned value breaks the declaration the
peer relies on (it would get ``internal_error``), so a handler annotated to return a
value is refused. An ``Emit`` declared without ``ack=`` leaves its ack undeclared: the
client handler's return value passes unchecked, as in python-socketio, and is not judged.
"""

from __future__ import annotations

import inspect
import typing
from typing import Annotated, Any

import msgspec
import msgspec.inspect as mi

from ._registry import Emit, Event
from ._types import declared_repr
from .errors import SioSchemaError

__all__ = ["check_handler"]

# what a type checker lets stand for a declared type (PEP 484's numeric tower, and
# the bytes promotions mypy applies)
_WIDER: dict[type, tuple[type, ...]] = {
    int: (float, complex),
    float: (complex,),
    bytearray: (bytes,),
    memoryview: (bytes,),
}
_NONE = type(None)
# the JSON values a class's instances are written as (and a declared type is read from)
_STRING = frozenset({"string"})
_NUMBER = frozenset({"int", "float"})
_OBJECT = frozenset({"object"})
_ARRAY = frozenset({"array"})
_BY_NAME = {
    "NoneType": frozenset({"null"}),
    "BoolType": frozenset({"bool"}),
    "IntType": frozenset({"int"}),
    "FloatType": frozenset({"float"}),
    **dict.fromkeys(
        (
            "StrType",
            "BytesType",
            "ByteArrayType",
            "MemoryViewType",
            "DateTimeType",
            "DateType",
            "TimeType",
            "TimeDeltaType",
            "UUIDType",
            "DecimalType",
        ),
        _STRING,
    ),
    **dict.fromkeys(("DataclassType", "TypedDictType", "DictType", "FrozenDictType"), _OBJECT),
    **dict.fromkeys(
        ("ListType", "SetType", "FrozenSetType", "VarTupleType", "TupleType", "NamedTupleType"),
        _ARRAY,
    ),
}
# (by name: the classes of msgspec.inspect vary with msgspec's version)
_KINDS: dict[Any, frozenset[str]] = {
    getattr(mi, name): kinds for name, kinds in _BY_NAME.items() if hasattr(mi, name)
}
# what a declared type is also read from
_READ_FROM: dict[Any, frozenset[str]] = {
    mi.FloatType: _NUMBER,
    mi.DecimalType: _STRING | _NUMBER,
}
_RECORDS = (mi.StructType, mi.DataclassType, mi.NamedTupleType)  # attrs: Dataclass


def _name(handler: Any) -> str:
    return getattr(handler, "__qualname__", None) or repr(handler)


def _accepts_none(types: tuple[Any, ...]) -> bool:
    if len(types) != 1:
        return False
    try:
        msgspec.convert(None, types[0])
    except (msgspec.ValidationError, TypeError):
        return False
    return True


def _unwrap(tp: Any) -> Any:
    """``Annotated[T, ...]`` -> ``T``."""
    while typing.get_origin(tp) is Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _class(tp: Any) -> type | None:
    """``tp`` as a class that can be judged, or ``None``."""
    tp = _unwrap(tp)
    if not isinstance(tp, type) or typing.get_origin(tp) is not None:
        return None  # unions, Literal, TypeVars, NewType; `list[int]` is a type on 3.10
    if tp is object or tp is Any or getattr(tp, "_is_protocol", False):
        return None
    if typing.is_typeddict(tp) or (issubclass(tp, dict) and hasattr(tp, "__total__")):
        return None  # structural, as Protocols
    return tp


def _related(value: type, annotation: type) -> bool:
    """Whether a ``value`` class and an ``annotation`` class are not plainly unrelated:
    one a subclass of the other, or ``annotation`` wider by the numeric tower."""
    try:
        if issubclass(value, annotation) or issubclass(annotation, value):
            return True
    except TypeError:  # a class that refuses subclass checks: not judged
        return True
    return annotation in _WIDER.get(value, ())


def _info(cls: type) -> mi.Type | None:
    try:
        return mi.type_info(cls)
    except Exception:  # a class msgspec does not support (a registry may use hooks)
        return None


def _kinds(info: mi.Type | None, table: dict[Any, frozenset[str]]) -> frozenset[str]:
    """The JSON values of a type, empty when unknown (not judged)."""
    if isinstance(info, mi.StructType):
        return frozenset({"array" if info.array_like else "object"})
    if isinstance(info, mi.EnumType):
        values = {type(member.value) for member in info.cls}
        return frozenset({"string"} if values == {str} else {"int"} if values == {int} else ())
    if info is None:
        return frozenset()
    return table.get(type(info)) or _KINDS.get(type(info), frozenset())


def _cannot_return(annotation: type, declared: type) -> bool:
    """Whether a value annotated ``annotation`` can never be sent as a ``declared`` ack
    (converted through JSON)."""
    if _related(annotation, declared):
        return False
    returned, expected = _info(annotation), _info(declared)
    if isinstance(returned, _RECORDS) and isinstance(expected, _RECORDS):
        return True  # another record class
    sent = _kinds(returned, _KINDS)
    read = _kinds(expected, _READ_FROM)
    return bool(sent and read) and not (sent & read)


def _declared(event: Event | Emit[Any, Any]) -> tuple[tuple[Any, ...], tuple[Any, ...] | None]:
    """The request (payload) types and the ack types (``None``: the ack is undeclared)."""
    if isinstance(event, Event):
        return event.request, event.ack
    return event.payload, event.ack


def check_handler(event: Event | Emit[Any, Any] | str, handler: Any, *, skip: int) -> None:
    """Refuse ``handler`` for ``event`` if its signature or annotations contradict it.

    ``event`` is a server's :class:`~sioschema.Event` or a client's
    :class:`~sioschema.Emit`; ``skip`` is the number of leading arguments passed before
    the request (``sid``: 1 on python-socketio's servers, 0 on Flask-SocketIO and on
    clients). Raises :class:`~sioschema.SioSchemaError` naming the handler and its
    annotation, and the declaration and its type; see the module's docstring for what
    is judged.
    """
    if not isinstance(event, (Event, Emit)) or not callable(handler):
        return
    request, ack = _declared(event)
    what = f"handler `{_name(handler)}` of {event!r}"
    part = "request" if isinstance(event, Event) else "payload"
    peer = "client" if isinstance(event, Event) else "server"
    arity = len(request)
    try:
        signature = inspect.signature(handler)
    except (TypeError, ValueError):
        return
    try:
        signature.bind(*([None] * (skip + arity)))
    except TypeError:
        takes = "sid and " if skip else ""
        msg = (
            f"{what} cannot take {takes}{arity} {part} argument(s) "
            f"(declared {part}: {_types(request)})"
        )
        raise SioSchemaError(msg) from None
    try:
        hints = typing.get_type_hints(handler)
    except Exception:  # unresolvable annotations: not judged
        return
    params = [
        p
        for p in signature.parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ][skip : skip + arity]
    for param, declared in zip(params, request, strict=False):
        annotation = _class(hints.get(param.name))
        value = _class(declared)
        if annotation is not None and value is not None and not _related(value, annotation):
            msg = (
                f"{what}: parameter `{param.name}` is annotated "
                f"`{declared_repr(hints[param.name])}`, but the {part} is declared "
                f"`{declared_repr(declared)}`"
            )
            raise SioSchemaError(msg)
    if "return" not in hints or ack is None:
        return
    _check_return(what, peer, hints["return"], ack)


def _check_return(what: str, peer: str, returns: Any, ack: tuple[Any, ...]) -> None:
    shown = declared_repr(returns)
    if returns is _NONE or returns is None:
        if ack and not _accepts_none(ack):
            msg = (
                f"{what} is annotated to return `None`, but the ack is declared "
                f"{_types(ack)}: the {peer} would get an `internal_error` after the "
                "handler ran"
            )
            raise SioSchemaError(msg)
        return
    if not ack:
        if _class(returns) is not None:
            msg = (
                f"{what} is annotated to return `{shown}`, but the event declares no ack "
                "(`ack=None`): declare the ack, or return nothing"
            )
            raise SioSchemaError(msg)
        return
    if len(ack) == 1:
        pairs = [(returns, ack[0])]
    else:
        # several ack values are returned as one tuple: `tuple[A, B]` is judged value by
        # value, a class as a whole
        returned = _unwrap(returns)
        args = typing.get_args(returned)
        if typing.get_origin(returned) is tuple and Ellipsis not in args:
            args = () if args == ((),) else args  # `tuple[()]` on Python 3.10
            if len(args) != len(ack):
                msg = (
                    f"{what} is annotated to return `{shown}`, but the ack is declared "
                    f"{_types(ack)} ({len(ack)} values)"
                )
                raise SioSchemaError(msg)
            pairs = list(zip(args, ack, strict=True))
        else:
            returned_class = _class(returned)
            if returned_class is not None and not _related(returned_class, tuple):
                msg = (
                    f"{what} is annotated to return `{shown}`, but the ack is declared "
                    f"{_types(ack)} (several values: a tuple)"
                )
                raise SioSchemaError(msg)
            return
    for annotation, declared in pairs:
        returned_class, declared_class = _class(annotation), _class(declared)
        if returned_class is None or declared_class is None:
            continue
        if _cannot_return(returned_class, declared_class):
            msg = f"{what} is annotated to return `{shown}`, but the ack is declared {_types(ack)}"
            raise SioSchemaError(msg)


def _types(types: tuple[Any, ...]) -> str:
    return ", ".join(f"`{declared_repr(t)}`" for t in types) or "none"
