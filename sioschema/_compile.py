"""Per-event codecs, built once when a registry class is created.

Every argument list (the arguments of a request, of an ack, of an emit) becomes one
:class:`ArgsCodec`. Its types are wrapped in one ``array_like`` msgspec Struct, so
msgspec builds and caches the validation plan for the whole list once; each message is
then checked in a single ``msgspec.convert`` call, never re-planned per call.

A declared type means the same on every path. A request usually arrives as JSON text
and is decoded by a typed ``msgspec.json.Decoder`` (the packet codec); a request the
codec leaves to screening, a binary event, a client's ack and the connect ``auth``
arrive already decoded and go through ``msgspec.convert``. The two differ in a few
places, and each is settled here: ``convert`` reads dict keys as JSON does
(``str_keys=True``); a type holding ``msgspec.Raw`` is read from JSON text on every
path, like one with ``Decimal`` dict keys; a rejection reports the error the JSON
decoder gives; a type that still cannot mean the same on both paths is refused when
the registry class is created.

This module knows types and msgspec only: no server, no document.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import keyword
import math
import re
import typing
import uuid
from collections.abc import Callable, Iterator
from types import UnionType
from typing import Annotated, Any, Final, Literal, Union

import msgspec
import msgspec.inspect as mi

from ._regex import Unportable, js_pattern
from ._wire import FRACTIONS, HUGE_EXPONENTS, LONG_INT, NUMBER_CHARS, is_finite, number_problem
from .errors import ErrorCode, PayloadError, RegistryError, _clip

__all__ = ["ArgsCodec", "declared_repr"]

_encode = msgspec.json.Encoder().encode
_decode_json = msgspec.json.Decoder().decode
_MALFORMED_RAW = "A `msgspec.Raw` value does not hold one JSON value"

_AT = " - at `"
_KEY = "key` in `"  # msgspec's path of a dict key: ``key` in `$.scores``
_INDEX = re.compile(r"^\$\[(\d+)\]")
_BYTE = re.compile(r"\(byte (\d+)\)$")
_NON_FINITE = (b"NaN", b"Infinity", b"-Infinity")


def _nodes(root: mi.Type) -> list[mi.Type]:
    """Every node of a msgspec type tree (recursive Structs visited once)."""
    seen: set[int] = set()
    found: list[mi.Type] = []
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, mi.Field):
            node = node.type
        if not isinstance(node, mi.Type) or id(node) in seen:
            continue
        seen.add(id(node))
        found.append(node)
        for name in node.__struct_fields__:
            value = getattr(node, name)
            if isinstance(value, tuple):
                stack.extend(value)
            else:
                stack.append(value)
    return found


_CONTAINERS = (mi.ListType, mi.SetType, mi.FrozenSetType, mi.VarTupleType)
_RECORDS = (mi.StructType, mi.DataclassType, mi.TypedDictType, mi.NamedTupleType)


def _depth(node: Any, active: set[int]) -> float:
    """How deep JSON arrays and objects can nest in a value of this type (``inf``:
    unbounded, for ``Any`` or a recursive type)."""
    if isinstance(node, mi.Metadata):
        return _depth(node.type, active)
    if isinstance(node, (mi.AnyType, mi.RawType)) or id(node) in active:
        return math.inf
    if isinstance(node, mi.UnionType):
        return max((_depth(t, active) for t in node.types), default=0)
    if isinstance(node, _CONTAINERS):
        return 1 + _depth(node.item_type, active)
    if isinstance(node, mi.TupleType):
        return 1 + max((_depth(t, active) for t in node.item_types), default=0)
    if isinstance(node, mi.DictType):
        return 1 + _depth(node.value_type, active)
    if isinstance(node, _RECORDS):
        if not getattr(node, "forbid_unknown_fields", isinstance(node, mi.NamedTupleType)):
            # fields (or trailing items) the type does not declare are skipped, not
            # checked: they may nest as deep as the sender likes
            return math.inf
        active.add(id(node))
        deepest = max((_depth(f.type, active) for f in node.fields), default=0)
        active.discard(id(node))
        return 1 + deepest
    return 0


def _skips(node: mi.Type) -> bool:
    """Whether a value of this node may carry JSON the typed decoder skips unread: the
    fields a record does not declare (the trailing items of an ``array_like`` Struct)."""
    return isinstance(node, _RECORDS) and not getattr(
        node, "forbid_unknown_fields", isinstance(node, mi.NamedTupleType)
    )


def _bigint(node: mi.Type) -> bool:
    """``Annotated[int, msgspec.Meta(extra={"bigint": True})]``: ints beyond int64 pass."""
    return (
        isinstance(node, mi.Metadata)
        and isinstance(node.type, mi.IntType)
        and bool((node.extra or {}).get("bigint"))
    )


def _takes_number(node: mi.Type) -> bool:
    """Whether a JSON number literal can be a valid value of this node, so that an
    integer beyond int64 could reach it (the screening refuses those on every path)."""
    if isinstance(node, (mi.IntType, mi.FloatType, mi.DecimalType, mi.AnyType, mi.RawType)):
        return True
    if isinstance(node, mi.LiteralType):
        values: Any = node.values
    elif isinstance(node, mi.EnumType):
        values = [member.value for member in node.cls]
    else:
        return False
    return any(type(v) is int and not -(2**63) <= v < 2**63 for v in values)


def _within_int64(node: mi.IntType | mi.FloatType) -> bool:
    """Whether the declared bounds keep every valid value strictly inside
    ``(-2**63, 2**63)``, so no number out of the int64 range can be one."""
    low = (node.ge is not None and node.ge > -(2**63)) or (
        node.gt is not None and node.gt >= -(2**63)
    )
    high = (node.le is not None and node.le < 2**63) or (node.lt is not None and node.lt <= 2**63)
    return low and high


def _number_paths(node: mi.Type, path: str, active: set[int]) -> list[tuple[str, bool]] | None:
    """The dotted attribute paths (from ``path``) of every int or float a valid value
    of this node holds whose declared bounds do not keep it inside int64, each with
    whether it is a float; ``None`` when
    some number could sit where attributes do not reach (an item of a list, a dict
    value, a union member, a field the type skips, ``Any``, ``Raw``, ``Decimal``...).
    """
    if isinstance(node, mi.Metadata):
        return _number_paths(node.type, path, active)
    if isinstance(node, (mi.IntType, mi.FloatType)):
        return [] if _within_int64(node) else [(path, isinstance(node, mi.FloatType))]
    if isinstance(node, mi.StructType):
        if not node.forbid_unknown_fields or id(node) in active:
            return None
        active.add(id(node))
        paths: list[tuple[str, bool]] = []
        for field in node.fields:
            found = _number_paths(field.type, f"{path}.{field.name}", active)
            if found is None:
                return None
            paths += found
        active.discard(id(node))
        return paths
    # anything else is fine when none of its values can hold a number
    if any(_takes_number(n) or _skips(n) for n in _nodes(node)):
        return None
    return []


def _python_names(paths: list[tuple[str, bool]]) -> bool:
    """Whether every part of these dotted paths can be written as a Python attribute."""
    return all(
        part.isidentifier() and not keyword.iskeyword(part)
        for path, _ in paths
        for part in path.split(".")
    )


def _key_types(node: mi.Type) -> Iterator[mi.Type]:
    """The alternatives a dict key type accepts (through unions and constraints)."""
    if isinstance(node, mi.Metadata):
        yield from _key_types(node.type)
    elif isinstance(node, mi.UnionType):
        for alternative in node.types:
            yield from _key_types(alternative)
    else:
        yield node


def _needs_text(node: mi.Type) -> bool:
    """Whether ``convert`` cannot read this node as the JSON decoder does: it cannot
    produce ``msgspec.Raw``, and it parses ``Decimal`` dict keys more loosely (``"01"``,
    ``" 1"``, ``"+1"``) than JSON's number grammar allows."""
    if isinstance(node, mi.RawType):
        return True
    return isinstance(node, mi.DictType) and any(
        isinstance(key, mi.DecimalType) for key in _key_types(node.key_type)
    )


