"""A tagged Struct outside a union requires its tag, as its schema says.

msgspec requires the tag of a ``tag=True`` Struct only between the members of a union;
a lone one decodes (and converts) without it, while its JSON Schema, hence every
document and the TypeScript contract, lists the tag field as required. sioschema
requires it wherever such a Struct is declared (a request, an emit payload, an ack,
``auth``; at the top, in a field, a list item, a dict value, an Optional, a tuple...),
on every path: the one-pass packet codec, the screening, binary events, acks and auth.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import types
from collections.abc import Iterator
from typing import Annotated, Any, Generic, Literal, NamedTuple, TypedDict, TypeVar

import attrs
import msgspec
import pytest
from socketio.packet import Packet

from sioschema import Emit, Event, EventRegistry, PayloadError
from sioschema._core import Acked, Connect, Core, Deliver, Refuse, Reply
from sioschema.asyncapi import render
from tests.unit.test_core import FakeSessions

T = TypeVar("T")


class Shape(msgspec.Struct, tag=True):
    x: int


class Sized(msgspec.Struct, tag="sz", tag_field="kind"):
    side: int = msgspec.field(name="Side")


class Scene(msgspec.Struct):
    shape: Shape
    shapes: list[Shape] = []
    named: dict[str, Shape] = {}
    maybe: Shape | None = None


@dataclasses.dataclass
class Holder:
    shape: Shape


class Row(NamedTuple):
    n: int
    shape: Shape


class Pair(msgspec.Struct, array_like=True):
    n: int
    shape: Shape


class Tree(msgspec.Struct, tag=True):
    kids: list[Tree] = []


class Cat(msgspec.Struct, tag=True):
    toy: Shape | None = None


class Dog(msgspec.Struct, tag=True):
    bones: int = 0


class Hen(msgspec.Struct, tag=True):
    eggs: int = 0


class Fox(msgspec.Struct, tag=True):
    den: list[Hen | Fox] = []  # in a union: msgspec requires the tags


class Blob(msgspec.Struct, tag=True):
    data: bytes


class Kept(msgspec.Struct):
    raw: msgspec.Raw
    shape: Shape


class Framed(msgspec.Struct, tag=True, array_like=True):
    shape: Shape


class Counted(msgspec.Struct, tag=True, array_like=True):
    n: int


class Entry(TypedDict):
    shape: Shape


@attrs.define
class Slot:
    shape: Shape


class Box(msgspec.Struct, Generic[T]):
    item: T


OK = '{"type":"Shape","x":1}'
MISSING = "Object missing required field `type`"

# name: (declared type, valid JSON, the same without a tag, message detail, path)
POSITIONS: dict[str, tuple[Any, str, str, str, str]] = {
    "top": (Shape, OK, '{"x":1}', MISSING, "$"),
    "field": (
        Scene,
        f'{{"shape":{OK}}}',
        '{"shape":{"x":1}}',
        f"{MISSING} - at `$.shape`",
        "$.shape",
    ),
    "list item": (
        list[Shape],
        f"[{OK},{OK}]",
        f'[{OK},{{"x":2}}]',
        f"{MISSING} - at `$[1]`",
        "$[1]",
    ),
    "nested list item": (
        Scene,
        f'{{"shape":{OK},"shapes":[{OK}]}}',
        f'{{"shape":{OK},"shapes":[{{"x":2}}]}}',
        f"{MISSING} - at `$.shapes[0]`",
        "$.shapes[0]",
    ),
    "dict value": (
        dict[str, Shape],
        f'{{"a":{OK}}}',
        '{"a":{"x":1}}',
        f"{MISSING} - at `$[...]`",
        "$[...]",
    ),
    "Optional": (Shape | None, OK, '{"x":1}', MISSING, "$"),
    "Optional field": (
        Scene,
        f'{{"shape":{OK},"maybe":{OK}}}',
        f'{{"shape":{OK},"maybe":{{"x":1}}}}',
        f"{MISSING} - at `$.maybe`",
        "$.maybe",
    ),
    "union with int": (int | Shape, OK, '{"x":1}', MISSING, "$"),
    "tuple item": (tuple[int, Shape], f"[1,{OK}]", '[1,{"x":1}]', f"{MISSING} - at `$[1]`", "$[1]"),
    "array_like field": (Pair, f"[1,{OK}]", '[1,{"x":1}]', f"{MISSING} - at `$[1]`", "$[1]"),
    "NamedTuple field": (Row, f"[1,{OK}]", '[1,{"x":1}]', f"{MISSING} - at `$[1]`", "$[1]"),
    "dataclass field": (
        Holder,
        f'{{"shape":{OK}}}',
        '{"shape":{"x":1}}',
        f"{MISSING} - at `$.shape`",
        "$.shape",
    ),
    "tag_field and rename": (
        Sized,
        '{"kind":"sz","Side":1}',
        '{"Side":1}',
        "Object missing required field `kind`",
        "$",
    ),
    "recursive": (
        Tree,
        '{"type":"Tree","kids":[{"type":"Tree","kids":[{"type":"Tree"}]}]}',
        '{"type":"Tree","kids":[{"type":"Tree","kids":[{}]}]}',
        f"{MISSING} - at `$.kids[0].kids[0]`",
        "$.kids[0].kids[0]",
    ),
    "in a tagged union's member": (
        Cat | Dog,
        f'{{"type":"Cat","toy":{OK}}}',
        '{"type":"Cat","toy":{"x":1}}',
        f"{MISSING} - at `$.toy`",
        "$.toy",
    ),
    "Annotated": (
        Annotated[Shape, msgspec.Meta(description="a shape")],
        OK,
        '{"x":1}',
        MISSING,
        "$",
    ),
    "in a tagged array_like union's member": (
        Framed | Counted,
        f'["Framed",{OK}]',
        '["Framed",{"x":1}]',
        f"{MISSING} - at `$[1]`",
        "$[1]",
    ),
    "TypedDict field": (
        Entry,
        f'{{"shape":{OK}}}',
        '{"shape":{"x":1}}',
        f"{MISSING} - at `$.shape`",
        "$.shape",
    ),
    "attrs field": (
        Slot,
        f'{{"shape":{OK}}}',
        '{"shape":{"x":1}}',
        f"{MISSING} - at `$.shape`",
        "$.shape",
    ),
    "generic Struct": (
        Box[Shape],
        f'{{"item":{OK}}}',
        '{"item":{"x":1}}',
        f"{MISSING} - at `$.item`",
        "$.item",
    ),
    "union with a Literal and None": (Literal["a"] | Shape | None, OK, '{"x":1}', MISSING, "$"),
    "variadic tuple item": (
        tuple[Shape, ...],
        f"[{OK}]",
        '[{"x":1}]',
        f"{MISSING} - at `$[0]`",
        "$[0]",
    ),
    "int-keyed dict value": (
        dict[int, Shape],
        f'{{"1":{OK}}}',
        '{"1":{"x":1}}',
        f"{MISSING} - at `$[...]`",
        "$[...]",
    ),
    "beside msgspec.Raw": (
        Kept,
        f'{{"raw":[1],"shape":{OK}}}',
        '{"raw":[1],"shape":{"x":1}}',
        f"{MISSING} - at `$.shape`",
        "$.shape",
    ),
}


def _registry(declared: Any, **options: Any) -> type[EventRegistry]:
    return types.new_class(
        "Tags", (EventRegistry,), options, lambda ns: ns.update(ev=declared, other=Emit(int))
    )


def _core(registry: type[EventRegistry], side: Any) -> tuple[Core, FakeSessions]:
    core = Core(registry, side=side)
    sessions = FakeSessions(handled={"ev"})
    sessions.awaited = {("s1", 7)}
    core.attach(sessions, Packet.reconstruct_binary, raw_out=False)
    return core, sessions


def _error(action: Any) -> tuple[str, str, str | None]:
    assert type(action) is Reply, action
    error = action.reply["error"]
    return error["code"], error["message"], error["path"]


# the one-pass codec, and a header form it leaves to the screening (which converts)
FRAMES = {"one pass": '21["ev",{}]', "screened": '21 ["ev",{}]'}


@pytest.mark.parametrize("route", FRAMES)
@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("direction", ["request", "emit"])
@pytest.mark.parametrize("strict", [True, False])
def test_a_missing_tag_is_refused(position: str, route: str, direction: str, strict: bool) -> None:
    """A request on a server, an emit on a typed client: refused without the tag, with
    msgspec's message and path; the same value with its tag is delivered as declared."""
    tp, valid, untagged, detail, path = POSITIONS[position]
    declared: Any = Event(request=tp) if direction == "request" else Emit(tp)
    core, _ = _core(
        _registry(declared, strict=strict), "server" if direction == "request" else "client"
    )
    frame = FRAMES[route].replace("{}", "{body}")
    (action,) = core.receive("e1", frame.format(body=untagged))
    assert _error(action) == ("invalid_payload", detail, path)
    (delivered,) = core.receive("e1", frame.format(body=valid))
    assert type(delivered) is Deliver
    assert delivered.args == (msgspec.json.decode(valid, type=tp),)


