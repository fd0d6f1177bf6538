"""One rule for numbers in both directions.

What a server or a typed client sends (emits, requests, acks) is checked by
``ArgsCodec.encode``; what either receives goes through the protocol core's screening
and typed decode. For every family of types: a value the outgoing check accepts is sent
as JSON the receiving core accepts, a JSON value the receiving core accepts is one the
outgoing check accepts, and a number the outgoing check refuses (``invalid_number``) is
one the receiving core refuses with the same code.
"""

from __future__ import annotations

import decimal
import enum
import json
import math
import re
import types
from typing import Annotated, Any, Literal

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from socketio.packet import Packet

from sioschema import Emit, Event, EventRegistry, PayloadError, RegistryError
from sioschema._codec import ArgsCodec
from sioschema._core import Acked, AckRefused, Core, Deliver, Reply
from sioschema._wire import is_finite
from tests.strategies import any_number, numbers_json
from tests.unit.test_core import FakeSessions

BigInt = Annotated[int, msgspec.Meta(extra={"bigint": True})]


class Level(enum.IntEnum):
    ONE = 1
    TWO = 2


class Point(msgspec.Struct):
    x: int
    y: float = 0.0


class Closed(msgspec.Struct, forbid_unknown_fields=True):
    x: int
    y: float = 0.0


class Cat(msgspec.Struct, tag=True):
    lives: int


class Dog(msgspec.Struct, tag=True):
    weight: float


