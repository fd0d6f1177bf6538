"""A declared type means the same on every path.

A request is usually decoded from its JSON text by the event's typed decoder (the packet
codec); a request the codec leaves to screening, a binary event, a client's ack and the
connect ``auth`` arrive already decoded and are checked by ``ArgsCodec.decode``. For
every family of types, both paths must accept the same values with equal results and
reject the same values with the same code, message and path.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import json
import math
import re
import types
import uuid
from typing import Annotated, Any, Literal, NewType, TypedDict

import attrs
import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sioschema import Emit, Event, EventRegistry, Limits, RegistryError
from sioschema._codec import ArgsCodec, PacketCodec
from sioschema._wire import WireError, decode_json
from sioschema.errors import PayloadError
from sioschema.inspect import by_namespace
from tests.strategies import (
    KEY_TEXT,
    json_atom,
    json_value,
    keyed,
    near,
    record,
    with_hostile_number,
)


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Level(enum.IntEnum):
    ONE = 1
    TWO = 2


UserId = NewType("UserId", str)


class Tally(msgspec.Struct):
    scores: dict[int, int]
    memo: str = ""


class Closed(msgspec.Struct, forbid_unknown_fields=True):
    x: int
    when: datetime.date


@dataclasses.dataclass
class Spot:
    x: int
    tags: dict[Color, float]


@attrs.define
class Crate:
    id: uuid.UUID
    price: decimal.Decimal


class Order(TypedDict):
    qty: Annotated[int, msgspec.Meta(ge=1)]
    sku: str


class Cat(msgspec.Struct, tag=True):
    name: str


class Dog(msgspec.Struct, tag=True):
    name: str
    good: bool = True


class Row(msgspec.Struct, array_like=True):
    x: int
    y: str


class Wrapped(msgspec.Struct):
    kind: str
    body: msgspec.Raw


iso = st.sampled_from(["2024-01-02T03:04:05Z", "2024-01-02", "03:04:05", "P1D", "x"])
ints = st.integers(min_value=-3, max_value=3)

# msgspec before 0.23 cannot read a Literal that mixes ints and strings (it sorts the
# values); a registry declaring one is refused there (test_mixed_literals, below)
MIXED_LITERALS = tuple(int(part) for part in msgspec.__version__.split(".")[:2]) >= (0, 23)

FAMILIES: dict[str, tuple[Any, st.SearchStrategy[Any]]] = {
    # dict keys of every kind
    "int keys": (dict[int, int], keyed(ints)),
    "float keys": (dict[float, str], keyed()),
    "bool keys": (dict[bool, int], keyed()),
    "enum keys": (dict[Color, int], keyed()),
    "IntEnum keys": (dict[Level, int], keyed()),
    "Literal str keys": (dict[Literal["a", "b"], int], keyed()),
    "Literal int keys": (dict[Literal[1, 2], int], keyed()),
    "NewType str keys": (dict[UserId, int], keyed()),
    "UUID keys": (dict[uuid.UUID, int], keyed()),
    "datetime keys": (dict[datetime.datetime, int], keyed()),
    "date keys": (dict[datetime.date, int], keyed()),
    "time keys": (dict[datetime.time, int], keyed()),
    "timedelta keys": (dict[datetime.timedelta, int], keyed()),
    "Decimal keys": (dict[decimal.Decimal, int], keyed()),
    "constrained int keys": (dict[Annotated[int, msgspec.Meta(ge=1)], str], keyed()),
    "int | str keys": (dict[int | str, int], keyed()),
    # records
    "Struct": (Tally, record({"scores": keyed(ints)}, {"memo": st.text(max_size=3)})),
    "Struct forbidding unknown fields": (Closed, record({"x": ints, "when": iso})),
    "dataclass": (Spot, record({"x": ints, "tags": keyed(st.floats(-2, 2))})),
    "attrs": (Crate, record({"id": KEY_TEXT, "price": json_atom})),
    "TypedDict": (Order, record({"qty": ints, "sku": st.text(max_size=2)})),
    "tagged union": (
        Cat | Dog,
        record({"type": st.sampled_from(["Cat", "Dog", "Cow"]), "name": st.text(max_size=2)}),
    ),
    "array_like Struct": (Row, near(st.lists(json_atom, max_size=3))),
    "tuple": (tuple[int, str], near(st.lists(json_atom, max_size=3))),
    # scalars
    "enum": (Color, near(KEY_TEXT)),
    "IntEnum": (Level, near(ints)),
    "Literal": (Literal["a", 1] if MIXED_LITERALS else Literal["a", "b"], near(json_atom)),
    "union": (int | str | None, json_atom),
    "bytes": (bytes, near(st.sampled_from(["AQI=", "AQ", "", "x==="]))),
    "bytearray": (bytearray, near(st.sampled_from(["AQI=", "AQ", ""]))),
    "memoryview": (memoryview, near(st.sampled_from(["AQI=", "AQ", ""]))),
    "datetime": (datetime.datetime, near(iso)),
    "aware datetime": (Annotated[datetime.datetime, msgspec.Meta(tz=True)], near(iso)),
    "date": (datetime.date, near(iso)),
    "time": (datetime.time, near(iso)),
    "timedelta": (datetime.timedelta, near(iso)),
    "UUID": (uuid.UUID, near(KEY_TEXT)),
    "Decimal": (decimal.Decimal, json_atom),
    "constrained str": (Annotated[str, msgspec.Meta(min_length=2, pattern="^a")], json_atom),
    "constrained float": (Annotated[float, msgspec.Meta(multiple_of=0.5, le=10)], json_atom),
    "collections": (list[set[int]], near(st.lists(st.lists(ints, max_size=3), max_size=2))),
    # raw JSON
    "Raw": (msgspec.Raw, json_value),
    "nested Raw": (Wrapped, record({"kind": st.text(max_size=2), "body": json_value})),
    "list of Raw": (list[msgspec.Raw], near(st.lists(json_value, max_size=3))),
    "Any": (Any, json_value),
}

LAX = {"bool keys"}  # refused in a lax registry: see test_lax_bool_and_none_keys_are_refused


def _registry(name: str, tp: Any, strict: bool) -> type[EventRegistry]:
    namespace = "/" + re.sub(r"\W", "-", name) + ("" if strict else "-lax")
    return types.new_class(
        "Family",
        (EventRegistry,),
        {"namespace": namespace, "strict": strict},
        lambda ns: ns.update(ev=Event(request=tp)),
    )


REGISTRIES = {
    (name, strict): _registry(name, tp, strict)
    for name, (tp, _) in FAMILIES.items()
    for strict in (True, False)
    if strict or name not in LAX
}
CODEC = PacketCodec(by_namespace(REGISTRIES.values()), Limits())


def _canon(value: Any) -> Any:
    """A comparable form of a decoded value (types kept, NaN equal to itself)."""
    if isinstance(value, msgspec.Raw):
        # the JSON a Raw holds: the sender's text on the one-pass path, msgspec's
        # spelling of the same value (``1e16`` for ``1e+16``) on the others
        return ("Raw", _canon(msgspec.json.decode(value)))
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    if isinstance(value, decimal.Decimal):  # its digits: Decimal("1.10") == Decimal("1.1")
        return ("Decimal", str(value))
    if isinstance(value, dict):
        return ("dict", [(_canon(k), _canon(v)) for k, v in value.items()])
    if isinstance(value, (set, frozenset)):
        return (type(value).__name__, sorted(map(repr, value)))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_canon(v) for v in value])
    if isinstance(value, memoryview):
        return ("memoryview", bytes(value))
    if isinstance(value, msgspec.Struct):
        return (type(value).__name__, [_canon(v) for v in msgspec.structs.astuple(value)])
    if dataclasses.is_dataclass(value) or attrs.has(type(value)):
        fields = attrs.fields(type(value)) if attrs.has(type(value)) else dataclasses.fields(value)
        return (type(value).__name__, [_canon(getattr(value, f.name)) for f in fields])
    return (type(value).__name__, value)


def _outcome(call: Any) -> tuple[Any, ...]:
    try:
        return ("ok", _canon(call()))
    except PayloadError as exc:
        return ("error", exc.code, exc.detail, exc.path)


_FIRST_INDEX = re.compile(r"`\$\[(\d+)\]")


def json_path(codec: ArgsCodec, namespace: str, body: str) -> tuple[Any, ...]:
    """The fast path: the event's packet decoder over the frame's JSON text."""
    decoder = codec.packet_decoder
    assert decoder is not None

    def run() -> tuple[Any, ...]:
        try:
            return msgspec.structs.astuple(decoder.decode(body))
        except msgspec.ValidationError as exc:
            # the packet array holds the event name first: index from the arguments
            text = _FIRST_INDEX.sub(lambda m: f"`$[{int(m[1]) - 1}]", str(exc), count=1)
            shifted = msgspec.ValidationError(text)
            raise codec._validation_error(shifted, "ev", namespace) from None

    outcome = _outcome(run)
    typed = CODEC.decode_event(namespace, body)
    if typed is not None:  # what the codec hands a handler is what its decoder gave
        assert ("ok", _canon(typed[4])) == outcome
    return outcome


def convert_path(codec: ArgsCodec, namespace: str, body: str) -> tuple[Any, ...]:
    """The other paths: screened, decoded without a type, then ``ArgsCodec.decode``."""
    data = decode_json(body, Limits())
    return _outcome(lambda: codec.decode(data[1:], "ev", namespace))


@pytest.mark.parametrize(
    ("family", "strict"),
    [
        pytest.param(family, strict, id=f"{family}-{'strict' if strict else 'lax'}")
        for family in FAMILIES
        for strict in (True, False)
        if strict or family not in LAX  # those are refused in a lax registry (below)
    ],
)
def test_paths_agree(family: str, strict: bool) -> None:
    registry = REGISTRIES[family, strict]
    info = registry.__sioschema_info__
    codec = info.events["ev"].request_codec

    @settings(derandomize=True, database=None, max_examples=40, deadline=None)
    @given(FAMILIES[family][1])
    def check(value: Any) -> None:
        body = '["ev",' + json.dumps(value) + "]"
        assert json_path(codec, info.namespace, body) == convert_path(codec, info.namespace, body)

    check()


def served(event: Event, namespace: str, body: str, codec: PacketCodec = CODEC) -> tuple[Any, ...]:
    """What a server answers to an EVENT body: the codec's one pass when it decides,
    else the screening (decode without a type, its limits, then ``ArgsCodec.decode``)."""
    typed = codec.decode_event(namespace, body)
    if typed is not None:
        return ("ok", _canon(typed[4]))
    return screened(event, namespace, body)


def screened(event: Event, namespace: str, body: str) -> tuple[Any, ...]:
    """The screening alone, as the servers run it for a frame the codec leaves."""
    try:
        data = decode_json(body, Limits())
    except WireError as exc:
        return ("refused", exc.code, exc.detail)
    return _outcome(lambda: event.request_codec.decode(data[1:], "ev", namespace))


@pytest.mark.parametrize(
    ("family", "strict"),
    [
        pytest.param(family, strict, id=f"{family}-{'strict' if strict else 'lax'}")
        for family in FAMILIES
        for strict in (True, False)
        if strict or family not in LAX
    ],
)
def test_the_codec_answers_what_the_screening_answers(family: str, strict: bool) -> None:
    """Client text ``json.dumps`` never writes (``1e400``, ``1.10``, integers beyond
    int64, in declared fields or in fields no type declares): the packet codec either
    leaves the frame to the screening or gives exactly the screening's result."""
    info = REGISTRIES[family, strict].__sioschema_info__
    event = info.events["ev"]

    @settings(derandomize=True, database=None, max_examples=40, deadline=None)
    @given(with_hostile_number(FAMILIES[family][1]))
    def check(text: str) -> None:
        body = '["ev",' + text + "]"
        assert served(event, info.namespace, body) == screened(event, info.namespace, body)

    check()