def test_a_missing_tag_in_a_second_argument_is_refused() -> None:
    core, _ = _core(_registry(Event(request=(int, Shape))), "server")
    for frame in ('21["ev",1,{"x":1}]', '21 ["ev",1,{"x":1}]'):
        (action,) = core.receive("e1", frame)
        assert _error(action) == ("invalid_payload", f"{MISSING} - at `$[1]`", "$[1]")
    (delivered,) = core.receive("e1", f'21["ev",1,{OK}]')
    assert delivered == Deliver("s1", "/", 1, "ev", delivered.declared, (1, Shape(1)))


def test_a_binary_event_without_its_tag_is_refused() -> None:
    core, _ = _core(_registry(Event(request=Blob)), "server")
    placeholder = '{"_placeholder":true,"num":0}'
    assert core.receive("e1", f'51-1["ev",{{"data":{placeholder}}}]') == []
    (action,) = core.receive("e1", b"\x01")
    assert _error(action) == ("invalid_payload", MISSING, "$")
    core.receive("e1", f'51-1["ev",{{"type":"Blob","data":{placeholder}}}]')
    (delivered,) = core.receive("e1", b"\x01")
    assert type(delivered) is Deliver
    assert delivered.args == (Blob(b"\x01"),)


@pytest.mark.parametrize("position", POSITIONS)
def test_an_ack_without_its_tag_is_refused_on_both_sides(position: str) -> None:
    """A client's ack to a server's emit, and a server's ack to a typed client's call."""
    tp, valid, untagged, detail, path = POSITIONS[position]
    for side, declared in (("server", Emit(int, ack=tp)), ("client", Event(ack=tp))):
        registry = _registry(declared)
        core, _ = _core(registry, side)
        (acked,) = core.receive("e1", f"37[{untagged}]")
        assert type(acked) is Acked
        with pytest.raises(PayloadError) as caught:
            core.read_ack(registry.ev, "/", tuple(acked.args))  # type: ignore[attr-defined]
        error = caught.value
        assert (error.code, error.detail, error.path) == ("invalid_ack", detail, path)
        (acked,) = core.receive("e1", f"37[{valid}]")
        typed = core.read_ack(registry.ev, "/", tuple(acked.args))  # type: ignore[attr-defined]
        assert typed == (msgspec.json.decode(valid, type=tp),)


