"""``Meta(pattern=...)`` means the same on the server and in the documents.

The server checks a pattern with Python's ``re`` (through msgspec); the AsyncAPI document
and the TypeScript contract carry its JavaScript spelling, which node compiles here as
JSON Schema validators do (``new RegExp(pattern, "u")``): for every portable pattern and
every test string, both engines agree. Patterns without an exact spelling are refused
when the registry class is created.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any

import msgspec
import pytest

from sioschema import Emit, Event, EventRegistry, RegistryError, typescript
from sioschema._regex import Unportable, js_pattern
from sioschema.asyncapi import render
from tests.node import run_node

PORTABLE = [
    r"^[a-z]+$",
    r"^[a-z]+\Z",
    r"\A[0-9]{4}\Z",
    r"^@[a-z0-9_]{2,15}$",
    r"^.{1,3}$",
    r"^a.c",
    r"(?P<year>[0-9]{2})-(?P=year)",
    r"^(a)\1$",
    r"^(a|b)\1$",  # alternatives inside the group: it still takes part
    r"(a)(b)\2\1",
    r"(?=a)b|(?!a)b|(?<=a)b",
    r"x{,2}y",
    r"^{x}$",
    r"[]a]+",
    r"[^]a]",
    r"^[\[\]]$",
    r"\#\-\é\ \:",
    r"[\b]",
    r"\a|\0|\012|\x41|\u00e9|\U0001F600|\N{BULLET}",
    r"(?#a comment)^b",
    r"^(?:ab|cd)(?=e)",
    r"(?<!x)y",
    r"(?<=x)y$",
    r"a]b",
    r"^[^\n]*$",
    r"^\$[0-9]+\.[0-9]{2}$",
    r"\t\n\r\f\v",
    r"^[a-z]*?q",
    r"(?i:)",  # not portable: listed in REFUSED, never reaches node
][:-1]

STRINGS = [
    "", "abc", "abc\n", "abc\n\n", "\nabc", "abc\r", "a\rc", "a\u2028c", "a\u2029c", "a\nc",
    "1234", "١٢٣٤", "１２３４", "12345", "名前", "@ada", "@ad", "@ádá", "ab", "aa", "a", "b",
    "x", "xy", "xxy", "xxxy", "y", "{x}", "]", "a]b", "[", "-", "#- é :", "\b", "\x07", "\x00",
    "\n", "A", "é", "😀", "•", "ab-ab", "12-12", "12-13", "abe", "cde", "abd", "$12.50", "$1.5",
    "\t\n\r\f\v", "zzzq", "Q", "a b", "a\u00a0b", "aa\n",
]  # fmt: skip


def test_portable_patterns_match_the_same_strings_in_python_and_javascript(
    tmp_path: Path,
) -> None:
    cases = [[js_pattern(p), STRINGS] for p in PORTABLE]
    file = tmp_path / "cases.json"
    file.write_text(json.dumps(cases), encoding="utf-8")
    results = run_node("regex.mjs", str(file))
    for pattern, result in zip(PORTABLE, results, strict=True):
        assert not isinstance(result, dict), (pattern, js_pattern(pattern), result)
        # what msgspec enforces, string by string
        checked = Annotated[str, msgspec.Meta(pattern=pattern)]
        server = []
        for s in STRINGS:
            try:
                msgspec.convert(s, checked)
            except msgspec.ValidationError:
                server.append(False)
            else:
                server.append(True)
        disagree = [s for s, a, b in zip(STRINGS, server, result, strict=True) if a != b]
        assert disagree == [], (pattern, js_pattern(pattern))


# refused constructs, handed to node as written: each one matches differently there
# (or does not compile), which is why it is refused
DIVERGENT = [
    (r"(a)?\1b", "b"),  # a group that did not take part: JavaScript matches it empty
    (r"^(?:(a)|b)+\1$", "ab"),  # JavaScript resets captures on each repetition
    (r"^(?:(a)|b)+\1$", "aba"),
    (r"(?:x|(a))\1y", "xy"),
    (r"(?P<q>a)?(?P=q)b", "b"),
    (r"(?=a)*b", "b"),  # "Invalid quantifier" in u mode
    (r"(?!a)?b", "b"),
    (r"(?<=a)?b", "b"),
    (r"(?=a){2}", "a"),
    (r"\ud83d\ude00", "😀"),  # one character in JavaScript, two lone halves in Python
    (r"[\ud83d\ude00]", "😀"),
]


def test_refused_constructs_match_differently_in_javascript(tmp_path: Path) -> None:
    file = tmp_path / "cases.json"
    spelled = [(p.replace("(?P<q>", "(?<q>").replace("(?P=q)", "\\k<q>"), s) for p, s in DIVERGENT]
    file.write_text(json.dumps([[p, [s]] for p, s in spelled]), encoding="utf-8")
    for (pattern, string), result in zip(DIVERGENT, run_node("regex.mjs", str(file)), strict=True):
        python = re.search(pattern, string) is not None
        assert isinstance(result, dict) or result != [python], (pattern, string, result)
        with pytest.raises(Unportable):
            js_pattern(pattern)


def test_the_translations() -> None:
    assert js_pattern(r"^[a-z]+$") == r"^[a-z]+(?=\n?$)"
    assert js_pattern(r"\A[0-9]{4}\Z") == r"^[0-9]{4}$"
    assert js_pattern(r"(?P<y>[0-9])(?P=y).") == r"(?<y>[0-9])\k<y>[^\n]"
    assert js_pattern(r"x{,2}\{\#\U0001F600") == r"x{0,2}\{#\u{1F600}"
    assert js_pattern(r"[]a](?#note)") == r"[\]a]"


_REF = (
    "refers to a group that is optional, repeated, in an alternative or a lookaround: when it "
    "did not take part, JavaScript matches the reference empty and Python fails, and "
    "JavaScript resets it on each repetition; write the cases out with the group taken part "
    "(`(a)\\1b` for `(a)?\\1b`, all Python matches)"
)
_LOOK = (
    "quantifies a lookaround, which JavaScript's `u` mode refuses (Invalid quantifier); drop "
    "the quantifier, or write the optional case out (`(?=a)b|b` for `(?=a)?b`)"
)
_PAIR = (
    "is a UTF-16 surrogate pair, which Python reads as two lone surrogates (matching no text) "
    "and JavaScript's `u` mode as one character; write `\\U0001F600`"
)
_LONE = (
    "is a lone UTF-16 surrogate, half of a pair: it matches no JSON string in Python, and "
    "JavaScript's `u` mode reads it with its neighbour as one character; write the whole "
    "character, e.g. `\\U0001F600`"
)

REFUSED = {
    r"^\d{4}$": "`\\d` matches every Unicode digit (`١`, `１`) in Python, only 0-9 in "
    "JavaScript; write `[0-9]`",
    r"^\w{2,12}$": "`\\w` is Unicode-aware in Python's `re` and ASCII-only in JavaScript; "
    "write `[A-Za-z0-9_]`",
    r"\s": "`\\s` matches different whitespace in Python and JavaScript; "
    "write `[ \\t\\n\\r\\f\\v]`",
    r"\bword": "`\\b` depends on `\\w`, which is Unicode-aware in Python's `re` and ASCII-only "
    "in JavaScript; write lookarounds over an explicit class, e.g. `(?<![A-Za-z0-9_])`",
    r"(?i)abc": "`(?i)` sets inline flags, which JavaScript patterns cannot; spell the flag "
    "out, e.g. `[Aa]` for a case-insensitive `a`",
    r"(?a:x)": "`(?a:` sets inline flags, which JavaScript patterns cannot; spell the flag "
    "out, e.g. `[Aa]` for a case-insensitive `a`",
    r"(?(1)a|b)": "`(?(1)` is a conditional group, which JavaScript does not have; "
    "spell out both cases",
    r"(a)?\1b": "`\\1` " + _REF,
    r"^(?:(a)|b)+\1$": "`\\1` " + _REF,
    r"(?:x|(a))\1y": "`\\1` " + _REF,
    r"((a))*\2": "`\\2` " + _REF,  # an enclosing group repeated
    r"(?=(a))\1": "`\\1` " + _REF,
    r"(?P<q>a)?(?P=q)b": "`(?P=q)` " + _REF,
    r"(?=a)*b": "`*` " + _LOOK,
    r"(?!a)?b": "`?` " + _LOOK,
    r"(?<=a)?b": "`?` " + _LOOK,
    r"(?<!a)+b": "`+` " + _LOOK,
    r"(?=a){2}": "`{2}` " + _LOOK,
    r"\ud83d\ude00": "`\\ud83d\\ude00` " + _PAIR,
    r"[\ud83d\ude00]": "`\\ud83d\\ude00` " + _PAIR,
    r"a\ud800": "`\\ud800` " + _LONE,
    r"\U0000DC00": "`\\U0000DC00` " + _LONE,
    "x\udfff": "`\\udfff` " + _LONE,  # the character itself
}


@pytest.mark.parametrize("pattern", sorted(REFUSED))
def test_unportable_constructs_are_refused(pattern: str) -> None:
    with pytest.raises(Unportable) as caught:
        js_pattern(pattern)
    assert str(caught.value) == REFUSED[pattern]


class Name(msgspec.Struct):
    first: Annotated[str, msgspec.Meta(pattern=r"^\w{2,12}$")]


def test_a_registry_refuses_an_unportable_pattern_naming_event_type_and_construct() -> None:
    with pytest.raises(RegistryError) as caught:

        class Api(EventRegistry):
            rename = Event(request=(int, Name))

    assert str(caught.value).endswith(
        ".Api.rename request: the pattern '^\\\\w{2,12}$' in `Name` means one thing on the "
        "server (Python `re`) and another in the documents (JavaScript): `\\w` is "
        "Unicode-aware in Python's `re` and ASCII-only in JavaScript; write `[A-Za-z0-9_]`"
    )
    # on every path: emits, acks and dict keys too
    for declared in (
        Emit(Annotated[str, msgspec.Meta(pattern=r"\d")]),
        Event(ack=list[Annotated[str, msgspec.Meta(pattern=r"(?i)a")]]),
        Event(request=dict[Annotated[str, msgspec.Meta(pattern=r"\s")], int]),
    ):
        with pytest.raises(RegistryError, match="means one thing on the server"):
            type("Api", (EventRegistry,), {"ev": declared})


def test_the_documents_carry_the_javascript_spelling() -> None:
    year = Annotated[str, msgspec.Meta(pattern=r"^(?P<y>[0-9]{4})$")]

    class Dates(EventRegistry):
        when = Event(request=year, ack=dict[Annotated[str, msgspec.Meta(pattern=r"\Aid")], Any])

    document = render(Dates)
    text = json.dumps(document)
    assert json.dumps(r"^(?<y>[0-9]{4})(?=\n?$)") in text
    assert json.dumps(r"^id") in text
    assert "(?P<" not in text
    contract = typescript.render(Dates)
    assert "@pattern ^(?<y>[0-9]{4})(?=\\n?$)" in contract