# -- the concrete cases -------------------------------------------------------------------


class Api(EventRegistry):
    tally = Event(request=Tally)
    wrapped = Event(request=Wrapped)
    hand = Emit(str, ack=dict[int, str])


API = PacketCodec(by_namespace(Api), Limits())
MEMO = '"memo":"ref 98765432109876543210"'


def _fallback(event: Event, body: str) -> tuple[Any, ...]:
    data = decode_json(body, Limits())
    return event.request_codec.decode(data[1:], event.name, "/")


def test_tally_with_a_long_digit_run_is_accepted() -> None:
    """A long digit run in a string sends the frame to screening; the int keys still read."""
    body = '["tally",{"scores":{"1":3},' + MEMO + "}]"
    assert API.decode_event("/", body) is None  # left to screening
    assert _fallback(Api.tally, body) == (Tally({1: 3}, "ref 98765432109876543210"),)
    typed = API.decode_event("/", '["tally",{"scores":{"1":3}}]')
    assert typed is not None and typed[4] == (Tally({1: 3}),)


def test_a_bad_key_is_reported_at_the_json_path_of_its_object() -> None:
    body = '["tally",{"scores":{"one":3},' + MEMO + "}]"
    with pytest.raises(PayloadError) as info:
        _fallback(Api.tally, body)
    assert info.value.reply() == {
        "error": {
            "code": "invalid_payload",
            "message": "Expected `int`, got `str` - at a key in `$.scores`",
            "path": "$.scores",
            "event": "tally",
        }
    }


