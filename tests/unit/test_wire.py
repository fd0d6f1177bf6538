"""What the screening makes of a frame's JSON: its answers to JSON no type can hold."""

from __future__ import annotations

import pytest

from sioschema import Event, EventRegistry, Limits
from sioschema._codec import PacketCodec
from sioschema._wire import WireError, decode_json, number_text
from sioschema.inspect import by_namespace


class Api(EventRegistry):
    say = Event(request=str)


CODEC = PacketCodec(by_namespace(Api), Limits())


@pytest.mark.parametrize(
    ("body", "escape", "byte"),
    [
        ('["say","\\ud800"]', "\\ud800", 8),  # a high half at the end of a string
        ('["say","\\ud800x"]', "\\ud800", 8),  # followed by a character
        ('["say","\\ud800\\u0041"]', "\\ud800", 8),  # followed by another escape
        ('["say","\\udc00"]', "\\udc00", 8),  # a low half alone
        ('["say","\\ud83d\\ude00\\udfff"]', "\\udfff", 20),  # after a whole pair
        ('["say","é\\uDBFF"]', "\\uDBFF", 10),  # the byte offset counts UTF-8 bytes
        ('["say","\ud800"]', "\\ud800", 8),  # a surrogate in the str itself
    ],
)
def test_a_lone_surrogate_is_named(body: str, escape: str, byte: int) -> None:
    """msgspec reports these as "Input data was truncated" or an invalid pair; the
    screening says what they are, and the one pass leaves them to it."""
    with pytest.raises(WireError) as info:
        decode_json(body, Limits())
    assert (info.value.code, info.value.detail) == (
        "bad_packet",
        f"Invalid JSON: lone surrogate `{escape}` in a string (byte {byte}): half of a UTF-16 pair",
    )
    assert CODEC.decode_frame("2" + body) is None
    assert CODEC.decode_event("/", body) is None


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ('["say","\\\\ud800"]', "\\ud800"),  # an escaped backslash, then letters
        ('["say","\\ud83d\\ude00"]', "\U0001f600"),  # a whole pair
    ],
)
def test_what_only_looks_like_a_lone_surrogate_is_text(body: str, text: str) -> None:
    assert decode_json(body, Limits()) == ["say", text]
    typed = CODEC.decode_event("/", body)
    assert typed is not None and typed[4] == (text,)


def test_truncated_input_keeps_msgspec_s_message() -> None:
    with pytest.raises(WireError) as info:
        decode_json('["say","abc', Limits())
    assert info.value.detail == "Invalid JSON: Input data was truncated"


def test_number_text() -> None:
    assert number_text('["é",-1.5E+400,"x"]') == b"      -0.0e+000     "
