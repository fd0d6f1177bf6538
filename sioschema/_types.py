"""What declared types admit, read once from ``msgspec.inspect`` when a registry class
is created: pure functions over msgspec's type trees, no codec.

How deep a valid value can nest, where a JSON number can sit and which can leave the
int64 range, which dict keys and ``msgspec.Raw`` values a decoded path reads differently
from JSON text, where a tagged Struct loses its tag, whether a pattern means the same in
JavaScript, whether a pydantic class or a foreign constraint hides in a type, the
``Meta(examples=...)`` a type carries, and how a declared type reads as written.
:mod:`sioschema._codec` turns these answers into codecs.

This module knows types and msgspec only: no server, no document, no codec.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import keyword
import math
import typing
import uuid
from collections.abc import Iterator
from types import UnionType
from typing import Annotated, Any, Literal, Union

import msgspec
import msgspec.inspect as mi

from ._regex import Unportable, js_pattern
from ._wire import HUGE_EXPONENTS, LONG_INT

__all__ = [
    "all_nodes",
    "bigint",
    "declared_repr",
    "depth",
    "key_types",
    "lax_key_problem",
    "loses_tag",
    "meta_examples",
    "needs_text",
    "number_paths",
    "outgoing_needles",
    "pattern_problem",
    "pydantic_problem",
    "python_names",
    "skips",
    "tag_shadow",
    "takes_number",
    "takes_object",
    "type_repr",
]


def all_nodes(root: mi.Type) -> list[mi.Type]:
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


def depth(node: Any, active: set[int]) -> float:
    """How deep JSON arrays and objects can nest in a value of this type (``inf``:
    unbounded, for ``Any`` or a recursive type)."""
    if isinstance(node, mi.Metadata):
        return depth(node.type, active)
    if isinstance(node, (mi.AnyType, mi.RawType)) or id(node) in active:
        return math.inf
    if isinstance(node, mi.UnionType):
        return max((depth(t, active) for t in node.types), default=0)
    if isinstance(node, _CONTAINERS):
        return 1 + depth(node.item_type, active)
    if isinstance(node, mi.TupleType):
        return 1 + max((depth(t, active) for t in node.item_types), default=0)
    if isinstance(node, mi.DictType):
        return 1 + depth(node.value_type, active)
    if isinstance(node, _RECORDS):
        if not getattr(node, "forbid_unknown_fields", isinstance(node, mi.NamedTupleType)):
            # fields (or trailing items) the type does not declare are skipped, not
            # checked: they may nest as deep as the sender likes
            return math.inf
        active.add(id(node))
        deepest = max((depth(f.type, active) for f in node.fields), default=0)
        active.discard(id(node))
        return 1 + deepest
    return 0


def skips(node: mi.Type) -> bool:
    """Whether a value of this node may carry JSON the typed decoder skips unread: the
    fields a record does not declare (the trailing items of an ``array_like`` Struct)."""
    return isinstance(node, _RECORDS) and not getattr(
        node, "forbid_unknown_fields", isinstance(node, mi.NamedTupleType)
    )


def bigint(node: mi.Type) -> bool:
    """``Annotated[int, msgspec.Meta(extra={"bigint": True})]``: ints beyond int64 pass."""
    return (
        isinstance(node, mi.Metadata)
        and isinstance(node.type, mi.IntType)
        and bool((node.extra or {}).get("bigint"))
    )


def takes_number(node: mi.Type) -> bool:
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


# the nodes whose valid values are never read from a JSON object
_NOT_OBJECTS = (
    mi.BoolType,
    mi.IntType,
    mi.FloatType,
    mi.DecimalType,
    mi.StrType,
    mi.NoneType,
    mi.BytesType,
    mi.ByteArrayType,
    mi.MemoryViewType,
    mi.DateTimeType,
    mi.DateType,
    mi.TimeType,
    mi.TimeDeltaType,
    mi.UUIDType,
    mi.EnumType,
    mi.LiteralType,
    mi.TupleType,
    mi.NamedTupleType,
    *_CONTAINERS,
)


def takes_object(node: Any) -> bool:
    """Whether a JSON object can be a valid value of this node (a Struct read as an
    object, a dict, a dataclass, ``Any``, ``msgspec.Raw``...): whether it could hold a
    key the protocol reserves. Any node not known to refuse objects is taken to."""
    node = _bare(node)
    if isinstance(node, mi.UnionType):
        return any(takes_object(member) for member in node.types)
    if isinstance(node, mi.StructType):
        return not node.array_like
    return not isinstance(node, _NOT_OBJECTS)


def _within_int64(node: mi.IntType | mi.FloatType) -> bool:
    """Whether the declared bounds keep every valid value strictly inside
    ``(-2**63, 2**63)``, so no number out of the int64 range can be one."""
    low = (node.ge is not None and node.ge > -(2**63)) or (
        node.gt is not None and node.gt >= -(2**63)
    )
    high = (node.le is not None and node.le < 2**63) or (node.lt is not None and node.lt <= 2**63)
    return low and high


def number_paths(node: mi.Type, path: str, active: set[int]) -> list[tuple[str, bool]] | None:
    """The dotted attribute paths (from ``path``) of every int or float a valid value
    of this node holds whose declared bounds do not keep it inside int64, each with
    whether it is a float; ``None`` when
    some number could sit where attributes do not reach (an item of a list, a dict
    value, a union member, a field the type skips, ``Any``, ``Raw``, ``Decimal``...).
    """
    if isinstance(node, mi.Metadata):
        return number_paths(node.type, path, active)
    if isinstance(node, (mi.IntType, mi.FloatType)):
        return [] if _within_int64(node) else [(path, isinstance(node, mi.FloatType))]
    if isinstance(node, mi.StructType):
        if not node.forbid_unknown_fields or id(node) in active:
            return None
        active.add(id(node))
        paths: list[tuple[str, bool]] = []
        for field in node.fields:
            found = number_paths(field.type, f"{path}.{field.name}", active)
            if found is None:
                return None
            paths += found
        active.discard(id(node))
        return paths
    # anything else is fine when none of its values can hold a number
    if any(takes_number(n) or skips(n) for n in all_nodes(node)):
        return None
    return []


def python_names(paths: list[tuple[str, bool]]) -> bool:
    """Whether every part of these dotted paths can be written as a Python attribute."""
    return all(
        part.isidentifier() and not keyword.iskeyword(part)
        for path, _ in paths
        for part in path.split(".")
    )


def key_types(node: mi.Type) -> Iterator[mi.Type]:
    """The alternatives a dict key type accepts (through unions and constraints)."""
    if isinstance(node, mi.Metadata):
        yield from key_types(node.type)
    elif isinstance(node, mi.UnionType):
        for alternative in node.types:
            yield from key_types(alternative)
    else:
        yield node


def needs_text(node: mi.Type) -> bool:
    """Whether ``convert`` cannot read this node as the JSON decoder does: it cannot
    produce ``msgspec.Raw``, and it parses ``Decimal`` dict keys more loosely (``"01"``,
    ``" 1"``, ``"+1"``) than JSON's number grammar allows."""
    if isinstance(node, mi.RawType):
        return True
    return isinstance(node, mi.DictType) and any(
        isinstance(key, mi.DecimalType) for key in key_types(node.key_type)
    )


