"""The per-event codecs, without a server."""

from __future__ import annotations

import pickle
from typing import Annotated, Any

import msgspec
import pytest

from sioschema import Emit, Event, EventRegistry, PayloadError


class Point(msgspec.Struct):
    x: Annotated[int, msgspec.Meta(ge=0)]
    y: int = 0


class Api(EventRegistry, namespace="/t"):
    point = Event(request=Point, ack=Point)
    two = Event(request=(Point, str), ack=(int, int))
    none = Event()
    told = Emit(Point)
    many = Emit((int, str))
    empty = Emit(None)


def test_decode_returns_typed_objects() -> None:
    assert Api.point.request_codec.decode(({"x": 1},), "point", "/t") == (Point(1, 0),)
    assert Api.two.request_codec.decode([{"x": 1}, "s"], "two", "/t") == (Point(1), "s")
    assert Api.none.request_codec.decode((), "none", "/t") == ()


def test_decode_errors_are_whole_and_structured() -> None:
    with pytest.raises(PayloadError) as exc_info:
        Api.point.request_codec.decode(({"x": -1},), "point", "/t")
    err = exc_info.value
    assert str(err) == "Invalid request for `point` on `/t`: Expected `int` >= 0 - at `$.x`"
    assert (err.code, err.event, err.path, err.namespace) == (
        "invalid_payload",
        "point",
        "$.x",
        "/t",
    )
    assert err.reply() == {
        "error": {
            "code": "invalid_payload",
            "message": "Expected `int` >= 0 - at `$.x`",
            "path": "$.x",
            "event": "point",
        }
    }
    with pytest.raises(PayloadError) as exc_info:
        Api.two.request_codec.decode(({"x": 1}, 2), "two", "/t")
    assert exc_info.value.path == "$[1]"
    assert exc_info.value.detail == "Expected `str`, got `int` - at `$[1]`"
    with pytest.raises(PayloadError) as exc_info:
        Api.two.request_codec.decode(({"x": 1}, "s", 3), "two", "/t")
    assert (exc_info.value.code, exc_info.value.detail) == (
        "bad_arity",
        "Expected 2 arguments, got 3",
    )


def test_payload_error_pickles() -> None:
    err = PayloadError("bad_arity", "e", "Expected 1 argument, got 0", path="$", namespace="/n")
    back = pickle.loads(pickle.dumps(err))
    assert (str(back), back.code, back.path) == (str(err), "bad_arity", "$")


def test_encode_validates_and_normalises() -> None:
    codec = Api.told.payload_codec
    assert codec.encode(Point(1, 2), "told", "/t") == {"x": 1, "y": 2}
    assert codec.encode({"x": 1, "extra": True}, "told", "/t") == {"x": 1, "y": 0}
    with pytest.raises(PayloadError) as exc_info:
        codec.encode(Point(-5), "told", "/t")  # Structs do not check constraints themselves
    assert str(exc_info.value) == "Invalid emit for `told` on `/t`: Expected `int` >= 0 - at `$.x`"
    assert Api.many.payload_codec.encode((1, "a"), "many", "/t") == (1, "a")
    with pytest.raises(PayloadError, match="Expected a tuple of 2 arguments, got 1"):
        Api.many.payload_codec.encode(1, "many", "/t")
    assert Api.empty.payload_codec.encode(None, "empty", "/t") is None
    with pytest.raises(PayloadError, match="Expected no value, got `int`"):
        Api.empty.payload_codec.encode(1, "empty", "/t")
    with pytest.raises(PayloadError, match="Invalid emit for `told` on `/t`: "):
        codec.encode(object(), "told", "/t")


def test_codecs_are_built_once() -> None:
    """The codec objects and their msgspec plan are created with the class, never per call."""
    codec = Api.point.request_codec
    struct: Any = codec._struct
    for _ in range(3):
        codec.decode(({"x": 1},), "point", "/t")
    assert Api.point.request_codec is codec
    assert codec._struct is struct


# -- msgspec.Raw going out: the same on the msgspec (raw=True) and builtins paths ------


class Envelope(msgspec.Struct):
    kind: str
    body: msgspec.Raw


