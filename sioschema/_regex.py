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
    reader = _Reader(pattern)
    n = len(pattern)
    while reader.i < n:
        reader.step()
    reader.groups.check_refs()
    return "".join(reader.out)


# what a character outside a class, with no other meaning, is in JavaScript
_SPELLED: Final = {
    ".": "[^\\n]",
    "$": "(?=\\n?$)",
    # a literal in Python; u mode wants it escaped
    "}": "\\}",
    "]": "\\]",
}


class _Reader:
    """:func:`js_pattern` reading one pattern, a token per :meth:`step`."""

    __slots__ = ("class_start", "closed", "groups", "i", "in_class", "out", "pattern", "quantified")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.out: list[str] = []
        self.i = 0  # where the next token starts
        self.in_class = False
        self.class_start = False  # right after ``[`` or ``[^``: a ``]`` there is a literal
        self.quantified = False  # the last token was a quantifier (a ``+`` after it: possessive)
        self.groups = _Groups()
        self.closed: _Frame | None = None  # the group the last token closed

    def step(self) -> None:
        """Read the token at :attr:`i` and append its JavaScript spelling."""
        pattern, i = self.pattern, self.i
        c = pattern[i]
        was_quantified, self.quantified = self.quantified, False
        was_closed, self.closed = self.closed, None
        if "\ud800" <= c <= "\udfff":
            raise _surrogate(pattern, i, ord(c), 1)
        if c == "\\":
            token, self.i = _escape(pattern, i, self.in_class, self.groups)
            self.out.append(token)
            self.class_start = False
        elif self.in_class:
            self.i = self._in_class(c)
        else:
            if was_closed is not None and not was_quantified and c in "*+?{":
                _quantify(pattern, i, was_closed)
            self.i = self._outside(c, was_quantified)

    def _in_class(self, c: str) -> int:
        """A character inside ``[...]``; the next index."""
        out = self.out
        if c == "]" and not self.class_start:
            self.in_class = False
            out.append("]")
        elif c == "]" or c == "[":
            out.append("\\" + c)
        elif c == "^" and self.class_start and out[-1] == "[":
            out.append("^")
            return self.i + 1  # still the start: ``[^]...]`` holds a literal ``]``
        else:
            out.append(c)
        self.class_start = False
        return self.i + 1

    def _outside(self, c: str, was_quantified: bool) -> int:
        """A character outside a class (no escape); the next index."""
        pattern, i, out, groups = self.pattern, self.i, self.out, self.groups
        if c == "[":
            self.in_class = self.class_start = True
            out.append("[")
        elif c in _SPELLED:
            out.append(_SPELLED[c])
        elif c in "*+?":
            self._repeat(c, was_quantified)
        elif c == "{":
            return self._brace(was_quantified)
        elif c == "(" and pattern.startswith("(?", i):
            return _group(pattern, i, out, groups)
        elif c == "(":
            groups.open.append(_Frame("capture", groups.open[-1]))
            groups.captures.append(groups.open[-1])
            out.append(c)
        elif c == ")":
            self.closed = groups.open.pop()
            out.append(c)
        else:
            if c == "|":
                groups.open[-1].alternation = True
            out.append(c)
        return i + 1

    def _repeat(self, c: str, was_quantified: bool) -> None:
        """``*``, ``+`` or ``?``: a quantifier, or a lazy (or possessive) one's mark."""
        if was_quantified and c == "+":
            raise _refuse(
                self.pattern[self.i - 1 : self.i + 1],
                "is a possessive quantifier, which JavaScript does not have",
                "write the plain quantifier",
            )
        if was_quantified and c == "?":
            self.out.append("?")  # lazy
        else:
            self.out.append(c)
            self.quantified = True

    def _brace(self, was_quantified: bool) -> int:
        """A ``{``: a ``{m,n}`` quantifier, or a literal; the next index."""
        found = _braces(self.pattern, self.i)
        if found is None:
            self.out.append("\\{")
            return self.i + 1
        if was_quantified:
            raise _refuse(found.group(), "repeats a quantifier", "group it: `(?:a*){2}`")
        low, comma, high = found.groups()
        self.out.append("{" + (low or "0") + comma + high + "}")
        self.quantified = True
        return found.end()