def lax_key_problem(nodes: list[mi.Type]) -> str | None:
    """A dict key type that ``convert(strict=False)`` coerces from a string and the JSON
    decoder does not (``"true"`` to ``True``, ``"null"`` to ``None``)."""
    for node in nodes:
        if isinstance(node, mi.DictType):
            for key in key_types(node.key_type):
                if isinstance(key, mi.BoolType):
                    return "bool"
                if isinstance(key, mi.NoneType):
                    return "None"
    return None


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


def pydantic_problem(types: tuple[Any, ...], wrapper: mi.Type | None, label: str) -> str | None:
    """The refusal of a pydantic class anywhere in ``types``: msgspec reads a pydantic
    dataclass as a plain one, dropping its constraints and validators, and cannot read
    a pydantic model at all. ``wrapper`` is msgspec's view of the argument list, or
    ``None`` when msgspec could not read it (then the types are walked as written)."""
    for i, tp in enumerate(types):
        if isinstance(wrapper, mi.StructType):
            found = [getattr(node, "cls", None) for node in all_nodes(wrapper.fields[i].type)]
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


def outgoing_needles(
    wrapper: mi.StructType, nodes: list[mi.Type], big_ints: bool
) -> tuple[bytes, ...]:
    """What :meth:`~sioschema._codec.ArgsCodec.encode` searches ``number_text`` of
    the JSON it sends for before it looks closer: :data:`LONG_INT` when a number out of
    int64 could be sent (not when the type declares ``bigint``, nor when its bounds keep
    every number of a validated value inside int64), :data:`HUGE_EXPONENTS` where
    ``msgspec.Raw`` text leaves unread (``1e400``). Fields a record skips never leave:
    the validated form is what is sent."""
    raws = any(isinstance(n, mi.RawType) for n in nodes)
    ints = False
    if not big_ints:
        for field in wrapper.fields:
            found = number_paths(field.type, field.name, set())
            if found is None or found:
                # a number out of int64 can hide somewhere, or sits in an unbounded field
                ints = any(takes_number(n) for n in all_nodes(field.type))
                if ints:
                    break
    return ((LONG_INT,) if ints else ()) + (HUGE_EXPONENTS if raws else ())