def test_a_client_ack_with_int_keys_is_accepted() -> None:
    codec = Api.hand.ack_codec
    assert codec is not None
    assert codec.decode(({"1": "rock"},), "hand", "/") == ({1: "rock"},)
    with pytest.raises(PayloadError) as info:
        codec.decode(({"x": "rock"},), "hand", "/")
    assert (info.value.code, info.value.detail, info.value.path) == (
        "invalid_ack",
        "Expected `int`, got `str` - at a key in `$`",
        "$",
    )


def test_nested_raw_is_accepted_on_every_path() -> None:
    body = '["wrapped",{"kind":"move","body":{"x":[1,2],' + MEMO + "}}]"
    assert API.decode_event("/", body) is None
    (wrapped,) = _fallback(Api.wrapped, body)
    assert wrapped.kind == "move"
    assert msgspec.json.decode(wrapped.body) == {"x": [1, 2], "memo": "ref 98765432109876543210"}
    # a binary attachment inside a Raw is read as its JSON form, base64 text
    (binary,) = Api.wrapped.request_codec.decode(
        [{"kind": "b", "body": [b"\x01\x02"]}], "wrapped", "/"
    )
    assert bytes(binary.body) == b'["AQI="]'


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ('["f",{"x":12345678901234567890123}]', "an integer beyond int64 for a float"),
        ('["f",{"x":1,"junk":' + "[" * 40 + "]" * 40 + "}]", "an unknown field nested too deep"),
    ],
)
def test_the_codec_leaves_to_screening_what_screening_refuses(body: str, why: str) -> None:
    class Point(msgspec.Struct):
        x: float

    class Floats(EventRegistry):
        f = Event(request=Point)

    assert PacketCodec(by_namespace(Floats), Limits()).decode_event("/", body) is None, why


