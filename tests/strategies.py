"""Hypothesis strategies for hostile Socket.IO frames (all of them in one module).

``frames()`` mixes three kinds: valid event frames for the test registry, mutations of
valid frames (cut, spliced, re-nested, numbers swapped for NaN / huge values), and
random text after the Engine.IO message prefix.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from hypothesis import strategies as st

small_int = st.integers(min_value=-5, max_value=120)
word = st.text(alphabet="abcxyz", min_size=0, max_size=8)

VALID_ARGS: dict[str, st.SearchStrategy[list[Any]]] = {
    "echo_point": st.tuples(st.fixed_dictionaries({"x": small_int, "y": small_int})).map(list),
    "pair": st.tuples(st.fixed_dictionaries({"x": small_int, "y": small_int}), small_int).map(list),
    "no_args": st.just([]),
    "no_ack": st.tuples(st.fixed_dictionaries({"x": small_int, "y": small_int})).map(list),
    "chat:say": st.tuples(st.fixed_dictionaries({"room": word, "text": word})).map(list),
    "area": st.tuples(
        st.one_of(
            st.fixed_dictionaries({"type": st.just("circle"), "r": st.floats(0, 10)}),
            st.fixed_dictionaries({"type": st.just("square"), "side": st.floats(0, 10)}),
        )
    ).map(list),
    "color": st.tuples(st.sampled_from(["red", "blue", "green"])).map(list),
    "mode": st.tuples(st.sampled_from(["fast", "slow", "x"])).map(list),
    "score": st.tuples(st.fixed_dictionaries({"player": word, "points": small_int})).map(list),
    "badge": st.tuples(st.fixed_dictionaries({"name": word})).map(list),
    "big": st.tuples(st.integers(min_value=-1, max_value=2**80)).map(list),
    "legacy": st.lists(small_int, max_size=3),
    "unknown": st.lists(small_int, max_size=2),
}
"""Handlers that answer at once and never fail on valid input (no ``boom``, ``ask``...)."""


@st.composite
def valid_frame(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(sorted(VALID_ARGS)))
    args = draw(VALID_ARGS[name])
    id = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=10**6)))
    return "42" + ("" if id is None else str(id)) + json.dumps([name, *args])


JUNK = ["NaN", "Infinity", "-Infinity", "1e400", "9" * 30, "\\ud800", "{", "]", '"', ",", "-"]


@st.composite
def mutated_frame(draw: st.DrawFn) -> str:
    frame = draw(valid_frame())
    how = draw(st.sampled_from(["cut", "insert", "number", "nest", "header", "reserved"]))
    at = draw(st.integers(min_value=0, max_value=len(frame)))
    if how == "cut":
        return frame[:at]
    if how == "insert":
        return frame[:at] + draw(st.sampled_from(JUNK)) + frame[at:]
    if how == "number":
        return frame.replace("1", draw(st.sampled_from(JUNK[:5])), 1)
    if how == "nest":
        depth = draw(st.integers(min_value=1, max_value=80))
        return frame[:-1] + "," + "[" * depth + "]" * depth + "]"
    if how == "header":
        head = draw(st.sampled_from(["43", "44", "45", "46", "47", "49", "451-", "42/x,", "4"]))
        return head + frame[2:]
    return "42" + json.dumps([draw(st.sampled_from(["connect", "disconnect", "newListener"]))])


def _message(frame: str) -> str:
    # Engine.IO message; never a CONNECT / DISCONNECT of the default namespace, which
    # would change what the rest of the batch means
    if not frame.startswith("4"):
        frame = "4" + frame
    return "42" + frame[2:] if frame.startswith(("40", "41")) else frame


random_frame = st.text(max_size=40).map(lambda t: _message("4" + t))


def frames() -> st.SearchStrategy[str]:
    return st.one_of(valid_frame(), mutated_frame().map(_message), random_frame)


# -- JSON values near the edges of declared types (tests/unit/test_semantics.py) ---------

KEY_TEXT = st.sampled_from(
    [
        "1", "0", "-5", "2", "01", "+1", " 1", "1.5", "1.0", "-0.0", "1e3", "nan", "inf",
        "true", "false", "null", "red", "blue", "RED", "a", "b", "ab", "x", "",
        "2024-01-02T03:04:05Z", "2024-01-02T03:04:05", "2024-01-02", "03:04:05", "P1D", "PT1S",
        "c2b1f2a0-1234-5678-9abc-def012345678", "1.25", "AQI=", "[1]",
    ]
)  # fmt: skip
"""Strings that some key type reads as a number, a bool, an enum, a date, a UUID..."""

json_atom = st.one_of(
    KEY_TEXT,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([0, 1, 2, -1, 1.5, -0.0, 1e3, True, False, None]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=4),
)
"""A JSON scalar: integers stay in int64, the range the screening lets through."""

json_value = st.recursive(
    json_atom,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(KEY_TEXT | st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)
"""Any JSON value, built from :data:`json_atom` and :data:`KEY_TEXT` keys."""


def near(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly values of a type's shape (``valid``), sometimes anything at all."""
    return st.one_of(valid, valid, valid, json_value)


