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