@pytest.mark.parametrize("position", POSITIONS)
def test_auth_without_its_tag_is_refused(position: str) -> None:
    tp, valid, untagged, detail, path = POSITIONS[position]
    core, _ = _core(_registry(Emit(int), auth=tp), "server")
    (refused,) = core.receive("e2", "0" + untagged)
    assert type(refused) is Refuse
    error = refused.data["data"]["error"]
    assert (error["code"], error["message"], error["path"]) == (
        "invalid_auth",
        detail,
        path,
    )
    assert core.receive("e2", "0" + valid) == [Connect("/", msgspec.json.decode(valid, type=tp))]


def test_what_the_server_sends_carries_the_tag() -> None:
    """An emit given as a dict without the tag is sent in its validated form, tag
    included: what a server sends is what it would accept."""
    registry = _registry(Emit(Scene))
    codec = registry.__sioschema_info__.emits["ev"].payload_codec
    for raw in (True, False):
        out = codec.encode({"shape": {"x": 1}, "maybe": {"x": 2}}, "ev", "/", raw=raw)
        sent = msgspec.json.decode(bytes(out)) if raw else out
        assert sent["shape"] == {"type": "Shape", "x": 1}
        assert sent["maybe"] == {"type": "Shape", "x": 2}


@pytest.mark.parametrize(
    "tp",
    [int, Hen | Fox, list[Hen | Fox], dict[str, Fox | Hen], Fox | Hen | None],
    ids=["int", "tagged union", "list of a tagged union", "dict of a tagged union", "Optional"],
)
def test_no_tag_check_where_msgspec_requires_the_tag(tp: Any) -> None:
    """Where no tagged Struct can appear outside a union the codec gets no tag check,
    and the hot path is what it was."""
    registry = _registry(Event(request=tp, ack=tp))
    event = registry.__sioschema_info__.events["ev"]
    assert event.request_codec.tag_check is None
    assert event.request_codec._tags is None
    assert event.ack_codec._tags is None