def _lax_key_problem(nodes: list[mi.Type]) -> str | None:
    """A dict key type that ``convert(strict=False)`` coerces from a string and the JSON
    decoder does not (``"true"`` to ``True``, ``"null"`` to ``None``)."""
    for node in nodes:
        if isinstance(node, mi.DictType):
            for key in _key_types(node.key_type):
                if isinstance(key, mi.BoolType):
                    return "bool"
                if isinstance(key, mi.NoneType):
                    return "None"
    return None


def _raw_as_builtins(obj: Any) -> Any:
    """``enc_hook`` for ``to_builtins``: a ``msgspec.Raw`` is the JSON value it holds
    (what a JSON encoder writes); any other object raises msgspec's own TypeError."""
    if isinstance(obj, msgspec.Raw):
        try:
            return _decode_json(obj)
        except msgspec.ValidationError:  # untyped JSON refuses only a number: 1e400
            raise _BadNumber(_OUT_OF_RANGE) from None
        except msgspec.DecodeError as exc:
            if _non_finite_literal(obj, exc):
                raise _BadNumber(_NOT_JSON) from None
            raise TypeError(_MALFORMED_RAW) from None
    return msgspec.to_builtins(obj)


class _BadNumber(TypeError):
    """A ``msgspec.Raw`` holds a number no JSON receiver accepts (``NaN``, ``1e400``)."""


_NOT_JSON = "NaN and Infinity are not JSON"
_OUT_OF_RANGE = "Number out of range"


def _non_finite_literal(text: bytes | msgspec.Raw, exc: msgspec.DecodeError) -> bool:
    """Whether msgspec refused ``text`` at a ``NaN`` / ``Infinity`` literal."""
    found = _BYTE.search(str(exc))
    return found is not None and bytes(text)[int(found.group(1)) :].startswith(_NON_FINITE)


def _builtins(value: Any) -> Any:
    """``msgspec.to_builtins``, with ``msgspec.Raw`` read as its JSON: a value the JSON
    encoder can write is one the builtins path takes. Values without ``Raw`` take
    msgspec's path unchanged; the hook only runs once that has refused an object."""
    try:
        return msgspec.to_builtins(value)
    except TypeError:
        return msgspec.to_builtins(value, enc_hook=_raw_as_builtins)


def _has_bytes(value: Any) -> bool:
    """Whether a decoded value holds binary data (an attachment of a binary packet)."""
    stack = [value]
    pop, extend = stack.pop, stack.extend
    while stack:
        item = pop()
        if isinstance(item, (bytes, bytearray, memoryview)):
            return True
        if isinstance(item, dict):
            extend(item.values())
        elif isinstance(item, (list, tuple)):
            extend(item)
    return False


_PYDANTIC_ATTRS = ("__pydantic_validator__", "__pydantic_fields__", "__pydantic_model__")
# packages whose ``Annotated`` metadata reads like a constraint msgspec would enforce
_FOREIGN_CONSTRAINTS = ("pydantic", "annotated_types")
_INSTEAD = (
    "declare it as a msgspec.Struct (or a stdlib dataclass) with msgspec constraints, "
    "e.g. `Annotated[int, msgspec.Meta(le=2)]`"
)


def _pydantic_kind(cls: Any) -> str | None:
    """``"pydantic dataclass"``, ``"pydantic model"`` or ``None``, told from the class
    itself: pydantic is never imported (it is no dependency of sioschema)."""
    if not isinstance(cls, type):
        return None
    if dataclasses.is_dataclass(cls) and any(hasattr(cls, a) for a in _PYDANTIC_ATTRS):
        # v2 (``__pydantic_validator__``) or v1 (``__pydantic_model__``)
        return "pydantic dataclass"
    for base in cls.__mro__:
        # pydantic.main.BaseModel (v2, and 1.x) and pydantic.v1.main.BaseModel
        if base.__name__ == "BaseModel" and base.__module__.partition(".")[0] == "pydantic":
            return "pydantic model"
    return None