def _shape(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly values of the type's shape, sometimes any JSON-like value."""
    return st.one_of(valid, valid, valid, numbers_json)


def _record(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    extra = {"zz": any_number}
    return _shape(st.fixed_dictionaries(fields, optional=extra))


def _raw(value: Any) -> msgspec.Raw:
    return msgspec.Raw(json.dumps(value).encode())


RAW_TEXT = ["1e400", "[1e400]", "NaN", "[-Infinity]", "123456789012345678901", '"1e400"', "1"]

FAMILIES: dict[str, tuple[Any, st.SearchStrategy[Any]]] = {
    "int": (int, _shape(any_number)),
    "constrained int": (Annotated[int, msgspec.Meta(ge=0, le=100)], _shape(any_number)),
    "bigint int": (BigInt, _shape(any_number)),
    "unbounded above int": (Annotated[int, msgspec.Meta(ge=0)], _shape(any_number)),
    "float": (float, _shape(any_number)),
    "constrained float": (Annotated[float, msgspec.Meta(ge=-10, le=1e30)], _shape(any_number)),
    "Decimal": (decimal.Decimal, _shape(st.one_of(any_number, st.decimals()))),
    "Any": (Any, numbers_json),
    "Raw": (
        msgspec.Raw,
        st.one_of(
            numbers_json.map(_raw), st.sampled_from(RAW_TEXT).map(lambda t: msgspec.Raw(t.encode()))
        ),
    ),
    "dict[str, int]": (dict[str, int], _shape(st.dictionaries(st.sampled_from("ab"), any_number))),
    "list[float]": (list[float], _shape(st.lists(any_number, max_size=3))),
    "list[Any]": (list[Any], _shape(st.lists(numbers_json, max_size=3))),
    "Struct": (
        Point,
        st.one_of(
            st.builds(Point, any_number, any_number), _record({"x": any_number, "y": any_number})
        ),
    ),
    "Struct forbidding unknown fields": (
        Closed,
        st.one_of(
            st.builds(Closed, any_number, any_number), _record({"x": any_number, "y": any_number})
        ),
    ),
    "tagged union": (
        Cat | Dog,
        st.one_of(
            st.builds(Cat, any_number),
            st.builds(Dog, any_number),
            _record({"type": st.sampled_from(["Cat", "Dog"]), "lives": any_number}),
        ),
    ),
    "Literal": (Literal[1, 2, -5], _shape(st.sampled_from([1, 2, 3, -5, 2**70, 1.0]))),
    "IntEnum": (Level, _shape(st.sampled_from([Level.ONE, 2, 3, 2**70]))),
    "tuple": (tuple[int, float], _shape(st.tuples(any_number, any_number))),
    "Optional": (float | None, _shape(st.one_of(st.none(), any_number))),
    "int | str": (int | str, _shape(st.one_of(st.text(max_size=2), any_number))),
}

DIRECTIONS = ("emit", "request", "ack")


def _registry(family: str, tp: Any, direction: str) -> type[EventRegistry]:
    namespace = "/" + re.sub(r"\W", "-", family)
    if direction == "emit":
        declared: Any = Emit(tp)
    elif direction == "request":
        declared = Event(request=tp)
    else:
        declared = Event(ack=tp)
    return types.new_class(
        "Family",
        (EventRegistry,),
        {"namespace": namespace},
        lambda ns: ns.update(ev=declared),
    )


CASES = [
    (family, direction)
    for family in FAMILIES
    for direction in DIRECTIONS
    if not (direction == "ack" and family == "bigint int")  # refused: see below
]


class Link:
    """One side's outgoing check and the other side's receiving core, for one event."""

    def __init__(self, family: str, direction: str) -> None:
        registry = _registry(family, FAMILIES[family][0], direction)
        info = registry.__sioschema_info__
        self.namespace = info.namespace
        declared: Any = info.emits["ev"] if direction == "emit" else info.events["ev"]
        self.declared = declared
        self.direction = direction
        self.codec: ArgsCodec = (
            declared.payload_codec
            if direction == "emit"
            else declared.request_codec
            if direction == "request"
            else declared.ack_codec
        )
        # an emit and an ack are received by a client, a request by a server
        side = "server" if direction == "request" else "client"
        self.core = Core(registry, side=side)
        self.sessions = FakeSessions(handled={"ev"})
        self.sessions.joined = {("e1", self.namespace): "s1"}
        self.sessions.awaited = {("s1", 7)}
        self.core.attach(self.sessions, Packet.reconstruct_binary, raw_out=False)

    def send(self, value: Any, *, raw: bool) -> str:
        """The JSON text of ``value`` as it would be sent; raises ``PayloadError``."""
        out = self.codec.encode(value, "ev", self.namespace, raw=raw)
        if raw:
            assert isinstance(out, msgspec.Raw)
            return bytes(out).decode()
        # python-socketio writes a packet's data with stdlib json (NaN would be `NaN`)
        return json.dumps(out)

    def frame(self, text: str) -> str:
        prefix = "" if self.namespace == "/" else self.namespace + ","
        if self.direction == "ack":
            return "3" + prefix + "7[" + text + "]"
        return "2" + prefix + '["ev",' + text + "]"

    def receive(self, text: str) -> tuple[str, Any]:
        """``("ok", typed value)`` or ``("refused", code)`` for JSON text received."""
        (action,) = self.core.receive("e1", self.frame(text))
        if isinstance(action, Reply):
            return "refused", action.reply["error"]["code"]
        if isinstance(action, AckRefused):  # the ack's waiter fails with this code
            return "refused", action.code
        if isinstance(action, Acked):
            try:
                (typed,) = self.core.read_ack(self.declared, self.namespace, tuple(action.args))
            except PayloadError as error:
                return "refused", error.code
            return "ok", typed
        assert isinstance(action, Deliver), action
        assert action.declared is self.declared
        (typed,) = action.args
        return "ok", typed


LINKS = {case: Link(*case) for case in CASES}


def _naive(value: Any) -> str | None:
    """The JSON a sender that checks nothing would write (stdlib json, as
    python-socketio's own packets do), or ``None`` when there is none."""
    try:
        return json.dumps(msgspec.to_builtins(value, enc_hook=_raw_hook))
    except (TypeError, ValueError):
        return None


def _non_finite(value: Any) -> bool:
    """Whether a value holds a NaN or an infinity (``msgspec.Raw`` read by stdlib json)."""
    try:
        return not is_finite(msgspec.to_builtins(value, enc_hook=_raw_hook))
    except (TypeError, ValueError):
        return False


def _raw_hook(obj: Any) -> Any:
    if isinstance(obj, msgspec.Raw):
        return json.loads(bytes(obj))  # NaN, Infinity and 1e400 read as floats, as stdlib does
    raise TypeError


@pytest.mark.parametrize(("family", "direction"), CASES, ids=[f"{f}-{d}" for f, d in CASES])
def test_what_one_side_sends_the_other_receives(family: str, direction: str) -> None:
    """A value the outgoing check accepts goes out as JSON the receiving core accepts
    (typed as the type says); one it refuses as a number (``invalid_number``) is, sent
    unchecked, refused by the receiving core with the same code."""
    link = LINKS[family, direction]

    @settings(derandomize=True, database=None, max_examples=60, deadline=None)
    @given(FAMILIES[family][1], st.booleans())
    def check(value: Any, raw: bool) -> None:
        try:
            text = link.send(value, raw=raw)
        except PayloadError as error:
            naive = _naive(value)
            if error.code == "invalid_number" and naive is not None:
                assert link.receive(naive) == ("refused", "invalid_number"), (error, naive)
            if _non_finite(value):  # NaN is never reported as msgspec's `null`
                assert error.code == "invalid_number", error
            return
        verdict, typed = link.receive(text)
        assert verdict == "ok", (value, text, typed)

    check()


@pytest.mark.parametrize(("family", "direction"), CASES, ids=[f"{f}-{d}" for f, d in CASES])
def test_what_one_side_receives_it_may_send(family: str, direction: str) -> None:
    """JSON text the receiving core accepts: its typed value, and its JSON value as
    decoded without a type, pass the outgoing check on both output forms."""
    link = LINKS[family, direction]

    @settings(derandomize=True, database=None, max_examples=60, deadline=None)
    @given(FAMILIES[family][1])
    def check(value: Any) -> None:
        text = _naive(value)
        if text is None:
            return
        verdict, typed = link.receive(text)
        if verdict != "ok":
            return
        for raw in (True, False):
            link.send(typed, raw=raw)
            link.send(msgspec.json.decode(text), raw=raw)

    check()


# -- the concrete cases -------------------------------------------------------------------


class Game(EventRegistry):
    scored = Emit(int)
    traced = Emit(Point)
    pair = Emit((int, list[float]))
    any = Emit(Any)
    raw = Emit(msgspec.Raw)
    huge = Emit(BigInt)
    named = Emit(dict[str, int])


def _refusal(emit: Emit[Any, Any], value: Any, *, raw: bool) -> tuple[str, str, str | None]:
    with pytest.raises(PayloadError) as caught:
        emit.payload_codec.encode(value, emit.name, "/", raw=raw)
    return caught.value.code, caught.value.detail, caught.value.path


RAW = pytest.mark.parametrize("raw", [True, False], ids=["raw", "builtins"])


@RAW
def test_an_integer_beyond_int64_is_refused_with_its_path(raw: bool) -> None:
    assert _refusal(Game.scored, 2**70, raw=raw) == (
        "invalid_number",
        "Integer out of the int64 range",
        "$",
    )
    assert _refusal(Game.traced, Point(x=2**63), raw=raw) == (
        "invalid_number",
        "Integer out of the int64 range - at `$.x`",
        "$.x",
    )
    assert _refusal(Game.pair, (-(2**63) - 1, []), raw=raw) == (
        "invalid_number",
        "Integer out of the int64 range - at `$[0]`",
        "$[0]",
    )
    assert _refusal(Game.any, {"a": [1, 2**64]}, raw=raw) == (
        "invalid_number",
        "Integer out of the int64 range - at `$.a[1]`",
        "$.a[1]",
    )
    assert _refusal(Game.named, {"b c": 2**70}, raw=raw) == (
        "invalid_number",
        'Integer out of the int64 range - at `$["b c"]`',
        '$["b c"]',
    )


@RAW
def test_nan_in_a_declared_float_is_invalid_number_not_null(raw: bool) -> None:
    assert _refusal(Game.traced, {"x": 1, "y": math.nan}, raw=raw) == (
        "invalid_number",
        "NaN and Infinity are not JSON - at `$.y`",
        "$.y",
    )
    assert _refusal(Game.pair, (1, [0.5, -math.inf]), raw=raw) == (
        "invalid_number",
        "NaN and Infinity are not JSON - at `$[1][1]`",
        "$[1][1]",
    )
    assert _refusal(Game.any, [math.nan], raw=raw) == (
        "invalid_number",
        "NaN and Infinity are not JSON - at `$[0]`",
        "$[0]",
    )


@RAW
def test_raw_json_holding_numbers_no_receiver_accepts_is_refused(raw: bool) -> None:
    nan = ("invalid_number", "NaN and Infinity are not JSON", "$")
    assert _refusal(Game.raw, msgspec.Raw(b"[NaN]"), raw=raw) == nan
    assert _refusal(Game.raw, msgspec.Raw(b"1e400"), raw=raw) == (
        "invalid_number",
        "Number out of range",
        "$",
    )
    assert _refusal(Game.raw, msgspec.Raw(b"[123456789012345678901]"), raw=raw) == (
        "invalid_number",
        "Integer out of the int64 range - at `$[0]`",
        "$[0]",
    )


@RAW
def test_what_passes_is_sent_unchanged(raw: bool) -> None:
    """Declared big integers, int64's edges, digit runs in strings, and numbers in
    fields the validated form drops (they never leave)."""
    assert Game.huge.payload_codec.encode(2**70, "huge", "/", raw=raw) in (
        2**70,
        msgspec.Raw(b"1180591620717411303424"),
    )
    edge = Game.pair.payload_codec.encode((-(2**63), [1e308]), "pair", "/", raw=raw)
    assert [bytes(part) if raw else part for part in edge] == (
        [b"-9223372036854775808", b"[1e308]"] if raw else [-(2**63), [1e308]]
    )
    memo = Game.any.payload_codec.encode("12345678901234567890123", "any", "/", raw=raw)
    assert memo in ("12345678901234567890123", msgspec.Raw(b'"12345678901234567890123"'))
    dropped = Game.traced.payload_codec.encode({"x": 1, "zz": 2**70}, "traced", "/", raw=raw)
    assert dropped in ({"x": 1, "y": 0.0}, msgspec.Raw(b'{"x":1,"y":0.0}'))


def test_a_bigint_ack_or_auth_is_refused_at_class_creation() -> None:
    """Every ACK and CONNECT packet is screened without ``bigint``: such a type could
    be sent but never received."""
    with pytest.raises(RegistryError) as caught:

        class Acks(EventRegistry):
            ask = Event(ack=BigInt)

    assert str(caught.value).endswith(
        ".Acks.ask ack: `Meta(extra={'bigint': True})` is only honoured in requests and "
        "emits; the screening of every ACK and CONNECT packet refuses integers beyond "
        "int64 (`invalid_number`), so this type could never be received; send such "
        "integers as strings (`str`) or in a request or emit"
    )
    with pytest.raises(RegistryError, match="is only honoured in requests and emits"):

        class Auth(EventRegistry, auth=BigInt):
            pass