def _braces(pattern: str, i: int) -> re.Match[str] | None:
    """The ``{m}``, ``{m,}``, ``{,n}`` or ``{m,n}`` quantifier at ``i``; ``None`` for a
    literal ``{`` (``{}``, ``{x``...)."""
    found = _QUANTIFIER.match(pattern, i)
    if found is None or not (found.group(1) or found.group(2) or found.group(3)):
        return None
    return found


def _quantify(pattern: str, i: int, closed: _Frame) -> None:
    """What may be a quantifier at ``i``, right after the group ``closed``: the group is
    marked repeated; a lookaround may not be (JavaScript's ``u`` mode throws)."""
    end = i + 1
    if pattern[i] == "{":
        found = _braces(pattern, i)
        if found is None:
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


# escapes spelled the same way wherever they are (``\b`` only in a class: a backspace)
_FIXED: Final = {"A": "^", "Z": "$", "a": "\\x07", **{e: "\\" + e for e in _SAME}}


def _escape(pattern: str, i: int, in_class: bool, groups: _Groups) -> tuple[str, int]:
    """The escape at ``i`` (a backslash) in JavaScript's spelling; the next index."""
    e = pattern[i + 1]
    if e in _CLASSES and not (e == "b" and in_class):
        why, hint = _CLASSES[e]
        spelled = hint if hint.startswith("write") else f"write `{hint}`"
        raise _refuse("\\" + e, why, spelled)
    if e == "b":  # in a class: a backspace in both
        return "\\x08", i + 2
    if e in _FIXED:
        return _FIXED[e], i + 2
    if e == "x":
        return pattern[i : i + 4], i + 4
    if e == "u" or e == "U":
        return _unicode_escape(pattern, i, e)
    if e == "N":
        end = pattern.index("}", i)
        char = unicodedata.lookup(pattern[i + 3 : end])
        return _code_point(ord(char)), end + 1
    if e.isdigit():
        return _numbered_escape(pattern, i, in_class, groups)
    if e in _SYNTAX or (e == "-" and in_class):
        return "\\" + e, i + 2
    # Python reads any other escaped character as itself; JavaScript's u mode refuses
    # the escape
    return e, i + 2


def _unicode_escape(pattern: str, i: int, e: str) -> tuple[str, int]:
    """``\\uXXXX`` or ``\\UXXXXXXXX`` at ``i``; the next index. A surrogate is refused."""
    length = 6 if e == "u" else 10
    value = int(pattern[i + 2 : i + length], 16)
    if 0xD800 <= value <= 0xDFFF:
        raise _surrogate(pattern, i, value, length)
    return (pattern[i : i + 6] if e == "u" else _code_point(value)), i + length


def _numbered_escape(pattern: str, i: int, in_class: bool, groups: _Groups) -> tuple[str, int]:
    """A backslash and a digit at ``i``: an octal escape or a backreference (checked
    once every group is read, :meth:`_Groups.check_refs`); the next index."""
    digits = _OCTAL.match(pattern, i + 1)
    if pattern[i + 1] == "0" or in_class or (digits is not None and len(digits.group()) == 3):
        # an octal escape (Python reads ``\0``, ``\012`` and, in a class, ``\1``)
        assert digits is not None
        return _code_point(int(digits.group(), 8)), digits.end()
    ref = re.match(r"\d{1,2}", pattern[i + 1 :])
    assert ref is not None
    groups.refs.append(("\\" + ref.group(), int(ref.group())))
    return "\\" + ref.group(), i + 1 + ref.end()  # a backreference: see check_refs