def _pydantic_problem(types: tuple[Any, ...], wrapper: mi.Type | None, label: str) -> str | None:
    """The refusal of a pydantic class anywhere in ``types``: msgspec reads a pydantic
    dataclass as a plain one, dropping its constraints and validators, and cannot read
    a pydantic model at all. ``wrapper`` is msgspec's view of the argument list, or
    ``None`` when msgspec could not read it (then the types are walked as written)."""
    for i, tp in enumerate(types):
        if isinstance(wrapper, mi.StructType):
            found = [getattr(node, "cls", None) for node in _nodes(wrapper.fields[i].type)]
        else:
            found = list(_reachable((tp,)))
        for cls in found:
            kind = _pydantic_kind(cls)
            if kind is None:
                continue
            assert isinstance(cls, type)
            where = "" if cls is tp else f" (in `{declared_repr(tp)}`)"
            if kind == "pydantic dataclass":
                return (
                    f"{label}: `{cls.__qualname__}`{where} is a pydantic dataclass, which "
                    "msgspec would read as a plain dataclass without its pydantic constraints "
                    f"and validators; {_INSTEAD}"
                )
            return (
                f"{label}: `{cls.__qualname__}`{where} is a pydantic model, which msgspec "
                f"cannot validate; {_INSTEAD} (docs/migration.md, from sio-asyncapi)"
            )
        for annotated in _reachable((tp,)):
            if typing.get_origin(annotated) is not Annotated:
                continue
            for meta in annotated.__metadata__:
                package = type(meta).__module__.partition(".")[0]
                if package in _FOREIGN_CONSTRAINTS:
                    return (
                        f"{label}: `{type(meta).__qualname__}` from {package} in "
                        f"`{declared_repr(tp)}` is a constraint msgspec does not check; "
                        "use msgspec constraints, e.g. `Annotated[int, msgspec.Meta(le=2)]`"
                    )
    return None


def _outgoing_needles(
    wrapper: mi.StructType, nodes: list[mi.Type], big_ints: bool
) -> tuple[bytes, ...]:
    """What :meth:`ArgsCodec.encode` searches ``number_text`` of the JSON it sends for
    before it looks closer: :data:`LONG_INT` when a number out of int64 could be sent
    (not when the type declares ``bigint``, nor when its bounds keep every number of a
    validated value inside int64), :data:`HUGE_EXPONENTS` where ``msgspec.Raw`` text
    leaves unread (``1e400``). Fields a record skips never leave: the validated form
    is what is sent."""
    raws = any(isinstance(n, mi.RawType) for n in nodes)
    ints = False
    if not big_ints:
        for field in wrapper.fields:
            found = _number_paths(field.type, field.name, set())
            if found is None or found:
                # a number out of int64 can hide somewhere, or sits in an unbounded field
                ints = any(_takes_number(n) for n in _nodes(field.type))
                if ints:
                    break
    return ((LONG_INT,) if ints else ()) + (HUGE_EXPONENTS if raws else ())


def _pattern_problem(node: mi.Type) -> tuple[str, Unportable] | None:
    """The first ``Meta(pattern=...)`` under ``node`` that JavaScript, which reads the
    documents' patterns, cannot read as Python's ``re`` does, with why."""
    for found in _nodes(node):
        if isinstance(found, mi.StrType) and found.pattern is not None:
            try:
                js_pattern(found.pattern)
            except Unportable as exc:
                return found.pattern, exc
    return None


# --- the tag of a tagged Struct outside a union -------------------------------
#
# msgspec requires the tag of a tagged Struct only where it tells the members of a
# union apart: a lone ``tag=True`` Struct decodes (and converts) without it, while its
# JSON Schema, hence every document, requires it, and every encoder writes it. Each
# argument list holding such a Struct gets a *tag check*: the same value read again
# as a shadow type that keeps only the way to each such Struct and requires its tag
# field (``Literal[<tag>]``). It runs after the declared type accepted the value, so
# a missing tag is all it can find, in msgspec's words and at msgspec's path
# (``Object missing required field `type` - at `$.shape```). The shadow classes are
# msgspec's own types, built from ``msgspec.inspect``; the declared types, what
# handlers get and what the documents describe are not touched.

_LEAVES: dict[type, Any] = {
    mi.NoneType: None,
    mi.BoolType: bool,
    mi.IntType: int,
    mi.FloatType: float,
    mi.StrType: str,
    mi.BytesType: bytes,
    mi.ByteArrayType: bytearray,
    mi.MemoryViewType: memoryview,
    mi.DateTimeType: datetime.datetime,
    mi.DateType: datetime.date,
    mi.TimeType: datetime.time,
    mi.TimeDeltaType: datetime.timedelta,
    mi.UUIDType: uuid.UUID,
    mi.DecimalType: decimal.Decimal,
    mi.ExtType: msgspec.msgpack.Ext,
    mi.RawType: msgspec.Raw,
}
_OBJECTS = (mi.DictType, mi.DataclassType, mi.TypedDictType)


def _bare(node: Any) -> Any:
    """A node without its constraints (``Annotated[..., msgspec.Meta(...)]``)."""
    while isinstance(node, mi.Metadata):
        node = node.type
    return node


def _grouped(union: mi.UnionType) -> bool:
    """Whether msgspec tells the Structs of this union apart by their tags."""
    return sum(isinstance(_bare(t), mi.StructType) for t in union.types) > 1


def _lone_tag(node: Any, grouped: bool) -> bool:
    """A tagged Struct read as a JSON object whose tag msgspec does not require here."""
    return (
        isinstance(node, mi.StructType)
        and node.tag is not None
        and not node.array_like
        and not grouped
    )


def _children(node: Any) -> Iterator[tuple[Any, bool]]:
    """The nodes inside ``node`` (constraints removed), each with whether it is a
    member of a union whose Structs are told apart by their tags."""
    node = _bare(node)
    if isinstance(node, mi.UnionType):
        grouped = _grouped(node)
        for member in node.types:
            yield _bare(member), grouped
    elif isinstance(node, _CONTAINERS):
        yield _bare(node.item_type), False
    elif isinstance(node, mi.TupleType):
        for item in node.item_types:
            yield _bare(item), False
    elif isinstance(node, mi.DictType):
        yield _bare(node.value_type), False
    elif isinstance(node, _RECORDS):
        for field in node.fields:
            yield _bare(field.type), False


