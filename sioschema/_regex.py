"""One dialect for ``Meta(pattern=...)``: what the server checks is what documents say.

msgspec checks a pattern with Python's ``re`` (``re.search``); the AsyncAPI document and
the TypeScript contract hand the same text to JavaScript (JSON Schema validators such
as ajv compile it as ``new RegExp(pattern, "u")``, also a search). The two engines
read some constructs differently. :func:`js_pattern` returns the JavaScript spelling of
a Python pattern, exact construct by construct, or raises :class:`Unportable` naming a
construct that has no exact spelling, with the portable one to write instead:

- translated (the same strings match): ``$`` (Python: the end, or before a newline at
  the end) -> ``(?=\\n?$)``; ``\\Z`` -> ``$``; ``\\A`` -> ``^``; ``.`` (Python: anything
  but ``\\n``; JavaScript also stops at ``\\r``, U+2028, U+2029) -> ``[^\\n]``;
  ``(?P<n>...)`` -> ``(?<n>...)``; ``(?P=n)`` -> ``\\k<n>``; ``(?#...)`` -> nothing;
  ``{,n}`` -> ``{0,n}``; a ``{`` or ``}`` that is no quantifier -> ``\\{`` / ``\\}``;
  ``\\a`` and octal escapes -> ``\\x..`` / ``\\u{..}``; ``\\U0001F600`` and ``\\N{...}``
  -> ``\\u{1F600}``; an escaped character JavaScript's ``u`` mode does not allow
  escaped (``\\#``, ``\\-`` outside a class, ``\\é``) -> the character; ``[`` in a class
  -> ``\\[``; ``]`` first in a class -> ``\\]``;
- refused: ``\\d \\D \\w \\W \\s \\S \\b \\B`` (Unicode-aware in Python, ASCII in
  JavaScript), inline flags (``(?i)``, ``(?a:...)``), atomic groups, possessive
  quantifiers, conditionals (``(?(1)a|b)``).

No server, no document: a pure function over the pattern's text.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = ["Unportable", "js_pattern"]


class Unportable(ValueError):
    """A construct of a Python pattern that JavaScript cannot read the same way.

    ``construct`` is the construct as written, ``hint`` what to write instead."""

    def __init__(self, construct: str, why: str, hint: str) -> None:
        super().__init__(f"`{construct}` {why}; {hint}")
        self.construct = construct
        self.why = why
        self.hint = hint


_UNICODE = "is Unicode-aware in Python's `re` and ASCII-only in JavaScript"
_CLASSES: Final = {
    "d": ("matches every Unicode digit (`١`, `１`) in Python, only 0-9 in JavaScript", "[0-9]"),
    "D": ("excludes every Unicode digit in Python, only 0-9 in JavaScript", "[^0-9]"),
    "w": (_UNICODE, "[A-Za-z0-9_]"),
    "W": (_UNICODE, "[^A-Za-z0-9_]"),
    "s": ("matches different whitespace in Python and JavaScript", "[ \\t\\n\\r\\f\\v]"),
    "S": ("matches different whitespace in Python and JavaScript", "[^ \\t\\n\\r\\f\\v]"),
    "b": (
        "depends on `\\w`, which " + _UNICODE,
        "write lookarounds over an explicit class, e.g. `(?<![A-Za-z0-9_])`",
    ),
    "B": (
        "depends on `\\w`, which " + _UNICODE,
        "write lookarounds over an explicit class, e.g. `(?<=[A-Za-z0-9_])`",
    ),
}
# escapes both engines read alike
_SAME: Final = frozenset("fnrtv")
# characters JavaScript's ``u`` mode lets a backslash escape (outside a class)
_SYNTAX: Final = frozenset("^$\\.*+?()[]{}|/")
_QUANTIFIER = re.compile(r"\{(\d*)(,?)(\d*)\}")
_GROUP_NAME = re.compile(r"\(\?P<(\w+)>")
_GROUP_REF = re.compile(r"\(\?P=(\w+)\)")
_OCTAL = re.compile(r"[0-7]{1,3}")


def _refuse(construct: str, why: str, hint: str) -> Unportable:
    return Unportable(construct, why, hint)


def _code_point(value: int) -> str:
    return f"\\u{{{value:X}}}"


def js_pattern(pattern: str) -> str:
    """The ECMAScript (``u`` mode) spelling of a Python ``re`` pattern that matches the
    same strings under ``re.search`` and ``RegExp.prototype.test``; raises
    :class:`Unportable` for a construct without one. ``pattern`` must compile in
    Python (msgspec compiles it first)."""
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    class_start = False  # right after ``[`` or ``[^``: a ``]`` there is a literal
    quantified = False  # the last token was a quantifier (a ``+`` after it: possessive)
    while i < n:
        c = pattern[i]
        was_quantified, quantified = quantified, False
        if c == "\\":
            token, i = _escape(pattern, i, in_class)
            out.append(token)
            class_start = False
            continue
        if in_class:
            if c == "]" and not class_start:
                in_class = False
                out.append("]")
            elif c == "]" or c == "[":
                out.append("\\" + c)
            elif c == "^" and class_start and out[-1] == "[":
                out.append("^")
                i += 1
                continue  # still the start: ``[^]...]`` holds a literal ``]``
            else:
                out.append(c)
            class_start = False
            i += 1
            continue
        if c == "[":
            in_class = class_start = True
            out.append("[")
        elif c == ".":
            out.append("[^\\n]")
        elif c == "$":
            out.append("(?=\\n?$)")
        elif c in "*+?":
            if was_quantified and c == "+":
                raise _refuse(
                    pattern[i - 1 : i + 1],
                    "is a possessive quantifier, which JavaScript does not have",
                    "write the plain quantifier",
                )
            if was_quantified and c == "?":
                out.append("?")  # lazy
            else:
                out.append(c)
                quantified = True
        elif c == "{":
            found = _QUANTIFIER.match(pattern, i)
            if found is None or not (found.group(1) or found.group(2) or found.group(3)):
                out.append("\\{")
            else:
                if was_quantified:
                    raise _refuse(found.group(), "repeats a quantifier", "group it: `(?:a*){2}`")
                low, comma, high = found.groups()
                out.append("{" + (low or "0") + comma + high + "}")
                i = found.end()
                quantified = True
                continue
        elif c == "}" or c == "]":
            out.append("\\" + c)  # a literal in Python; u mode wants it escaped
        elif c == "(" and pattern.startswith("(?", i):
            i = _group(pattern, i, out)
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _group(pattern: str, i: int, out: list[str]) -> int:
    """A ``(?...`` construct at ``i``: its JavaScript spelling appended; the next index."""
    name = _GROUP_NAME.match(pattern, i)
    if name is not None:
        out.append(f"(?<{name.group(1)}>")
        return name.end()
    ref = _GROUP_REF.match(pattern, i)
    if ref is not None:
        out.append(f"\\k<{ref.group(1)}>")
        return ref.end()
    rest = pattern[i + 2 : i + 4]
    if rest[:1] in (":", "=", "!") or rest in ("<=", "<!"):
        out.append("(?" + (rest if rest[:1] == "<" else rest[:1]))
        return i + 2 + (2 if rest[:1] == "<" else 1)
    if rest[:1] == "#":
        return pattern.index(")", i) + 1  # a comment: no nesting, no escapes
    head = pattern[i : pattern.find(")", i) + 1 or len(pattern)]
    if rest[:1] == ">":
        atomic = "(?>"
        raise _refuse(atomic, "is an atomic group, which JavaScript does not have", "use `(?:`")
    if rest[:1] == "(":
        raise _refuse(
            head, "is a conditional group, which JavaScript does not have", "spell out both cases"
        )
    raise _refuse(
        head.split(":")[0] + (":" if ":" in head else ""),
        "sets inline flags, which JavaScript patterns cannot",
        "spell the flag out, e.g. `[Aa]` for a case-insensitive `a`",
    )


def _escape(pattern: str, i: int, in_class: bool) -> tuple[str, int]:
    """The escape at ``i`` (a backslash) in JavaScript's spelling; the next index."""
    e = pattern[i + 1]
    if e in _CLASSES and not (e == "b" and in_class):
        why, hint = _CLASSES[e]
        spelled = hint if hint.startswith("write") else f"write `{hint}`"
        raise _refuse("\\" + e, why, spelled)
    if e == "b":  # in a class: a backspace in both
        return "\\x08", i + 2
    if e == "A":
        return "^", i + 2
    if e == "Z":
        return "$", i + 2
    if e == "a":
        return "\\x07", i + 2
    if e in _SAME:
        return "\\" + e, i + 2
    if e == "x":
        return pattern[i : i + 4], i + 4
    if e == "u":
        return pattern[i : i + 6], i + 6
    if e == "U":
        return _code_point(int(pattern[i + 2 : i + 10], 16)), i + 10
    if e == "N":
        end = pattern.index("}", i)
        char = unicodedata.lookup(pattern[i + 3 : end])
        return _code_point(ord(char)), end + 1
    if e.isdigit():
        digits = _OCTAL.match(pattern, i + 1)
        if e == "0" or in_class or (digits is not None and len(digits.group()) == 3):
            # an octal escape (Python reads ``\0``, ``\012`` and, in a class, ``\1``)
            assert digits is not None
            return _code_point(int(digits.group(), 8)), digits.end()
        ref = re.match(r"\d{1,2}", pattern[i + 1 :])
        assert ref is not None
        return "\\" + ref.group(), i + 1 + ref.end()  # a backreference, the same in both
    if e in _SYNTAX or (e == "-" and in_class):
        return "\\" + e, i + 2
    # Python reads any other escaped character as itself; JavaScript's u mode refuses
    # the escape
    return e, i + 2
