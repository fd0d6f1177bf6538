"""What the screening makes of a frame's JSON: its answers to JSON no type can hold."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sioschema import Event, EventRegistry, Limits
from sioschema._codec import PacketCodec
from sioschema._wire import (
    WireError,
    decode_json,
    lone_surrogate,
    long_ints,
    nesting,
    number_text,
)
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


# the description as a loop over every escape once gave it (about 40 times what
# decoding a valid frame of the same size costs): the answers it gave stay the answers
_ANY_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)", re.DOTALL)


def _lone_surrogate_by_loop(text: str) -> str | None:
    found: tuple[int, str] | None = None
    high: re.Match[str] | None = None
    for match in _ANY_ESCAPE.finditer(text):
        code = match.group(1)
        value = int(code, 16) if code is not None else 0
        if high is not None:
            if 0xDC00 <= value <= 0xDFFF and match.start() == high.end():
                high = None
                continue
            break
        if 0xD800 <= value <= 0xDBFF:
            high = match
        elif 0xDC00 <= value <= 0xDFFF:
            found = (match.start(), match.group())
            break
    if high is not None:
        found = (high.start(), high.group())
    char = re.search("[\ud800-\udfff]", text)
    if char is not None and (found is None or char.start() < found[0]):
        found = (char.start(), f"\\u{ord(char.group()):04x}")
    if found is None:
        return None
    at, escape = found
    offset = len(text[:at].encode("utf-8", "surrogatepass"))
    return f"lone surrogate `{escape}` in a string (byte {offset}): half of a UTF-16 pair"


_PIECES = [
    "\\",
    "\\\\",
    "u",
    "d",
    "D",
    "8",
    "b",
    "c",
    "f",
    "0",
    "x",
    "é",
    '"',
    "\\ud800",
    "\\uDBFF",
    "\\udc00",
    "\\uDFFF",
    "\\ud83d\\ude00",
    "\\u0041",
    "\ud800",
    "\udfff",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_a_lone_surrogate_is_described_as_before(text: str) -> None:
    assert lone_surrogate(text) == _lone_surrogate_by_loop(text)


@pytest.mark.parametrize(
    "text",
    [
        "\\\\\\ud800",  # an escaped backslash, then an escape
        "\\\\\\\\ud800",  # two escaped backslashes, then letters
        "\\ud800\\ud800\\udc00",  # a high half, then a pair
        "\\ud800\\\\udc00",  # a high half, then an escaped backslash
        "\\\\ud800\\udc00",  # letters, then a low half alone
        "\\uD83D\\uDE00\\ud83d",  # a pair in capitals, then a high half
        "\\ud83d\\ude00" * 50 + "\\udc00",
        "é\udfff\\ud800",  # a surrogate character before a lone escape
        "\\ud800é\udfff",  # and after one
        "\\u00e9\\u",
        "",
    ],
)
def test_tricky_texts_are_described_as_before(text: str) -> None:
    assert lone_surrogate(text) == _lone_surrogate_by_loop(text)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (
            '["s","' + "\\n" * 45000 + '\\ud800"]',
            "lone surrogate `\\ud800` in a string (byte 90006)",
        ),
        ('["s","' + "\\n" * 45000, "Input data was truncated"),
        (
            '["s","' + "\\\\" * 45000 + '\\udfff"]',
            "lone surrogate `\\udfff` in a string (byte 90006)",
        ),
        (
            '["s","' + "\\ud83d\\ude00" * 7000 + '\\ud800"]',
            "lone surrogate `\\ud800` in a string (byte 84006)",
        ),
    ],
)
def test_hostile_frames_are_described_as_before(body: str, detail: str) -> None:
    """The shapes benchmarks/rejections.py counts: a long run of escapes before a lone
    surrogate or the end of the text."""
    with pytest.raises(WireError) as info:
        decode_json(body, Limits())
    assert info.value.code == "bad_packet"
    assert info.value.detail.startswith(f"Invalid JSON: {detail}")
    assert lone_surrogate(body) == _lone_surrogate_by_loop(body)


def test_number_text() -> None:
    assert number_text('["é",-1.5E+400,"x"]') == b"      -0.0e+000     "


# -- depth and int64 read off the text, not walked -------------------------------------

_BRACKETY = st.text(alphabet='[]{}"\\ab1', max_size=6)
"""Strings full of what a text reading could mistake for structure."""
_deep_value = st.recursive(
    st.one_of(
        _BRACKETY,
        st.integers(),  # beyond int64 too
        st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from([None, True, 10**18, 2**63, -(2**63), -(2**63) - 1]),
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_BRACKETY, inner, max_size=3),
    max_leaves=40,
)


def _walked_depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max(map(_walked_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_walked_depth, value.values()), default=0)
    return 0


def _walked_long(value: object) -> bool:
    if type(value) is int:
        return not -(2**63) <= value < 2**63
    if isinstance(value, list):
        return any(map(_walked_long, value))
    if isinstance(value, dict):
        return any(map(_walked_long, value.values()))
    return False


@given(value=_deep_value, spaced=st.booleans())
def test_the_text_reading_agrees_with_a_walk_of_the_value(value: object, spaced: bool) -> None:
    """Brackets and quotes inside strings, escapes, exponents and fractions beside long
    digit runs: the depth and the int64 check read off the text are the walk's."""
    text = json.dumps(value, separators=(", ", ": ") if spaced else (",", ":"))
    assert nesting(text, 100) == _walked_depth(value)
    assert long_ints(text) == _walked_long(value)