@pytest.mark.parametrize("key", [bool, None, bool | int])
def test_lax_bool_and_none_keys_are_refused(key: Any) -> None:
    """``convert(strict=False)`` reads ``"true"`` and ``"null"`` keys; JSON text does not."""
    with pytest.raises(RegistryError) as info:

        class Lax(EventRegistry, strict=False):
            flags = Event(request=dict[key, int])

    assert str(info.value).startswith("test_lax_bool_and_none_keys_are_refused.<locals>.Lax")
    assert ".flags request: `dict[" in str(info.value)
    assert "strict=False" in str(info.value)

    class Strict(EventRegistry):  # strict: both paths refuse every such key
        flags = Event(request=dict[key, int])


def test_mixed_literals() -> None:
    """Accepted where msgspec can read them (0.23 and newer), refused when declared before."""
    if MIXED_LITERALS:
        registry = _registry("Literal", Literal["a", 1], True)
        assert registry.__sioschema_info__.events["ev"].request == (Literal["a", 1],)
        return
    with pytest.raises(RegistryError, match=r"^Family\.ev request: unsupported type: "):
        _registry("Literal", Literal["a", 1], True)


# -- numbers a typed decoder does not read, and Decimal -------------------------------------


class Note(msgspec.Struct):
    text: str = ""