def keyed(values: st.SearchStrategy[Any] = json_atom) -> st.SearchStrategy[Any]:
    """A JSON object whose keys are the strings dict key types disagree about."""
    return near(st.dictionaries(KEY_TEXT, values, max_size=3))


def record(
    fields: dict[str, st.SearchStrategy[Any]],
    optional: dict[str, st.SearchStrategy[Any]] | None = None,
) -> st.SearchStrategy[Any]:
    """A JSON object with these fields (each field near its shape), or anything."""
    return near(
        st.fixed_dictionaries(
            {name: near(value) for name, value in fields.items()},
            optional={name: near(value) for name, value in (optional or {}).items()},
        )
    )


# -- number literals the typed decoders and the screening could read differently ---------

HOSTILE_NUMBERS = [
    "1e400",
    "-1E+400",
    "1e-400",
    "1.10",
    "1E2",
    "0.1000000000000000000001",
    "12345678901234567890",
    "-9223372036854775809",
    "9223372036854775807",
]
"""Beyond the float range, rounded to zero, trailing zeros, an exponent, more digits than a
double holds, beyond int64 and at its edge: JSON text a client can send that
``json.dumps`` of a decoded value never writes."""

# a JSON string, or a number outside one
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?')


@st.composite
def with_hostile_number(draw: st.DrawFn, values: st.SearchStrategy[Any]) -> str:
    """The JSON text of a value, with one number literal swapped for one of
    :data:`HOSTILE_NUMBERS`, or one added in a field no type declares."""
    text = json.dumps(draw(values))
    number = draw(st.sampled_from(HOSTILE_NUMBERS))
    numbers = [m for m in _TOKEN.finditer(text) if not m.group().startswith('"')]
    how = draw(st.sampled_from(["replace", "unknown field"]))
    if how == "replace" and numbers:
        found = draw(st.sampled_from(numbers))
        return text[: found.start()] + number + text[found.end() :]
    if text.startswith("{"):
        return '{"zz":' + number + ("}" if text == "{}" else "," + text[1:])
    return text


# -- numbers a server may try to send (tests/unit/test_numbers.py) -------------------------

EDGE_NUMBERS = [
    2**63 - 1, -(2**63), 2**63, -(2**63) - 1, 2**64, 2**70, -(2**70),
    math.nan, math.inf, -math.inf, 1e308, -0.0, 0.5, 1e16, 1e20,
]  # fmt: skip
"""The int64 edges and beyond, NaN and the infinities, and floats whose JSON looks long."""

any_number = st.one_of(
    st.sampled_from(EDGE_NUMBERS),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(),
    st.integers(min_value=-3, max_value=3),
)
"""A Python number as a handler might return it: in range or not, finite or not."""

numbers_json = st.recursive(
    st.one_of(any_number, st.sampled_from([None, True, "a", "1e400"])),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "b c", "x"]), inner)
    ),
    max_leaves=5,
)
"""A JSON-like Python value whose numbers are :data:`any_number`."""