def pattern_problem(node: mi.Type) -> tuple[str, Unportable] | None:
    """The first ``Meta(pattern=...)`` under ``node`` that JavaScript, which reads the
    documents' patterns, cannot read as Python's ``re`` does, with why."""
    for found in all_nodes(node):
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


def loses_tag(node: Any, grouped: bool = False) -> bool:
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
        """The shadow of a node that :func:`loses_tag` (or of a Struct in a tagged
        union, which keeps its tag so that the union still tells its members apart)."""
        node = _bare(node)
        if isinstance(node, mi.UnionType):
            grouped = _grouped(node)
            members = tuple(
                self.of(m, grouped)
                if loses_tag(m, grouped) or (grouped and isinstance(_bare(m), mi.StructType))
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
        return self.of(node) if loses_tag(node) else self.filler

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
        needed = [loses_tag(f.type) for f in node.fields]
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


def type_repr(tp: Any) -> str:
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


def meta_examples(types: tuple[Any, ...]) -> Iterator[tuple[Any, Any]]:
    """Every ``msgspec.Meta(examples=...)`` reachable from ``types``, with its type."""
    for tp in _reachable(types):
        if typing.get_origin(tp) is Annotated:
            for meta in tp.__metadata__:
                if isinstance(meta, msgspec.Meta) and meta.examples:
                    for example in meta.examples:
                        yield tp, example


def tag_shadow(wrapper: mi.StructType, filler: Any, tag: str | None = None) -> Any:
    """The shadow of a whole argument list (``wrapper``, msgspec's view of its
    ``array_like`` Struct): an ``array_like`` Struct (tagged with the event name ``tag``
    for a whole packet) that keeps only the way to each lone tagged Struct and requires
    its tag; ``filler`` stands for an item that needs no check (``msgspec.Raw`` when
    read from JSON text, ``Any`` for ``convert``). ``None`` when no lone tagged Struct
    can appear."""
    if not any(loses_tag(f.type) for f in wrapper.fields):
        return None
    shadows = _TagShadow(filler)
    fields = [(f"a{i}", shadows.slot(f.type)) for i, f in enumerate(wrapper.fields)]
    options: dict[str, Any] = {"array_like": True, "gc": False}
    if tag is not None:
        options["tag"] = tag
    return msgspec.defstruct("ArgumentTags", fields, **options)