def _loses_tag(node: Any, grouped: bool = False) -> bool:
    """Whether a lone tagged Struct can appear in a value of ``node``."""
    seen: set[tuple[int, bool]] = set()
    stack = [(_bare(node), grouped)]
    while stack:
        found, in_union = stack.pop()
        if (id(found), in_union) in seen:
            continue
        seen.add((id(found), in_union))
        if _lone_tag(found, in_union):
            return True
        stack.extend(_children(found))
    return False


class _TagShadow:
    """Builds the shadow types of one argument list. ``filler``: the type of an item
    whose position must be kept but whose value needs no check (``msgspec.Raw`` when
    read from JSON text, skipped unread; ``Any`` for ``convert``)."""

    def __init__(self, filler: Any) -> None:
        self.filler = filler
        self.built: dict[tuple[int, bool], Any] = {}

    def of(self, node: Any, grouped: bool = False) -> Any:
        """The shadow of a node that :func:`_loses_tag` (or of a Struct in a tagged
        union, which keeps its tag so that the union still tells its members apart)."""
        node = _bare(node)
        if isinstance(node, mi.UnionType):
            grouped = _grouped(node)
            members = tuple(
                self.of(m, grouped)
                if _loses_tag(m, grouped) or (grouped and isinstance(_bare(m), mi.StructType))
                else self.loose(m)
                for m in node.types
            )
            return Union[members]  # noqa: UP007 (a runtime union of types)
        if isinstance(node, _CONTAINERS):
            return list[self.of(node.item_type)]  # type: ignore[misc]
        if isinstance(node, mi.DictType):
            return dict[Any, self.of(node.value_type)]  # type: ignore[misc]
        if isinstance(node, mi.TupleType):
            items = tuple(self.slot(t) for t in node.item_types)
            return tuple[items]  # type: ignore[valid-type]
        return self.record(node, grouped)

    def slot(self, node: Any) -> Any:
        """The shadow of an item at a position: checked, or kept as a filler."""
        return self.of(node) if _loses_tag(node) else self.filler

    def loose(self, node: Any) -> Any:
        """A union member holding no lone tagged Struct: a type of the same JSON kind
        (the union picks the same member as the declared one did)."""
        node = _bare(node)
        if type(node) in _LEAVES:
            return _LEAVES[type(node)]
        if isinstance(node, (mi.EnumType, mi.CustomType)):
            return node.cls
        if isinstance(node, mi.LiteralType):
            return Literal[tuple(node.values)]
        if isinstance(node, _OBJECTS) or (isinstance(node, mi.StructType) and not node.array_like):
            return dict[Any, Any]
        if isinstance(node, (*_CONTAINERS, mi.TupleType, mi.NamedTupleType, mi.StructType)):
            return list[Any]
        return Any

    def record(self, node: Any, grouped: bool) -> Any:
        """A Struct, dataclass, attrs class, TypedDict or NamedTuple, as a shadow Struct
        holding only the fields that lead to a lone tagged Struct (and, for a lone tagged
        Struct itself, its tag as a required field)."""
        key = (id(node), grouped)
        if key in self.built:
            return self.built[key]
        lone = _lone_tag(node, grouped)
        positional = isinstance(node, mi.NamedTupleType) or (
            isinstance(node, mi.StructType) and node.array_like
        )
        tagged = isinstance(node, mi.StructType) and node.tag is not None and not lone
        needed = [_loses_tag(f.type) for f in node.fields]
        if positional:
            last = max((i for i, n in enumerate(needed) if n), default=-1)
            kept = list(range(last + 1))
        else:
            kept = [i for i, n in enumerate(needed) if n]
        fields: list[Any] = [(f"f{i}", f"_tf{i}", None) for i in kept]
        rename = {f"f{i}": node.fields[i].encode_name for i in kept}
        if lone:
            fields.insert(0, ("t", Literal[node.tag]))
            rename["t"] = node.tag_field
        options: dict[str, Any] = {"array_like": positional, "rename": rename, "gc": False}
        if tagged:
            options.update(tag=node.tag, tag_field=node.tag_field)
        name = f"{getattr(node, 'cls', object).__name__}Tags"
        shadow = msgspec.defstruct(name, fields, **options)
        self.built[key] = shadow
        for i in kept:
            tp = node.fields[i].type
            setattr(shadow, f"_tf{i}", self.of(tp) if needed[i] else self.filler)
        return shadow


def _tag_check(wrapper: mi.StructType, strict: bool, *, json: bool, tag: str | None = None) -> Any:
    """The shadow of a whole argument list (an ``array_like`` Struct, tagged with the
    event name for a whole packet), or ``None`` when no lone tagged Struct can appear."""
    if not any(_loses_tag(f.type) for f in wrapper.fields):
        return None
    shadows = _TagShadow(msgspec.Raw if json else Any)
    fields = [(f"a{i}", shadows.slot(f.type)) for i, f in enumerate(wrapper.fields)]
    options: dict[str, Any] = {"array_like": True, "gc": False}
    if tag is not None:
        options["tag"] = tag
    shadow = msgspec.defstruct("ArgumentTags", fields, **options)
    if json:
        return msgspec.json.Decoder(shadow, strict=strict).decode
    mi.type_info(shadow)  # resolved now, at class creation, not on the first message
    return shadow


def _plural(n: int) -> str:
    if n == 0:
        return "no arguments"
    return "1 argument" if n == 1 else f"{n} arguments"