@dataclasses.dataclass
class Memo:
    text: str = ""


class Price(msgspec.Struct):
    amount: decimal.Decimal


class Numbers(EventRegistry, namespace="/numbers"):
    note = Event(request=Note)
    memo = Event(request=Memo)
    order = Event(request=Order)
    raw = Event(request=msgspec.Raw)
    wrapped = Event(request=Wrapped)
    price = Event(request=Price)


NUMBERS = PacketCodec(by_namespace(Numbers), Limits())


@pytest.mark.parametrize(
    "body",
    [
        '["note",{"text":"a","junk":1e400}]',
        '["note",{"junk":[1,{"deeper":-1E+400}]}]',
        '["note",{"junk":12345678901234567890}]',
        '["memo",{"junk":1e400}]',
        '["order",{"qty":1,"sku":"a","junk":1e400}]',
        '["raw",{"a":1e400}]',
        '["raw",[1,2e+308]]',
        '["wrapped",{"kind":"k","body":[1e400]}]',
    ],
)
def test_a_number_out_of_range_is_refused_where_no_type_reads_it(body: str) -> None:
    """``1e400`` and integers beyond int64 are refused (``invalid_number``) wherever
    they are, as the screening's untyped decode does: also in fields a type skips and
    in JSON it keeps raw, which a typed decoder does not read as numbers."""
    event = Numbers.__sioschema_info__.events[json.loads(body.split(",")[0] + "]")[0]]
    assert NUMBERS.decode_event("/numbers", body) is None  # left to the screening
    assert screened(event, "/numbers", body)[:2] == ("refused", "invalid_number")


@pytest.mark.parametrize(
    "body",
    [
        '["note",{"id":"550e8400-e29b-41d4-a716-446655440000"}]',
        '["note",{"text":"1e400","junk":"9e999"}]',
        '["raw",{"hash":"d41d8cd98f00b204e9800998ecf8427e","n":1e-400}]',
        '["price",{"amount":"1.10"}]',
    ],
)
def test_number_like_text_in_strings_stays_on_the_one_pass(body: str) -> None:
    """Hex ids and hashes read like exponents (``0e840``) to a byte scan; the codec
    looks again without the strings before it leaves a frame to the screening."""
    assert NUMBERS.decode_event("/numbers", body) is not None


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1.10", "1.1"),
        ("1E2", "100.0"),
        ("0.1000000000000000000001", "0.1"),
        ("1e-400", "0.0"),
        ("-0.0", "-0.0"),
        ("7", "7"),
        ("12345678901234567", "12345678901234567"),
        ('"1.10"', "1.10"),
        ('"0.1000000000000000000001"', "0.1000000000000000000001"),
    ],
)
def test_a_decimal_sent_as_a_json_number_is_the_double_it_denotes(
    amount: str, expected: str
) -> None:
    """A JSON number is a double to the JavaScript client that wrote it, and to the
    screening, which decodes before it converts: a ``Decimal`` read from one holds that
    double's shortest digits on every path. A JSON string keeps every digit."""
    event = Numbers.price
    body = '["price",{"amount":' + amount + "}]"
    found = served(event, "/numbers", body, NUMBERS)
    assert found == screened(event, "/numbers", body)
    assert found == ("ok", ("tuple", [("Price", [("Decimal", expected)])]))


def test_a_decimal_beyond_the_float_range_is_refused() -> None:
    body = '["price",{"amount":1e400}]'
    assert served(Numbers.price, "/numbers", body, NUMBERS) == (
        "refused",
        "invalid_number",
        "Number out of range",
    )