@pytest.mark.parametrize(
    ("text", "long"),
    [
        ("[1e1234567890123456789012]", False),
        ("[1.1234567890123456789012]", False),
        ("[1234567890123456789012.5]", False),
        ("[1E-12345678901234567890]", False),
        ("[-9223372036854775808, 9223372036854775807]", False),
        ("[-9223372036854775809]", True),
        ("[9223372036854775808]", True),
        ('["12345678901234567890123", 1]', False),
    ],
)
def test_long_integer_literals(text: str, long: bool) -> None:
    assert long_ints(text) is long


def test_nesting_stops_past_its_limit() -> None:
    deep = "[" * 40 + "]" * 40
    assert nesting(deep, 33) == 34
    assert nesting("[" * 33 + "]" * 33, 33) == 33


@pytest.mark.parametrize(
    ("body", "code", "detail"),
    [
        # 30,000 tiny containers: shallow, decoded, not walked
        ('["say",' + ",".join(["[]"] * 30_000) + "]", None, None),
        ('["say",[' + ",".join(['{"a":"]]]]"}'] * 5_000) + "]]", None, None),
        ('["say",' + "[" * 32 + "]" * 32 + "]", None, None),
        ('["say",' + "[" * 33 + "]" * 33 + "]", "payload_too_deep", "Nesting deeper than 32"),
        (
            '["say",[' + ",".join(["[]"] * 3_000) + "]," + "[" * 33 + "]" * 33 + "]",
            "payload_too_deep",
            "Nesting deeper than 32",
        ),  # noqa: E501
        (
            '["say",[' + ",".join(["{}"] * 3_000) + '],"x",-9223372036854775809]',
            "invalid_number",
            "Integer out of the int64 range",
        ),  # noqa: E501
        # too deep and too long: the depth is answered
        (
            '["say",' + "[" * 33 + "9223372036854775808" + "]" * 33 + "]",
            "payload_too_deep",
            "Nesting deeper than 32",
        ),  # noqa: E501
    ],
)
def test_the_screening_reads_depth_and_integers_from_the_text(
    body: str, code: str | None, detail: str | None
) -> None:
    if code is None:
        assert decode_json(body, Limits()) == json.loads(body)
        return
    with pytest.raises(WireError) as info:
        decode_json(body, Limits())
    assert (info.value.code, info.value.detail) == (code, detail)