class ArgsCodec:
    """Validates one argument list in both directions.

    ``decode`` checks what a client sent (a tuple of JSON values) and returns typed
    objects; ``encode`` checks what the server is about to send and returns the JSON
    values python-socketio transmits (``None`` for no argument, the value for one, a
    tuple for several).
    """

    __slots__ = (
        "_classes",
        "_code",
        "_decoder",
        "_floats",
        "_huge",
        "_long",
        "_needles",
        "_one",
        "_out",
        "_raw",
        "_struct",
        "_tags",
        "_tags_text",
        "_text",
        "arity",
        "big_ints",
        "depth",
        "has_ints",
        "kind",
        "number_checks",
        "number_paths",
        "packet_decoder",
        "packet_type",
        "strict",
        "tag_check",
        "types",
    )

    types: tuple[Any, ...]
    arity: int
    kind: str
    strict: bool

    def __init__(
        self,
        types: tuple[Any, ...],
        *,
        strict: bool,
        kind: str,
        label: str,
        code: ErrorCode | None = None,
        tag: str | None = None,
    ) -> None:
        """``code``, when given, replaces the code of every ``decode`` failure (a client's
        ack to a server emit is ``invalid_ack`` whatever is wrong with it). ``tag``, the
        event name of a request, adds :attr:`packet_decoder`."""
        self.types = types
        self._code = code
        self.arity = len(types)
        self.kind = kind
        self.strict = strict
        # Exact classes let ``encode`` skip normalising instances of the declared type.
        self._classes = tuple(t if isinstance(t, type) else None for t in types)
        fields = [(f"a{i}", t) for i, t in enumerate(types)]
        # gc=False: a wrapper lives for one message and never takes part in a cycle
        self._struct: Final = msgspec.defstruct(label, fields, array_like=True, gc=False)
        refused: str | None = None
        try:
            # Builds (and caches) msgspec's plan for the types. Unresolvable forward
            # references, and types msgspec can neither convert nor describe (a custom
            # class is only "supported" with hooks, a Literal or IntEnum value beyond int64),
            # fail here, at class creation.
            wrapper = mi.type_info(self._struct)
            # a pydantic class is refused before msgspec reads it (a pydantic dataclass
            # whose defaults are ``Field(...)`` fails obscurely in the schema)
            refused = _pydantic_problem(types, wrapper, label)
            if refused is None:
                msgspec.json.Decoder(self._struct)
                msgspec.json.schema(self._struct)
        except (TypeError, NameError, AttributeError, NotImplementedError) as exc:
            refused = _pydantic_problem(types, None, label)
            if refused is None:
                reason = str(exc).strip().splitlines()[-1]
                msg = f"{label}: unsupported type: {reason}"
                raise RegistryError(msg) from exc
        if refused is not None:
            raise RegistryError(refused)
        assert isinstance(wrapper, mi.StructType)
        nodes = _nodes(wrapper)
        for tp, field in zip(types, wrapper.fields, strict=True):
            problem = _pattern_problem(field.type)
            if problem is not None:
                pattern, unportable = problem
                msg = (
                    f"{label}: the pattern {pattern!r} in `{declared_repr(tp)}` means one thing "
                    f"on the server (Python `re`) and another in the documents (JavaScript): "
                    f"{unportable}"
                )
                raise RegistryError(msg)
        # an int marked ``extra={"bigint": True}`` lets integers beyond int64 in
        self.big_ints = any(_bigint(n) for n in nodes)
        # what the packet codec must still check on a message that decoded and validated
        self.depth = max((_depth(f.type, set()) for f in wrapper.fields), default=0)
        """How deep arrays and objects can nest in valid arguments (``inf``: unbounded)."""
        skips = any(_skips(n) for n in nodes if n is not wrapper)  # (the wrapper is ours)
        self.has_ints = not self.big_ints and (skips or any(_takes_number(n) for n in nodes))
        """Whether valid arguments can hold a JSON number literal, so an integer beyond
        int64 (refused by the screening) could pass a typed decoder."""
        unread = skips or any(isinstance(n, mi.RawType) for n in nodes)
        keys = {id(k) for n in nodes if isinstance(n, mi.DictType) for k in _key_types(n.key_type)}
        decimals = any(isinstance(n, mi.DecimalType) and id(n) not in keys for n in nodes)
        self.number_checks: tuple[bytes, ...] = ((LONG_INT,) if self.has_ints else ()) + (
            FRACTIONS if decimals else HUGE_EXPONENTS if unread else ()
        )
        """What the packet codec looks for in ``number_text`` of arguments its typed
        decoder accepted, to leave them to the screening, which decodes without a type
        first and then converts: an integer beyond int64 (refused there unless the type
        declares ``bigint``); a number beyond the float range in text the decoder skips
        unread or keeps raw (refused there, ``1e400``); and for ``Decimal`` any number
        with a fraction or exponent, which the screening reads as the float it denotes
        (``1.10`` -> ``Decimal('1.1')``) where a typed decoder keeps its digits."""
        self.number_paths: tuple[tuple[str, bool], ...] | None = None
        """When attributes reach every number an integer beyond int64 could hide in,
        and nothing else needs the text: the attribute path of each, from a decoded
        packet (fields ``a0``, ``a1``...), and whether it is a float. The packet codec
        checks those values instead of searching the text (``number_checks`` is then
        empty); ``()`` when no number can be out of range."""
        if self.number_checks == (LONG_INT,):
            paths: list[tuple[str, bool]] | None = []
            for field in wrapper.fields:
                found = _number_paths(field.type, field.name, set())
                if found is None or paths is None:
                    paths = None
                    break
                paths += found
            if paths is not None and _python_names(paths):
                self.number_checks = ()
                self.number_paths = tuple(paths)
        # only values that may hold a float (or a null, msgspec's JSON for NaN and
        # Infinity) are checked for NaN / Infinity when sent; a refused one always is
        self._floats = any(isinstance(n, (mi.FloatType, mi.AnyType, mi.NoneType)) for n in nodes)
        self._needles = _outgoing_needles(wrapper, nodes, self.big_ints)
        """What ``encode`` looks for in ``number_text`` of the JSON it sends, to look
        closer (the receiver's screening refuses it with ``invalid_number``): a run of 19
        digits unless the type declares ``bigint`` or its bounds keep every number inside
        int64; a huge exponent where ``msgspec.Raw`` text goes out unread."""
        self._long = LONG_INT in self._needles
        self._huge = HUGE_EXPONENTS[0] in self._needles  # text from msgspec.Raw
        if self.big_ints and kind in ("ack", "auth"):
            msg = (
                f"{label}: `Meta(extra={{'bigint': True}})` is only honoured in requests and "
                "emits; the screening of every ACK and CONNECT packet refuses integers beyond "
                "int64 (`invalid_number`), so this type could never be received; send such "
                "integers as strings (`str`) or in a request or emit"
            )
            raise RegistryError(msg)
        self.packet_decoder: msgspec.json.Decoder[Any] | None = None
        """Decodes a whole event array, ``["<tag>", *args]``, in one pass (requests)."""
        self.packet_type: type[msgspec.Struct] | None = None
        """What :attr:`packet_decoder` decodes to: an ``array_like`` Struct tagged with the
        event name, its fields ``a0``, ``a1``... the arguments."""
        if tag is not None:
            packet = msgspec.defstruct(
                f"{label} packet",
                fields,
                array_like=True,
                tag=tag,
                forbid_unknown_fields=True,
                gc=False,
            )
            self.packet_decoder = msgspec.json.Decoder(packet, strict=strict)
            self.packet_type = packet
        # a tagged Struct outside a union: its tag is checked after the declared type
        self._tags: Any = _tag_check(wrapper, strict, json=False)
        self._tags_text: Callable[[str | bytes], Any] | None = None
        self.tag_check: Callable[[str], Any] | None = None
        """Reads a whole event array whose :attr:`packet_decoder` accepted it, and raises
        ``msgspec.ValidationError`` when a tagged Struct outside a union (whose tag
        msgspec does not require) lacks its tag; ``None`` when no such Struct can
        appear in the arguments."""
        if self._tags is not None:
            self._tags_text = _tag_check(wrapper, strict, json=True)
            if tag is not None:
                self.tag_check = _tag_check(wrapper, strict, json=True, tag=tag)
        self._decoder = msgspec.json.Decoder(self._struct)  # what is sent is strict
        self._text = self._decoder if strict else msgspec.json.Decoder(self._struct, strict=False)
        """The argument list read from JSON text: the meaning every path must share."""
        # Lists ``convert`` cannot read as JSON does are read from (re-encoded) JSON text.
        self._raw = any(_needs_text(n) for n in nodes)
        # a validated value holds msgspec.Raw only where the type declares it
        self._out: Callable[[Any], Any] = _builtins if self._raw else msgspec.to_builtins
        if not strict:
            for tp in types:
                key = _lax_key_problem(_nodes(mi.type_info(tp)))
                if key is not None:
                    msg = (
                        f"{label}: `{declared_repr(tp)}` has dict keys of type `{key}`, which "
                        "a registry with strict=False would read differently from JSON text "
                        "and from decoded values (binary events, acks, auth); "
                        "use `str` keys or a strict registry"
                    )
                    raise RegistryError(msg)
        self._one = msgspec.json.Decoder(types[0] if self.arity == 1 else self._struct)
        for annotated, example in _meta_examples(types):
            try:
                msgspec.json.decode(msgspec.json.encode(example), type=annotated)
            except (msgspec.ValidationError, TypeError) as exc:
                msg = f"{label}: example {example!r} of `{_type_repr(annotated)}` is invalid: {exc}"
                raise RegistryError(msg) from None

    def check_example(self, example: Any, label: str) -> Any:
        """Check one example of the whole argument list; return its JSON form.

        One argument: the example is its value; several: a tuple or list of values;
        none: ``None``. The check goes through JSON, as a real message would.
        """
        if self.arity == 1:
            values: Any = (example,)
        elif self.arity == 0:
            values = () if example is None else (example,)
        else:
            values = example
        try:
            data = _builtins(values)
            if isinstance(data, tuple):
                data = list(data)
            if not isinstance(data, list) or len(data) != self.arity:
                got = len(data) if isinstance(data, list) else 1
                msg = f"Expected {_plural(self.arity)}, got {got}"
                raise msgspec.ValidationError(msg)
            msgspec.json.decode(msgspec.json.encode(data), type=self._struct)
        except msgspec.ValidationError as exc:
            detail = self._validation_error(exc, "", "").detail
            msg = f"{label}: example {example!r} is invalid: {detail}"
            raise RegistryError(msg) from None
        except TypeError as exc:  # not serialisable
            msg = f"{label}: example {example!r} is invalid: {exc}"
            raise RegistryError(msg) from None
        return data[0] if self.arity == 1 else (data or None)

    def _error(
        self, code: ErrorCode, detail: str, event: str, namespace: str, path: str | None
    ) -> PayloadError:
        return PayloadError(code, event, detail, path=path, namespace=namespace, kind=self.kind)

    def _validation_error(
        self,
        exc: msgspec.ValidationError,
        event: str,
        namespace: str,
        code: ErrorCode = "invalid_payload",
    ) -> PayloadError:
        # msgspec reports ``<what> - at `<path>```; its paths index our wrapper array.
        # A single argument is reported from ``$`` as if it were the whole payload.
        # A dict key is reported as ``key` in `<path>```: the path of its object, a
        # valid JSON path, is kept, and the message says it is a key.
        # The client's own text (an unknown field name, a key, a tag or enum value) sits
        # in ``<what>``: it is cut at MAX_ECHOED_TEXT, and so is the path, so neither
        # repeats more than that of what the client sent. The path is the last part
        # (``rpartition``: the client's text may hold `` - at ``` itself).
        text = str(exc)
        head, sep, tail = text.rpartition(_AT)
        if not sep:
            head = text
        head = _clip(head)
        path = _clip(tail[:-1]) if sep else "$"
        key = path.startswith(_KEY)
        if key:
            path = path[len(_KEY) :]
        if self.arity == 1:
            path = _INDEX.sub("$", path, count=1)
        if key:
            detail = f"{head} - at a key in `{path}`"
        else:
            detail = f"{head}{_AT}{path}`" if path != "$" else head
        return self._error(code, detail, event, namespace, path)

    def _text_error(self, args: Any, text: str | bytes | None) -> msgspec.ValidationError | None:
        """The error the JSON decoder gives for a rejected argument list (``convert``
        words a few failures differently, e.g. a tuple of the wrong length); ``None``
        for binary data, which has no JSON text. ``text``: the list's own JSON text,
        when it was decoded from some (it then holds no binary data, and is neither
        searched for any nor encoded again)."""
        if text is None:
            if _has_bytes(args):
                return None
            text = _encode(args)
        try:
            self._text.decode(text)
        except msgspec.ValidationError as exc:
            return exc
        except TypeError:  # not JSON at all
            return None
        return None

    def decode(
        self,
        args: tuple[Any, ...] | list[Any],
        event: str,
        namespace: str,
        *,
        text: str | bytes | None = None,
    ) -> tuple[Any, ...]:
        """Validate received arguments and return them as typed objects.

        ``text``: the JSON array the arguments were decoded from (a text frame's), if
        at hand; a rejection is then worded from it, without walking the arguments for
        binary data or encoding them again. Raises :class:`~sioschema.PayloadError`
        (``bad_arity``, ``invalid_payload``, or the codec's own ``code``)."""
        if len(args) != self.arity:
            detail = f"Expected {_plural(self.arity)}, got {len(args)}"
            error = self._error(self._code or "bad_arity", detail, event, namespace, "$")
            raise error
        if not self.arity:
            return ()
        try:
            if self._raw:
                # Raw, Decimal keys: read from JSON text; binary data in such a list is
                # read as its JSON form (base64 text)
                text = _encode(args) if text is None else text
                obj = self._text.decode(text)
            else:
                # str_keys: dict keys are read from strings, as the JSON decoder does
                obj = msgspec.convert(args, self._struct, strict=self.strict, str_keys=True)
        except msgspec.ValidationError as exc:
            code = self._code or "invalid_payload"
            worded = exc if self._raw else self._text_error(args, text) or exc
            raise self._validation_error(worded, event, namespace, code) from None
        if self._tags is not None:
            self._check_tags(args, text, event, namespace)
        return msgspec.structs.astuple(obj)

    def _check_tags(
        self,
        args: tuple[Any, ...] | list[Any],
        text: str | bytes | None,
        event: str,
        namespace: str,
    ) -> None:
        """Raise when a tagged Struct outside a union lacks its tag (msgspec requires a
        tag only between the members of a union; the documents always require it)."""
        try:
            if self._raw:
                assert self._tags_text is not None and text is not None
                self._tags_text(text)
            else:
                msgspec.convert(args, self._tags, strict=self.strict, str_keys=True)
        except msgspec.ValidationError as exc:
            code = self._code or "invalid_payload"
            raise self._validation_error(exc, event, namespace, code) from None

    def encode(self, value: Any, event: str, namespace: str, *, raw: bool = False) -> Any:
        """Validate a value about to be sent and return its JSON form.

        ``raw=True`` returns each argument as ``msgspec.Raw`` JSON, for a packet class
        that writes with msgspec: the value is encoded once and that encoding is what
        gets validated (a typed decode, no Python walk) and sent.
        """
        arity = self.arity
        if raw and arity == 1:
            return self._encode_one(value, event, namespace)
        if arity == 0:
            if value is not None:
                detail = f"Expected no value, got `{type(value).__name__}`"
                error = self._error("invalid_payload", detail, event, namespace, "$")
                raise error
            return None
        if arity == 1:
            values: tuple[Any, ...] = (value,)
        elif isinstance(value, tuple) and len(value) == arity:
            values = value
        else:
            got = len(value) if isinstance(value, tuple) else 1
            detail = f"Expected a tuple of {_plural(arity)}, got {got}"
            error = self._error("bad_arity", detail, event, namespace, "$")
            raise error
        exact = all(type(v) is c for v, c in zip(values, self._classes, strict=True))
        text = b""
        try:
            if raw:
                parts = [_encode(v) for v in values]
                text = b"[" + b",".join(parts) + b"]"
                obj = self._decoder.decode(text)
            else:
                try:
                    data = msgspec.to_builtins(values)
                except TypeError:  # msgspec.Raw, or an object nothing can write
                    data = msgspec.to_builtins(values, enc_hook=_raw_as_builtins)
                if self._raw:
                    # Raw, Decimal keys: validated from JSON text, as they are received
                    obj = self._decoder.decode(_encode(data))
                else:
                    obj = msgspec.convert(data, self._struct, str_keys=True)
        except msgspec.ValidationError as exc:
            # msgspec writes NaN and Infinity as null: say what the value is, not `null`
            if not raw or text.partition(b"null")[1]:
                self._check_finite(data if not raw else values, event, namespace)
            raise self._validation_error(exc, event, namespace) from None
        except msgspec.DecodeError:  # text a Raw holds broke the encoded JSON
            raise self._raw_error(text, event, namespace) from None
        except _BadNumber as exc:  # a Raw holding NaN or 1e400
            error = self._error("invalid_number", str(exc), event, namespace, "$")
            raise error from None
        except TypeError as exc:  # an object msgspec cannot serialise
            error = self._error("invalid_payload", str(exc), event, namespace, "$")
            raise error from None
        if raw:
            # msgspec writes NaN and Infinity as null: look closer only then
            if self._floats and text.partition(b"null")[1]:
                self._check_finite(values, event, namespace)
            if not exact:
                # the validated form: fields the type does not declare never leave
                parts = [_encode(v) for v in msgspec.structs.astuple(obj)]
                text = b"[" + b",".join(parts) + b"]"
            if self._long and text.translate(NUMBER_CHARS).partition(LONG_INT)[1] or self._huge:
                self._check_text(text, event, namespace)
            out: Any = tuple(msgspec.Raw(part) for part in parts)
        else:
            if self._floats and not is_finite(data):
                self._check_finite(data, event, namespace)
            # Dicts and other convertible values: send the validated form, so fields the
            # type does not declare never leave the process.
            out = data if exact else self._out(obj)
            if self._long or self._huge:
                self._check_text(_encode(out), event, namespace)
        return out[0] if arity == 1 else tuple(out)

    def _number_error(
        self, found: tuple[str, str], event: str, namespace: str, one: bool
    ) -> PayloadError:
        """``invalid_number`` at the path ``number_problem`` found; ``one``: it walked
        the single value of ``_encode_one``, not the argument list."""
        detail, path = found
        if self.arity == 1 and not one:
            path = _INDEX.sub("$", path, count=1)
        shown = f"{detail}{_AT}{path}`" if path != "$" else detail
        return self._error("invalid_number", shown, event, namespace, path)

    def _check_finite(self, value: Any, event: str, namespace: str, one: bool = False) -> None:
        """Raise ``invalid_number`` when ``value`` (all the arguments: a tuple, or the
        one value of ``_encode_one``) holds a NaN or an infinity; ``msgspec.Raw`` is read
        as its JSON."""
        try:
            data = _builtins(value)
        except _BadNumber as exc:
            error = self._error("invalid_number", str(exc), event, namespace, "$")
            raise error from None
        except TypeError as exc:  # a Raw whose text only passed inside its container
            error = self._error("invalid_payload", str(exc), event, namespace, "$")
            raise error from None
        if is_finite(data):
            return
        found = number_problem(data, big_ints=True)
        if found is not None:
            raise self._number_error(found, event, namespace, one)

    def _check_text(self, text: bytes, event: str, namespace: str, one: bool = False) -> None:
        """Raise ``invalid_number`` when the JSON about to be sent holds a number the
        receiver's screening refuses. A byte-table translation and a search; the value is
        decoded and walked only when they find something that may be one."""
        numbers = text.translate(NUMBER_CHARS)
        if not any(numbers.partition(needle)[1] for needle in self._needles):
            return
        try:
            value = _decode_json(text)
        except msgspec.ValidationError:  # untyped JSON refuses only a number: 1e400
            error = self._error("invalid_number", _OUT_OF_RANGE, event, namespace, "$")
            raise error from None
        found = number_problem(value, big_ints=self.big_ints)
        if found is not None:
            raise self._number_error(found, event, namespace, one)

    def _raw_error(self, text: bytes, event: str, namespace: str) -> PayloadError:
        """The error for JSON text that does not decode: a ``msgspec.Raw`` holding a
        ``NaN`` or ``Infinity`` literal (``invalid_number``, as the screening words it),
        or one that does not hold one JSON value."""
        try:
            _decode_json(text)
        except msgspec.DecodeError as exc:
            if _non_finite_literal(text, exc):
                return self._error("invalid_number", _NOT_JSON, event, namespace, "$")
        except msgspec.ValidationError:
            return self._error("invalid_number", _OUT_OF_RANGE, event, namespace, "$")
        return self._error("invalid_payload", _MALFORMED_RAW, event, namespace, "$")

    def _encode_one(self, value: Any, event: str, namespace: str) -> msgspec.Raw:
        """``encode(raw=True)`` of a single value: the common case, kept short."""
        try:
            part = _encode(value)
            checked = self._one.decode(part)
        except msgspec.ValidationError as exc:
            # msgspec writes NaN and Infinity as null: say what the value is, not `null`
            if part.partition(b"null")[1]:
                self._check_finite(value, event, namespace, one=True)
            raise self._validation_error(exc, event, namespace) from None
        except msgspec.DecodeError:  # text a Raw holds broke the encoded JSON
            raise self._raw_error(part, event, namespace) from None
        except _BadNumber as exc:  # a Raw holding NaN or 1e400
            error = self._error("invalid_number", str(exc), event, namespace, "$")
            raise error from None
        except TypeError as exc:  # an object msgspec cannot serialise
            error = self._error("invalid_payload", str(exc), event, namespace, "$")
            raise error from None
        # msgspec writes NaN and Infinity as null: look closer only then
        if self._floats and part.partition(b"null")[1]:
            self._check_finite(value, event, namespace, one=True)
        if type(value) is not self._classes[0]:
            # the validated form: fields the type does not declare never leave
            part = _encode(checked)
        # (``partition``, not ``in``: ``in`` on bytes first tries an int and raises inside)
        if self._long and part.translate(NUMBER_CHARS).partition(LONG_INT)[1] or self._huge:
            self._check_text(part, event, namespace, one=True)
        return msgspec.Raw(part)


