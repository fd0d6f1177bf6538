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
  ``(?P<n>...)`` -> ``(?<n>...)``; ``(?P=n)`` -> ``\\k<n>`` and ``\\1`` -> ``\\1`` (a
  group that always takes part, see below); ``(?#...)`` -> nothing;
  ``{,n}`` -> ``{0,n}``; a ``{`` or ``}`` that is no quantifier -> ``\\{`` / ``\\}``;
  ``\\a`` and octal escapes -> ``\\x..`` / ``\\u{..}``; ``\\U0001F600`` and ``\\N{...}``
  -> ``\\u{1F600}``; an escaped character JavaScript's ``u`` mode does not allow
  escaped (``\\#``, ``\\-`` outside a class, ``\\é``) -> the character; ``[`` in a class
  -> ``\\[``; ``]`` first in a class -> ``\\]``;
- refused: ``\\d \\D \\w \\W \\s \\S \\b \\B`` (Unicode-aware in Python, ASCII in
  JavaScript), inline flags (``(?i)``, ``(?a:...)``), atomic groups, possessive
  quantifiers, conditionals (``(?(1)a|b)``); a backreference (``\\1``..``\\99``,
  ``(?P=n)``) to a group that may not take part or may take part more than once (it, or
  a group around it, is quantified or a lookaround, or a group around it or the pattern
  holds an alternative): Python fails such a reference when its group did not take part,
  JavaScript matches it empty and resets captures on each repetition (``(a)?\\1b`` on
  ``"b"``, ``^(?:(a)|b)+\\1$`` on ``"ab"``); a quantified lookaround (``(?=a)*b``,
  ``(?<=a)?b``), which JavaScript's ``u`` mode does not compile; a surrogate, escaped
  (``\\ud83d\\ude00``, ``\\U0000D800``) or itself: Python reads halves that match no
  JSON string, JavaScript's ``u`` mode a pair as one character.

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


class _Frame:
    """A group of the pattern being read (or the pattern itself): what a backreference
    to a capturing group inside it needs to know."""

    __slots__ = ("alternation", "kind", "parent", "quantified")

    def __init__(self, kind: str, parent: _Frame | None) -> None:
        self.kind = kind  # "pattern", "capture", "group", "look"
        self.parent = parent
        self.alternation = False  # a ``|`` directly inside
        self.quantified = False


class _Groups:
    """The groups read so far and the backreferences to check once all are read."""

    def __init__(self) -> None:
        self.open = [_Frame("pattern", None)]
        self.captures: list[_Frame] = []  # by group number - 1
        self.names: dict[str, int] = {}
        self.refs: list[tuple[str, int]] = []  # (construct, group number)

    def check_refs(self) -> None:
        """Refuse a backreference to a group that might not take part in a match, or
        take part more than once: Python fails the reference then, JavaScript matches
        it empty, and resets captures on each repetition."""
        for construct, number in self.refs:
            group: _Frame | None = self.captures[number - 1]
            sure = True
            while group is not None and sure:
                sure = not group.quantified and group.kind != "look"
                # alternatives inside the group itself still set it
                if group.parent is not None and group.parent.alternation:
                    sure = False
                group = group.parent
            if not sure:
                raise _refuse(
                    construct,
                    "refers to a group that is optional, repeated, in an alternative or a "
                    "lookaround: when it did not take part, JavaScript matches the reference "
                    "empty and Python fails, and JavaScript resets it on each repetition",
                    "write the cases out with the group taken part (`(a)\\1b` for `(a)?\\1b`, "
                    "all Python matches)",
                )


def _surrogate(pattern: str, i: int, value: int, length: int) -> Unportable:
    """The refusal of a surrogate code point written at ``i`` (``length`` characters)."""
    low = pattern[i + length : i + length + 6]
    if 0xD800 <= value <= 0xDBFF and re.fullmatch(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}", low):
        char = chr(0x10000 + ((value - 0xD800) << 10) + int(low[2:], 16) - 0xDC00)
        return _refuse(
            pattern[i : i + length + 6],
            "is a UTF-16 surrogate pair, which Python reads as two lone surrogates "
            "(matching no text) and JavaScript's `u` mode as one character",
            f"write `\\U{ord(char):08X}`",
        )
    written = pattern[i : i + length] if length > 1 else f"\\u{value:04x}"  # not as itself
    return _refuse(
        written,
        "is a lone UTF-16 surrogate, half of a pair: it matches no JSON string in Python, "
        "and JavaScript's `u` mode reads it with its neighbour as one character",
        "write the whole character, e.g. `\\U0001F600`",
    )


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
    groups = _Groups()
    closed: _Frame | None = None  # the group the last token closed
    while i < n:
        c = pattern[i]
        was_quantified, quantified = quantified, False
        was_closed, closed = closed, None
        if "\ud800" <= c <= "\udfff":
            raise _surrogate(pattern, i, ord(c), 1)
        if c == "\\":
            token, i = _escape(pattern, i, in_class, groups)
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
        if was_closed is not None and not was_quantified and c in "*+?{":
            _quantify(pattern, i, was_closed)
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
            i = _group(pattern, i, out, groups)
            continue
        elif c == "(":
            groups.open.append(_Frame("capture", groups.open[-1]))
            groups.captures.append(groups.open[-1])
            out.append(c)
        elif c == ")":
            closed = groups.open.pop()
            out.append(c)
        elif c == "|":
            groups.open[-1].alternation = True
            out.append(c)
        else:
            out.append(c)
        i += 1
    groups.check_refs()
    return "".join(out)


def _quantify(pattern: str, i: int, closed: _Frame) -> None:
    """What may be a quantifier at ``i``, right after the group ``closed``: the group is
    marked repeated; a lookaround may not be (JavaScript's ``u`` mode throws)."""
    end = i + 1
    if pattern[i] == "{":
        found = _QUANTIFIER.match(pattern, i)
        if found is None or not (found.group(1) or found.group(2) or found.group(3)):
            return  # a literal ``{``
        end = found.end()
    if closed.kind == "look":
        raise _refuse(
            pattern[i:end],
            "quantifies a lookaround, which JavaScript's `u` mode refuses (Invalid quantifier)",
            "drop the quantifier, or write the optional case out (`(?=a)b|b` for `(?=a)?b`)",
        )
    closed.quantified = True


def _group(pattern: str, i: int, out: list[str], groups: _Groups) -> int:
    """A ``(?...`` construct at ``i``: its JavaScript spelling appended; the next index."""
    parent = groups.open[-1]
    name = _GROUP_NAME.match(pattern, i)
    if name is not None:
        out.append(f"(?<{name.group(1)}>")
        groups.open.append(_Frame("capture", parent))
        groups.captures.append(groups.open[-1])
        groups.names[name.group(1)] = len(groups.captures)
        return name.end()
    ref = _GROUP_REF.match(pattern, i)
    if ref is not None:
        out.append(f"\\k<{ref.group(1)}>")
        groups.refs.append((ref.group(), groups.names[ref.group(1)]))
        return ref.end()
    rest = pattern[i + 2 : i + 4]
    if rest[:1] in (":", "=", "!") or rest in ("<=", "<!"):
        out.append("(?" + (rest if rest[:1] == "<" else rest[:1]))
        groups.open.append(_Frame("group" if rest[:1] == ":" else "look", parent))
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


def _escape(pattern: str, i: int, in_class: bool, groups: _Groups) -> tuple[str, int]:
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
    if e == "u" or e == "U":
        length = 6 if e == "u" else 10
        value = int(pattern[i + 2 : i + length], 16)
        if 0xD800 <= value <= 0xDFFF:
            raise _surrogate(pattern, i, value, length)
        return (pattern[i : i + 6] if e == "u" else _code_point(value)), i + length
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
        groups.refs.append(("\\" + ref.group(), int(ref.group())))
        return "\\" + ref.group(), i + 1 + ref.end()  # a backreference: see check_refs
    if e in _SYNTAX or (e == "-" and in_class):
        return "\\" + e, i + 2
    # Python reads any other escaped character as itself; JavaScript's u mode refuses
    # the escape
    return e, i + 2