class Measured(msgspec.Struct):
    value: float
    body: msgspec.Raw


class Raws(EventRegistry, namespace="/raws"):
    top = Emit(msgspec.Raw)
    nested = Emit(Envelope, ack=Envelope)
    several = Emit((Envelope, int))
    listed = Emit(list[msgspec.Raw])
    measured = Emit(Measured)
    blob = Emit(bytes)
    number = Emit(int)


def _sent(codec: Any, value: Any, name: str, raw: bool) -> Any:
    """What ``encode`` sends, as JSON values (a ``Raw`` read as the JSON it holds)."""
    out = codec.encode(value, name, "/raws", raw=raw)
    if not raw:
        return out
    if isinstance(out, tuple):
        return tuple(msgspec.json.decode(part) for part in out)
    return msgspec.json.decode(out)


RAW_VALUES = [
    ("top", msgspec.Raw(b'{"a":[1,{"b":null}]}'), {"a": [1, {"b": None}]}),
    (
        "nested",
        Envelope("move", msgspec.Raw(b'{"x":[1,2]}')),
        {"kind": "move", "body": {"x": [1, 2]}},
    ),
    # a dict with an undeclared field: sent in its validated form
    ("nested", {"kind": "k", "body": msgspec.Raw(b"3"), "secret": 1}, {"kind": "k", "body": 3}),
    ("several", (Envelope("k", msgspec.Raw(b'"s"')), 3), ({"kind": "k", "body": "s"}, 3)),
    ("listed", [msgspec.Raw(b"1"), msgspec.Raw(b"{}")], [1, {}]),
    ("measured", Measured(1.5, msgspec.Raw(b"null")), {"value": 1.5, "body": None}),
    # bytes go out as base64 text on both paths, as before
    ("blob", b"\x01\x02", "AQI="),
    # a Raw where another type is declared is validated as the JSON it holds
    ("number", msgspec.Raw(b"5"), 5),
]


@pytest.mark.parametrize("raw", [True, False], ids=["raw", "builtins"])
@pytest.mark.parametrize(("name", "value", "sent"), RAW_VALUES)
def test_raw_goes_out_on_every_path(name: str, value: Any, sent: Any, raw: bool) -> None:
    codec = getattr(Raws, name).payload_codec
    assert _sent(codec, value, name, raw) == sent


def test_a_raw_ack_goes_out_on_every_path() -> None:
    codec = Raws.nested.ack_codec
    assert codec is not None
    value = Envelope("k", msgspec.Raw(b"[true]"))
    assert codec.encode(value, "nested", "/raws") == {"kind": "k", "body": [True]}
    raw = codec.encode(value, "nested", "/raws", raw=True)
    assert raw == msgspec.Raw(b'{"kind":"k","body":[true]}')


RAW_ERRORS = [
    ("top", msgspec.Raw(b"garbage"), "$", "A `msgspec.Raw` value does not hold one JSON value"),
    ("top", msgspec.Raw(b"1,2"), "$", "A `msgspec.Raw` value does not hold one JSON value"),
    (
        "nested",
        Envelope("k", msgspec.Raw(b"{")),
        "$",
        "A `msgspec.Raw` value does not hold one JSON value",
    ),
    ("number", msgspec.Raw(b'"5"'), "$", "Expected `int`, got `str`"),
    (
        "nested",
        {"kind": 1, "body": msgspec.Raw(b"1")},
        "$.kind",
        "Expected `str`, got `int` - at `$.kind`",
    ),
    ("nested", Envelope("k", object()), "$", "Encoding objects of type object is unsupported"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize("raw", [True, False], ids=["raw", "builtins"])
@pytest.mark.parametrize(("name", "value", "path", "detail"), RAW_ERRORS)
def test_a_bad_raw_is_refused_alike_on_every_path(
    name: str, value: Any, path: str, detail: str, raw: bool
) -> None:
    codec = getattr(Raws, name).payload_codec
    with pytest.raises(PayloadError) as info:
        codec.encode(value, name, "/raws", raw=raw)
    assert (info.value.code, info.value.path, info.value.detail) == (
        "invalid_payload",
        path,
        detail,
    )
