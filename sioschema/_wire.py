"""What a frame from a client may be, before any handler sees it: limits and checks.

Pure functions over the Socket.IO text protocol (``<type>[<n>-][<nsp>,][<id>][<json>]``)
and msgspec. No server, no I/O: the adapters call them for every frame, and a future
packet codec can call the same ones.

The JSON of a packet is decoded by msgspec, which rejects what stdlib ``json`` (used
by python-socketio) lets through: ``NaN`` / ``Infinity`` literals, ``1e400``, lone
surrogates. Nesting and the int64 range are checked after it.
"""

from __future__ import annotations

import re
from typing import Any, Final

import msgspec

from .errors import ErrorCode

__all__ = [
    "ACK",
    "BINARY_ACK",
    "BINARY_EVENT",
    "CLIENT_FRAME_CAP",
    "CONNECT",
    "CONNECT_ERROR",
    "DISCONNECT",
    "EVENT",
    "FRACTIONS",
    "HUGE_EXPONENTS",
    "LONG_INT",
    "MAX_ECHOED_NAME",
    "NUMBER_CHARS",
    "RESERVED_EVENTS",
    "ClientLimits",
    "Header",
    "Limits",
    "WireError",
    "check_decoded",
    "decode_json",
    "echoed",
    "event_name",
    "is_finite",
    "number_problem",
    "has_long_int",
    "long_ints",
    "maybe_too_deep",
    "nesting",
    "in_numbers",
    "number_text",
    "parse_header",
]

RESERVED_EVENTS: frozenset[str] = frozenset(
    {"connect", "disconnect", "connect_error", "disconnecting", "newListener", "removeListener"}
)
"""Names Socket.IO uses itself: a registry may not declare them, a client may not send them."""

INT64_MIN: Final = -(2**63)
INT64_MAX: Final = 2**63 - 1
_MAX_ID_DIGITS: Final = 15  # ack ids are counters; JavaScript numbers are exact to 2**53

# packet types (socket.io protocol v5)
CONNECT: Final = 0
DISCONNECT: Final = 1
EVENT: Final = 2
ACK: Final = 3
CONNECT_ERROR: Final = 4
BINARY_EVENT: Final = 5
BINARY_ACK: Final = 6