def _type_repr(tp: Any) -> str:
    if typing.get_origin(tp) is Annotated:
        tp = typing.get_args(tp)[0]
    return getattr(tp, "__name__", None) or repr(tp)


def declared_repr(tp: Any) -> str:
    """A declared type as written: ``dict[bool, int]``, ``Tally``."""
    if isinstance(tp, type) and typing.get_origin(tp) is None:
        return tp.__name__
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, UnionType) and args:
        return " | ".join("None" if a is type(None) else declared_repr(a) for a in args)
    if isinstance(origin, type) and args:
        shown = ", ".join("..." if a is Ellipsis else declared_repr(a) for a in args)
        return f"{origin.__name__}[{shown}]"
    return repr(tp).replace("typing.", "")


def _field_types(tp: Any) -> list[Any]:
    """The declared field types of a class msgspec converts field by field."""
    if isinstance(tp, type):
        if issubclass(tp, msgspec.Struct):
            try:
                return [f.type for f in msgspec.structs.fields(tp)]
            except Exception:  # unresolvable hints are reported by msgspec
                return []
        if (
            dataclasses.is_dataclass(tp)
            or hasattr(tp, "__attrs_attrs__")
            or (issubclass(tp, dict) and hasattr(tp, "__annotations__"))
        ):
            try:
                return list(typing.get_type_hints(tp, include_extras=True).values())
            except Exception:  # unresolvable hints were already reported by msgspec
                return []
    return []


def _reachable(types: tuple[Any, ...]) -> Iterator[Any]:
    """Every type reachable from ``types`` as written (``Annotated`` kept), through
    generic arguments and the fields of classes msgspec converts field by field."""
    seen: set[int] = set()
    stack = list(types)
    while stack:
        tp = stack.pop()
        if id(tp) in seen:
            continue
        seen.add(id(tp))
        yield tp
        args = typing.get_args(tp)
        if typing.get_origin(tp) is Annotated:
            stack.append(args[0])
            continue
        stack.extend(a for a in args if not isinstance(a, typing.TypeVar))
        origin = typing.get_origin(tp)
        stack.extend(_field_types(origin if isinstance(origin, type) else tp))


def _meta_examples(types: tuple[Any, ...]) -> Iterator[tuple[Any, Any]]:
    """Every ``msgspec.Meta(examples=...)`` reachable from ``types``, with its type."""
    for tp in _reachable(types):
        if typing.get_origin(tp) is Annotated:
            for meta in tp.__metadata__:
                if isinstance(meta, msgspec.Meta) and meta.examples:
                    for example in meta.examples:
                        yield tp, example