def test_an_array_like_tagged_struct_needs_no_check() -> None:
    class Point(msgspec.Struct, tag=True, array_like=True):
        x: int

    codec = _registry(Event(request=Point)).__sioschema_info__.events["ev"].request_codec
    assert codec.tag_check is None
    with pytest.raises(PayloadError) as caught:
        codec.decode([[1]], "ev", "/")
    assert caught.value.detail == "Expected `str` - at `$[0]`"


# -- what the document requires, the server requires ------------------------------------


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _branch(value: Any, schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """The member of a union schema that describes ``value``."""
    schema = _resolve(schema, document)
    members = schema.get("anyOf") or schema.get("oneOf")
    if not members:
        return schema
    tag = schema.get("discriminator")  # AsyncAPI's: the name of the tag property
    kind = {dict: "object", list: "array", int: "integer", str: "string", type(None): "null"}
    for member in members:
        member = _branch(value, member, document)
        if member.get("type") != kind[type(value)]:
            continue
        if tag is None or value[tag] in member["properties"][tag]["enum"]:
            return member
    raise AssertionError((value, schema))


def _objects(
    value: Any, schema: dict[str, Any], document: dict[str, Any], path: str, at: tuple[Any, ...]
) -> Iterator[tuple[str, tuple[Any, ...], dict[str, Any], dict[str, Any]]]:
    """Every JSON object in ``value`` with msgspec's path to it, the keys to reach it
    and the schema the document gives it."""
    schema = _branch(value, schema, document)
    if isinstance(value, dict):
        yield path, at, value, schema
        properties = schema.get("properties", {})
        for key, item in value.items():
            if key in properties:
                yield from _objects(item, properties[key], document, f"{path}.{key}", (*at, key))
            elif isinstance(schema.get("additionalProperties"), dict):
                sub = schema["additionalProperties"]
                yield from _objects(item, sub, document, f"{path}[...]", (*at, key))
    elif isinstance(value, list):
        items = schema.get("items", schema.get("prefixItems"))
        for i, item in enumerate(value):
            sub = items[i] if isinstance(items, list) else items
            if sub:  # (``{}``, ``msgspec.Raw``'s schema, describes no objects)
                yield from _objects(item, sub, document, f"{path}[{i}]", (*at, i))


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("direction", ["request", "emit"])
def test_a_field_the_document_requires_is_one_the_receiver_requires(
    position: str, direction: str
) -> None:
    """For every object in a valid value and every key in it: the receiving core
    refuses the value without that key exactly when the AsyncAPI document lists the
    key as required, on the one-pass route and through the screening alike."""
    tp, valid, *_ = POSITIONS[position]
    declared: Any = Event(request=tp) if direction == "request" else Emit(tp)
    registry = _registry(declared)
    document = render(registry)
    schema = document["channels"]["root"]["messages"]["ev"]["payload"]
    core, _ = _core(registry, "server" if direction == "request" else "client")
    value = json.loads(valid)
    checked = 0
    for path, at, obj, described in _objects(value, schema, document, "$", ()):
        for key in obj:
            without = copy.deepcopy(value)
            target = without
            for step in at:
                target = target[step]
            del target[key]
            body = json.dumps(without, separators=(",", ":"))
            for frame in (f'21["ev",{body}]', f'21 ["ev",{body}]'):
                (action,) = core.receive("e1", frame)
                if key in described.get("required", ()):
                    code, message, where = _error(action)
                    assert code == "invalid_payload"
                    assert message.endswith(
                        f"Object missing required field `{key}`"
                        + (f" - at `{path}`" if path != "$" else "")
                    )
                    assert where == path
                else:
                    assert type(action) is Deliver, (key, path, action)
            checked += 1
    assert checked