class Limits(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Limits on what one client may send; every one has a safe default.

    Pass ``limits=Limits(...)`` to ``sioschema.socketio.Server`` / ``AsyncServer`` or
    ``sioschema.flask.SocketIO``. The hard cap on one frame stays Engine.IO's own
    ``max_http_buffer_size`` (a frame over it closes the connection); these limits sit
    below it and answer with an error the client can read.
    """

    max_payload_bytes: int = 100_000
    """Bytes of one packet: its text frame plus all its binary attachments."""
    max_depth: int = 32
    """Nesting of arrays and objects inside the event's arguments (``{"a": 1}`` is 1)."""
    max_attachments: int = 10
    """Binary attachments of one packet."""
    max_in_flight: int = 64
    """Handler calls of one connection running at once; more are refused at once."""

    def __post_init__(self) -> None:
        for name in self.__struct_fields__:
            value = getattr(self, name)
            if type(value) is not int or value < 1:
                msg = f"{type(self).__name__}.{name} must be an int >= 1, got {value!r}"
                raise ValueError(msg)


CLIENT_FRAME_CAP: Final = 4 * 1024 * 1024
"""The largest websocket message python-engineio's ``AsyncClient`` reads (aiohttp's
``ws_connect(max_msg_size=...)`` default, 4 MiB): a typed client's default per packet."""


class ClientLimits(Limits, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Limits on what a server may send to a typed client (``sioschema.client``).

    A server is trusted more than an anonymous client, so the defaults are wider than
    :class:`Limits`': a packet may be as large as the largest websocket message
    python-engineio's ``AsyncClient`` reads at all (4 MiB, aiohttp's ``max_msg_size``
    default; larger ones never reach it), and nest twice as deep. They still bound what one
    packet can cost the client. ``max_in_flight`` is not used by the clients.
    """

    max_payload_bytes: int = CLIENT_FRAME_CAP
    """Bytes of one packet from the server: its text frame plus its binary attachments."""
    max_depth: int = 64
    """Nesting of arrays and objects inside an emit's arguments."""
    max_early_events: int = 100
    """Events held for a namespace the client is joining, which the server sent before
    its CONNECT (an emit from its ``connect`` handler); together they hold at most
    ``max_payload_bytes``. Past either, an event is refused (logged, ``on_payload_error``)."""


class WireError(Exception):
    """A frame broke the protocol or a limit; ``code`` and ``detail`` go to the client.

    ``header`` is set when the error was found in the header (it is still read as far
    as it goes, so the error can be answered on the right namespace).
    """

    def __init__(
        self, code: ErrorCode, detail: str, header: Header | None = None, event: str = ""
    ) -> None:
        super().__init__(detail)
        self.code: ErrorCode = code
        self.detail = detail
        self.header = header
        self.event = event


class Header(msgspec.Struct, frozen=True):
    """The part of a packet before its JSON: type, attachments, namespace, ack id."""

    type: int
    attachments: int
    namespace: str
    id: int | None
    body: int
    """Offset of the JSON in the frame."""


_HEADER = re.compile(r"([0-9])?(?:([0-9]+)-)?(?:(/[^,]*),?)?([0-9]+)?")


def parse_header(frame: str) -> Header:
    """Read a packet's header as python-socketio does, without touching its JSON.

    Raises :class:`WireError` (``bad_packet``) for an unknown type or an ack id too
    long to be one, ``payload_too_large`` for an absurd attachment count.
    """
    match = _HEADER.match(frame)
    assert match is not None  # every group is optional
    kind, count, namespace, id = match.groups()
    header = Header(
        type=int(kind) if kind is not None else -1,
        attachments=int(count) if count is not None and len(count) <= 10 else 0,
        namespace=namespace.partition("?")[0] if namespace else "/",
        id=int(id) if id is not None and len(id) <= _MAX_ID_DIGITS else None,
        body=match.end(),
    )
    if header.type < 0 or header.type > BINARY_ACK:
        raise WireError(code="bad_packet", detail="Unknown packet type", header=header)
    if id is not None and len(id) > _MAX_ID_DIGITS:
        raise WireError(code="bad_packet", detail="Ack id out of range", header=header)
    if count is not None and len(count) > 10:
        raise WireError(
            code="payload_too_large", detail="Too many binary attachments", header=header
        )
    return header


_NON_FINITE = ("NaN", "Infinity", "-Infinity")
_BYTE = re.compile(r"\(byte (\d+)\)$")
_decode = msgspec.json.decode
_OUT_OF_INT64: Final = "Integer out of the int64 range"


def _number_chars() -> bytes:
    table = bytearray(b" " * 256)
    for c in b"0123456789":
        table[c] = ord("0")
    table[ord("e")] = table[ord("E")] = ord("e")
    table[ord("+")] = ord("+")
    table[ord("-")] = ord("-")
    table[ord(".")] = ord(".")
    return bytes(table)


# every UTF-8 byte -> its part in a JSON number: a digit "0", an exponent "e", a sign
# "+" or "-", a decimal point "."; anything else " "
NUMBER_CHARS: Final = _number_chars()
LONG_INT: Final = b"0" * 19
"""In :func:`number_text`: a run of 19 digits, which may be an integer beyond int64
(int64 holds every integer of 18 digits)."""
HUGE_EXPONENTS: Final = (b"0e000", b"0e+000")
"""In :func:`number_text`: a positive exponent of three digits or more, which may put a
number beyond the float range (``1e400``, ``1E+400``); a mantissa long enough to do so
holds a :data:`LONG_INT`. (A negative one only rounds toward zero, on every path alike.)"""
FRACTIONS: Final = (b"0.", b"0e")
"""In :func:`number_text`: a number with a fraction or an exponent (and HUGE_EXPONENTS)."""

MAX_ECHOED_NAME = 256
"""The longest event name an error reply repeats; longer ones are answered with ``""``."""
_LEADING_NAME = re.compile(r'\[\s*("(?:[^"\\]|\\.){0,' + str(MAX_ECHOED_NAME) + '}")')


def echoed(name: object) -> str:
    """``name`` as an error reply may repeat it: a string of at most
    :data:`MAX_ECHOED_NAME` characters, else ``""``."""
    return name if type(name) is str and len(name) <= MAX_ECHOED_NAME else ""


def event_name(body: str) -> str:
    """The event name at the start of an EVENT packet's body (``["make_move", ...``),
    read even when the rest of the body is not acceptable JSON; ``""`` if there is none."""
    found = _LEADING_NAME.match(body)
    if found is None:
        return ""
    try:
        name = msgspec.json.decode(found.group(1))
    except msgspec.DecodeError:
        return ""
    return name if isinstance(name, str) else ""


def number_text(text: str) -> bytes:
    """``text`` as the parts of JSON numbers it may hold, one byte a UTF-8 byte: each
    digit becomes ``0``, ``e``/``E`` ``e``, a sign itself, a decimal point ``.`` and
    anything else a space. Search it for :data:`LONG_INT`, :data:`HUGE_EXPONENTS` or
    :data:`FRACTIONS`.

    Text inside strings is translated too, so a match may be no number at all: callers
    only use a match to take the careful path. A byte-table translation: about a tenth
    of what a regex search costs. Search it with ``partition`` (``text.partition(n)[1]``
    is empty when ``n`` is absent): ``n in text`` on bytes first tries ``n`` as an
    integer and raises inside, which costs more than a short search.
    """
    return text.encode("utf-8", "surrogatepass").translate(NUMBER_CHARS)


# a JSON string (the text is valid JSON: no quote outside strings)
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')


def in_numbers(needle: bytes, text: str) -> bool:
    """Whether ``needle`` is in :func:`number_text` of ``text`` (valid JSON) once its
    strings are emptied: a match in numbers, not in the text of strings."""
    return bool(number_text(_STRING.sub('""', text)).partition(needle)[1])


def has_long_int(text: str) -> bool:
    """Whether ``text`` has a run of 19 digits, so it may hold an integer beyond int64."""
    return bool(number_text(text).partition(LONG_INT)[1])


def maybe_too_deep(text: str, limits: Limits) -> bool:
    """Whether ``text`` has enough brackets to nest deeper than the limit."""
    return text.count("[") + text.count("{") > limits.max_depth + 1


# bytes of a JSON string: what :func:`nesting` and :func:`long_ints` empty first
_STRING_BYTES = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_PARENS = bytes.maketrans(b"[]{}", b"()()")
# every byte but brackets and quotes: deleted from the text's shape
_NOT_SHAPE = bytes(c for c in range(256) if c not in b'[]{}"')


def _shape(raw: bytes) -> bytes:
    """The brackets of valid JSON ``raw`` outside its strings, as ``(`` and ``)``."""
    shape = raw.translate(_PARENS, _NOT_SHAPE)
    if b'"' not in shape:
        return shape
    if b"\\" not in raw:
        # no escaped quote: quotes alternate opening and closing, so a string without
        # brackets is an adjacent pair; one left that is not says a string holds some
        shape = shape.replace(b'""', b"")
        if b'"' not in shape:
            return shape
    return _STRING_BYTES.sub(b"", raw).translate(_PARENS, _NOT_SHAPE)


def nesting(text: str, limit: int) -> int:
    """How deep arrays and objects nest in valid JSON ``text`` (``[]`` is 1, ``1`` is
    0), or a number above ``limit`` once it is known to be deeper.

    Read off the text with C-speed bytes methods, not by walking the decoded value: the
    brackets outside strings, then rounds of removing every innermost pair (each round
    removes one level). A frame of 30,000 tiny containers costs a few hundredths of
    what a Python walk of its value does."""
    shape = _shape(text.encode("utf-8", "surrogatepass"))
    depth = 0
    while shape and depth <= limit:
        shape = shape.replace(b"()", b"")
        depth += 1
    return depth if not shape else limit + 1


# an integer literal of 19 digits or more (no fraction, no exponent), in JSON text
# whose strings are emptied
_LONG_LITERAL = re.compile(rb"(?<![0-9.eE+\-])-?[0-9]{19,}(?![0-9.eE])")


def long_ints(text: str) -> bool:
    """Whether valid JSON ``text`` holds an integer literal outside int64, read off
    the text (its strings emptied) instead of walking the decoded value."""
    raw = text.encode("utf-8", "surrogatepass")
    if b'"' in raw:
        raw = _STRING_BYTES.sub(b'""', raw)
    return any(not INT64_MIN <= int(found) <= INT64_MAX for found in _LONG_LITERAL.findall(raw))


def decode_json(text: str, limits: Limits, *, big_ints: bool = False) -> Any:
    """Decode a packet's JSON under ``limits``; raise :class:`WireError` if it breaks one.

    Codes: ``bad_packet`` (not JSON, lone surrogates), ``invalid_number`` (``NaN``,
    ``Infinity``, a float out of range, an integer outside int64 unless ``big_ints``),
    ``payload_too_deep`` (arguments nested deeper than ``limits.max_depth``).

    msgspec decodes (it rejects what stdlib ``json`` lets through: ``NaN``, ``1e400``,
    lone surrogates, each answered with what it is). Depth, then the integer range,
    are checked only when the text could break them (more brackets than the limit, a
    run of 19 digits), and read off the text (:func:`nesting`, :func:`long_ints`),
    never by walking the decoded value: a typical event pays for two ``str.count``
    calls and one byte-table translation, and a refused frame of many tiny containers
    about what decoding it costs.
    """
    try:
        value = _decode(text)
    except msgspec.ValidationError:  # msgspec's only one for untyped JSON: 1e400
        raise WireError(code="invalid_number", detail="Number out of range") from None
    except RecursionError:
        raise WireError(
            code="payload_too_deep", detail=f"Nesting deeper than {limits.max_depth}"
        ) from None
    except msgspec.DecodeError as exc:
        message = str(exc)
        found = _BYTE.search(message)
        if found is not None and text[int(found.group(1)) :].startswith(_NON_FINITE):
            raise WireError(code="invalid_number", detail="NaN and Infinity are not JSON") from None
        # msgspec words a lone surrogate escape as "Input data was truncated" or "invalid
        # utf-16 surrogate pair"; say what it is
        lone = lone_surrogate(text) if "surrogate" in message or "truncated" in message else None
        raise WireError(code="bad_packet", detail=f"Invalid JSON: {lone or message}") from None
    except UnicodeEncodeError:  # a str holding a surrogate itself, not as an escape
        detail = f"Invalid JSON: {lone_surrogate(text) or 'not UTF-8'}"
        raise WireError(code="bad_packet", detail=detail) from None
    # the text is read, not the decoded value walked: a refused frame of many tiny
    # containers costs about what decoding it does
    if maybe_too_deep(text, limits) and nesting(text, limits.max_depth + 1) > limits.max_depth + 1:
        raise WireError(code="payload_too_deep", detail=f"Nesting deeper than {limits.max_depth}")
    if not big_ints and has_long_int(text) and long_ints(text):
        raise WireError(code="invalid_number", detail=_OUT_OF_INT64)
    return value


# in a text whose escaped backslashes are blanked (every backslash left starts an
# escape): a high-half escape with no low half right after it, or a low half with no high
# half right before it (both start with the literal ``\\ud``, which keeps the search at
# C speed: a lookbehind first costs ten times as much)
_HIGH = r"\\u[dD][89abAB][0-9a-fA-F]{2}"
_LOW = r"\\u[dD][c-fC-F][0-9a-fA-F]{2}"
_LONE_ESCAPE = re.compile(
    rf"\\u[dD](?:[89abAB][0-9a-fA-F]{{2}}(?!{_LOW})|(?<!{_HIGH}\\u[dD])[c-fC-F][0-9a-fA-F]{{2}})"
)


def lone_surrogate(text: str) -> str | None:
    """Describe the first lone UTF-16 surrogate in ``text`` (an escape such as
    ``"\\ud800"`` with no low half after it, a low half alone, or a surrogate character
    in the ``str`` itself), or ``None`` if it has none.

    JSON strings hold Unicode characters; a surrogate is half of a UTF-16 pair and no
    character, so no JSON decoder that produces real strings can accept one alone.

    It describes refused frames, which a client chooses, so its cost is a few linear
    C-level passes whatever the text holds: escaped backslashes blanked by
    ``str.replace`` (its leftmost, non-overlapping matches pair a run of backslashes
    from its start, as a JSON reader does; the blank keeps offsets), one regex search
    for a lone escape, and an ``encode`` that fails at a surrogate character.
    """
    found: tuple[int, str] | None = None
    if "\\" in text:
        escape = _LONE_ESCAPE.search(text.replace("\\\\", "xx"))
        if escape is not None:
            found = (escape.start(), text[escape.start() : escape.end()])
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        if found is None or exc.start < found[0]:
            found = (exc.start, f"\\u{ord(text[exc.start]):04x}")
    if found is None:
        return None
    at, escape_text = found
    offset = len(text[:at].encode("utf-8", "surrogatepass"))
    return f"lone surrogate `{escape_text}` in a string (byte {offset}): half of a UTF-16 pair"


def check_decoded(value: Any, limits: Limits, *, big_ints: bool = False) -> None:
    """The checks of :func:`decode_json` on a packet's data decoded by another
    serializer: nesting under ``limits.max_depth``, integers in int64 unless
    ``big_ints``. Raises :class:`WireError` (``payload_too_deep``, ``invalid_number``)."""
    _check(value, limits.max_depth + 1, big_ints)


def _check(value: Any, max_depth: int, big_ints: bool) -> None:
    """Walk a decoded value: nesting at most ``max_depth``, ints in int64."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        item, depth = pop()
        kind = type(item)
        if kind is list or kind is dict:
            if depth >= max_depth:
                # the event array is level 1; its arguments count from there
                detail = f"Nesting deeper than {max_depth - 1}"
                raise WireError(code="payload_too_deep", detail=detail)
            for child in item if kind is list else item.values():
                push((child, depth + 1))
        elif kind is int and not big_ints and not INT64_MIN <= item <= INT64_MAX:
            raise WireError(code="invalid_number", detail=_OUT_OF_INT64)


def is_finite(value: Any) -> bool:
    """Whether every float in a JSON value is finite (JSON has no NaN or Infinity)."""
    stack = [value]
    pop = stack.pop
    while stack:
        item = pop()
        kind = type(item)
        if kind is float:
            if item - item != 0.0:  # inf - inf and nan - nan are nan
                return False
        elif kind is list or kind is tuple:
            stack.extend(item)
        elif kind is dict:
            stack.extend(item.values())
    return True


_NOT_JSON: Final = "NaN and Infinity are not JSON"


def number_problem(value: Any, *, big_ints: bool = False) -> tuple[str, str] | None:
    """The first number of a JSON value (lists, tuples, dicts, scalars) that the
    screening of a received packet refuses with ``invalid_number``: a NaN or infinite
    float, an integer outside int64 unless ``big_ints``. Returns its message and its
    JSON path from ``$`` (``$.points[2]``), or ``None`` when every number passes.

    The walk of an outgoing value that a cheap look (``null`` or a run of 19 digits in
    its JSON) made suspect, so that what is sent is what its receiver accepts."""
    stack: list[tuple[Any, str]] = [(value, "$")]
    pop, push = stack.pop, stack.append
    while stack:
        item, path = pop()
        kind = type(item)
        if kind is float:
            if item - item != 0.0:  # inf - inf and nan - nan are nan
                return _NOT_JSON, path
        elif kind is int:
            if not big_ints and not INT64_MIN <= item <= INT64_MAX:
                return _OUT_OF_INT64, path
        elif kind is list or kind is tuple:
            # pushed in reverse: the first offending item is the one reported
            for i in range(len(item) - 1, -1, -1):
                push((item[i], f"{path}[{i}]"))
        elif kind is dict:
            for key, child in reversed(item.items()):
                name = key if type(key) is str else str(key)
                push((child, f"{path}.{name}" if _NAME.fullmatch(name) else _keyed(path, name)))
    return None


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _keyed(path: str, key: str) -> str:
    """``$["a b"]``: a key that is no identifier, written as msgspec would not need to."""
    return f"{path}[{msgspec.json.encode(key).decode()}]"
