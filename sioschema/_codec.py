"""The codecs: :class:`ArgsCodec` (one argument list, both directions) and
:class:`PacketCodec` (one msgspec pass per declared event or ack in).

**Argument lists.** Every argument list (the arguments of a request, of an ack, of an
emit, the connect ``auth``) becomes one :class:`ArgsCodec` when its registry class is
created, from what :mod:`sioschema._types` reads in its declared types. Its types are
wrapped in one ``array_like`` msgspec Struct, so msgspec builds and caches the
validation plan for the whole list once; each message is then checked in a single
``msgspec.convert`` call, never re-planned per call.

A declared type means the same on every path. A request usually arrives as JSON text
and is decoded by a typed ``msgspec.json.Decoder`` (the packet codec); a request the
packet codec leaves to screening, a binary event, a client's ack and the connect
``auth`` arrive already decoded and go through ``msgspec.convert``. The two differ in a
few places, and each is settled here: ``convert`` reads dict keys as JSON does
(``str_keys=True``); a type holding ``msgspec.Raw`` is read from JSON text on every
path, like one with ``Decimal`` dict keys; a rejection reports the error the JSON
decoder gives; a type that still cannot mean the same on both paths is refused when
the registry class is created.

**Packets in.** python-socketio decodes a packet's JSON with stdlib ``json`` into dicts
and lists, and a validator then walks them again. Here, for ``2<id>["<name>", ...]`` on
a registry namespace, one msgspec decoder per namespace reads the whole array as the
union of its events' packets (each an ``array_like`` Struct tagged with the event name),
so the event, the arity and every argument are found and checked in the same pass. What
a typed pass cannot rule out is checked after it, only for the events where it can
happen (nesting, numbers the screening would refuse or read differently). Anything else
(an undeclared event, a binary packet, a name with escapes, a payload that could break
a limit, a payload that fails its type) returns ``None`` and takes the screening path,
whose answers are unchanged: a failing payload still gets its exact error ack. An ACK
of a declared ack takes one pass the same way (``PacketCodec.acks``): its arguments'
own Struct, no name tag, the same checks after it.

Packets out are written by python-socketio's packet class; sioschema's own, on msgspec,
is the adapters' (``sioschema._packet``). This module knows types, msgspec and the
declarations only (those in annotations): no server, no document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, Union

import msgspec
import msgspec.inspect as mi

from . import _types
from ._wire import (
    FRACTIONS,
    HUGE_EXPONENTS,
    LONG_INT,
    NUMBER_CHARS,
    Limits,
    in_numbers,
    is_finite,
    maybe_too_deep,
    number_problem,
)
from .errors import ErrorCode, PayloadError, RegistryError, _clip

if TYPE_CHECKING:
    from ._registry import Emit, Event
    from .inspect import RegistryInfo

__all__ = ["AckDecoder", "ArgsCodec", "Decoded", "PacketCodec"]

_encode = msgspec.json.Encoder().encode
_decode_json = msgspec.json.Decoder().decode
_MALFORMED_RAW = "A `msgspec.Raw` value does not hold one JSON value"

_AT = " - at `"
_KEY = "key` in `"  # msgspec's path of a dict key: ``key` in `$.scores``
_INDEX = re.compile(r"^\$\[(\d+)\]")
_BYTE = re.compile(r"\(byte (\d+)\)$")
_NON_FINITE = (b"NaN", b"Infinity", b"-Infinity")


def _raw_as_builtins(obj: Any) -> Any:
    """``enc_hook`` for ``to_builtins``: a ``msgspec.Raw`` is the JSON value it holds
    (what a JSON encoder writes); any other object raises msgspec's own TypeError."""
    if isinstance(obj, msgspec.Raw):
        try:
            return _decode_json(obj)
        except msgspec.ValidationError:  # untyped JSON refuses only a number: 1e400
            raise _BadNumber(_OUT_OF_RANGE) from None
        except msgspec.DecodeError as exc:
            if _non_finite_literal(obj, exc):
                raise _BadNumber(_NOT_JSON) from None
            raise TypeError(_MALFORMED_RAW) from None
    return msgspec.to_builtins(obj)


class _BadNumber(TypeError):
    """A ``msgspec.Raw`` holds a number no JSON receiver accepts (``NaN``, ``1e400``)."""


_NOT_JSON = "NaN and Infinity are not JSON"
_OUT_OF_RANGE = "Number out of range"


def _non_finite_literal(text: bytes | msgspec.Raw, exc: msgspec.DecodeError) -> bool:
    """Whether msgspec refused ``text`` at a ``NaN`` / ``Infinity`` literal."""
    found = _BYTE.search(str(exc))
    return found is not None and bytes(text)[int(found.group(1)) :].startswith(_NON_FINITE)


def _builtins(value: Any) -> Any:
    """``msgspec.to_builtins``, with ``msgspec.Raw`` read as its JSON: a value the JSON
    encoder can write is one the builtins path takes. Values without ``Raw`` take
    msgspec's path unchanged; the hook only runs once that has refused an object."""
    try:
        return msgspec.to_builtins(value)
    except TypeError:
        return msgspec.to_builtins(value, enc_hook=_raw_as_builtins)


def _has_bytes(value: Any) -> bool:
    """Whether a decoded value holds binary data (an attachment of a binary packet)."""
    stack = [value]
    pop, extend = stack.pop, stack.extend
    while stack:
        item = pop()
        if isinstance(item, (bytes, bytearray, memoryview)):
            return True
        if isinstance(item, dict):
            extend(item.values())
        elif isinstance(item, (list, tuple)):
            extend(item)
    return False


def _tag_check(wrapper: mi.StructType, strict: bool, *, json: bool, tag: str | None = None) -> Any:
    """What checks the tags of a whole argument list (tagged with the event name for a
    whole packet): with ``json``, a decoder of its JSON text; else the shadow type to
    ``convert`` it to. ``None`` when no lone tagged Struct can appear."""
    shadow = _types.tag_shadow(wrapper, msgspec.Raw if json else Any, tag)
    if shadow is None:
        return None
    if json:
        return msgspec.json.Decoder(shadow, strict=strict).decode
    mi.type_info(shadow)  # resolved now, at class creation, not on the first message
    return shadow


def _plural(n: int) -> str:
    if n == 0:
        return "no arguments"
    return "1 argument" if n == 1 else f"{n} arguments"


def _read_types(struct: type[msgspec.Struct], types: tuple[Any, ...], label: str) -> mi.StructType:
    """msgspec's view of the argument list ``struct`` wraps; raises ``RegistryError``
    for a type msgspec cannot read, convert or describe, and for a pydantic class."""
    refused: str | None = None
    try:
        # Builds (and caches) msgspec's plan for the types. Unresolvable forward
        # references, and types msgspec can neither convert nor describe (a custom
        # class is only "supported" with hooks, a Literal or IntEnum value beyond int64),
        # fail here, at class creation.
        wrapper = mi.type_info(struct)
        # a pydantic class is refused before msgspec reads it (a pydantic dataclass
        # whose defaults are ``Field(...)`` fails obscurely in the schema)
        refused = _types.pydantic_problem(types, wrapper, label)
        if refused is None:
            msgspec.json.Decoder(struct)
            msgspec.json.schema(struct)
    except (TypeError, NameError, AttributeError, NotImplementedError) as exc:
        refused = _types.pydantic_problem(types, None, label)
        if refused is None:
            reason = str(exc).strip().splitlines()[-1]
            msg = f"{label}: unsupported type: {reason}"
            raise RegistryError(msg) from exc
    if refused is not None:
        raise RegistryError(refused)
    assert isinstance(wrapper, mi.StructType)
    return wrapper


def _check_patterns(types: tuple[Any, ...], wrapper: mi.StructType, label: str) -> None:
    """Raise ``RegistryError`` for a ``Meta(pattern=...)`` JavaScript reads otherwise."""
    for tp, field in zip(types, wrapper.fields, strict=True):
        problem = _types.pattern_problem(field.type)
        if problem is not None:
            pattern, unportable = problem
            msg = (
                f"{label}: the pattern {pattern!r} in `{_types.declared_repr(tp)}` means one "
                f"thing on the server (Python `re`) and another in the documents (JavaScript): "
                f"{unportable}"
            )
            raise RegistryError(msg)


def _check_bigint(kind: str, label: str) -> None:
    """Raise ``RegistryError``: ``bigint`` in an argument list of ``kind`` ``ack``,
    ``error`` or ``auth``, whose packets the screening always checks for int64."""
    if kind in ("ack", "auth", "error"):
        msg = (
            f"{label}: `Meta(extra={{'bigint': True}})` is only honoured in requests and "
            "emits; the screening of every ACK and CONNECT packet refuses integers beyond "
            "int64 (`invalid_number`), so this type could never be received; send such "
            "integers as strings (`str`) or in a request or emit"
        )
        raise RegistryError(msg)


def _check_lax_keys(types: tuple[Any, ...], label: str) -> None:
    """Raise ``RegistryError`` for dict keys a lax (``strict=False``) registry would read
    differently from JSON text and from decoded values."""
    for tp in types:
        key = _types.lax_key_problem(_types.all_nodes(mi.type_info(tp)))
        if key is not None:
            msg = (
                f"{label}: `{_types.declared_repr(tp)}` has dict keys of type `{key}`, which "
                "a registry with strict=False would read differently from JSON text "
                "and from decoded values (binary events, acks, auth); "
                "use `str` keys or a strict registry"
            )
            raise RegistryError(msg)


def _check_meta_examples(types: tuple[Any, ...], label: str) -> None:
    """Raise ``RegistryError`` for a ``msgspec.Meta(examples=...)`` its type refuses."""
    for annotated, example in _types.meta_examples(types):
        try:
            msgspec.json.decode(msgspec.json.encode(example), type=annotated)
        except (msgspec.ValidationError, TypeError) as exc:
            shown = _types.type_repr(annotated)
            msg = f"{label}: example {example!r} of `{shown}` is invalid: {exc}"
            raise RegistryError(msg) from None


def _int64_paths(wrapper: mi.StructType) -> tuple[tuple[str, bool], ...] | None:
    """The attribute paths (from a decoded packet, fields ``a0``, ``a1``...) of every
    number of the argument list that could leave int64, each with whether it is a
    float; ``None`` when attributes do not reach them all, or a path is no Python name."""
    paths: list[tuple[str, bool]] = []
    for field in wrapper.fields:
        found = _types.number_paths(field.type, field.name, set())
        if found is None:
            return None
        paths += found
    return tuple(paths) if _types.python_names(paths) else None


class ArgsCodec:
    """Validates one argument list in both directions.

    ``decode`` checks what a client sent (a tuple of JSON values) and returns typed
    objects; ``encode`` checks what the server is about to send and returns the JSON
    values python-socketio transmits (``None`` for no argument, the value for one, a
    tuple for several).
    """

    __slots__ = (
        "_classes",
        "_code",
        "_decoder",
        "_floats",
        "_huge",
        "_long",
        "_needles",
        "_one",
        "_out",
        "_packet_decoder",
        "_raw",
        "_struct",
        "_tags",
        "_tags_text",
        "_text",
        "arity",
        "big_ints",
        "depth",
        "has_ints",
        "kind",
        "number_checks",
        "number_paths",
        "packet_type",
        "strict",
        "tag_check",
        "types",
    )

    types: tuple[Any, ...]
    arity: int
    kind: str
    strict: bool
    big_ints: bool
    """Whether an int marked ``extra={"bigint": True}`` lets integers beyond int64 in."""
    depth: float
    """How deep arrays and objects can nest in valid arguments (``inf``: unbounded)."""
    has_ints: bool
    """Whether valid arguments can hold a JSON number literal, so an integer beyond
    int64 (refused by the screening) could pass a typed decoder."""
    number_checks: tuple[bytes, ...]
    """What the packet codec looks for in ``number_text`` of arguments its typed
    decoder accepted, to leave them to the screening, which decodes without a type
    first and then converts: an integer beyond int64 (refused there unless the type
    declares ``bigint``); a number beyond the float range in text the decoder skips
    unread or keeps raw (refused there, ``1e400``); and for ``Decimal`` any number
    with a fraction or exponent, which the screening reads as the float it denotes
    (``1.10`` -> ``Decimal('1.1')``) where a typed decoder keeps its digits."""
    number_paths: tuple[tuple[str, bool], ...] | None
    """When attributes reach every number an integer beyond int64 could hide in,
    and nothing else needs the text: the attribute path of each, from a decoded
    packet (fields ``a0``, ``a1``...), and whether it is a float. The packet codec
    checks those values instead of searching the text (``number_checks`` is then
    empty); ``()`` when no number can be out of range."""
    packet_type: type[msgspec.Struct] | None
    """A whole event array, ``["<tag>", *args]``, as the packet codec decodes it (events
    and emits): an ``array_like`` Struct tagged with the event name, its fields ``a0``,
    ``a1``... the arguments."""
    tag_check: Callable[[str], Any] | None
    """Reads a whole event array the packet codec accepted as a :attr:`packet_type`,
    and raises ``msgspec.ValidationError`` when a tagged Struct outside a union (whose
    tag msgspec does not require) lacks its tag; ``None`` when no such Struct can
    appear in the arguments."""

    def __init__(
        self,
        types: tuple[Any, ...],
        *,
        strict: bool,
        kind: str,
        label: str,
        code: ErrorCode | None = None,
        tag: str | None = None,
    ) -> None:
        """``code``, when given, replaces the code of every ``decode`` failure (a client's
        ack to a server emit is ``invalid_ack`` whatever is wrong with it). ``tag``, the
        event name of a request or an emit, adds :attr:`packet_type`. Raises
        ``RegistryError`` for a type that cannot mean the same on every path."""
        self.types = types
        self._code = code
        self.arity = len(types)
        self.kind = kind
        self.strict = strict
        # Exact classes let ``encode`` skip normalising instances of the declared type.
        self._classes = tuple(t if isinstance(t, type) else None for t in types)
        fields = [(f"a{i}", t) for i, t in enumerate(types)]
        # gc=False: a wrapper lives for one message and never takes part in a cycle
        self._struct: Final = msgspec.defstruct(label, fields, array_like=True, gc=False)
        wrapper = _read_types(self._struct, types, label)
        _check_patterns(types, wrapper, label)
        nodes = _types.all_nodes(wrapper)
        self._plan_numbers_in(wrapper, nodes)
        self._plan_numbers_out(wrapper, nodes)
        if self.big_ints:
            _check_bigint(kind, label)
        self.packet_type = None
        self._packet_decoder: msgspec.json.Decoder[Any] | None = None
        if tag is not None:
            self.packet_type = msgspec.defstruct(
                f"{label} packet",
                fields,
                array_like=True,
                tag=tag,
                forbid_unknown_fields=True,
                gc=False,
            )
        self._plan_tags(wrapper, tag)
        self._plan_decoders(nodes)
        if not strict:
            _check_lax_keys(types, label)
        _check_meta_examples(types, label)

    @property
    def packet_decoder(self) -> msgspec.json.Decoder[Any] | None:
        """Decodes a whole event array, ``["<tag>", *args]``, to a :attr:`packet_type`
        alone (``None`` without one). Built on first use: the packet codec decodes the
        union of a namespace's packets instead, so no server builds this one."""
        if self._packet_decoder is None and self.packet_type is not None:
            self._packet_decoder = msgspec.json.Decoder(self.packet_type, strict=self.strict)
        return self._packet_decoder

    def _plan_numbers_in(self, wrapper: mi.StructType, nodes: list[mi.Type]) -> None:
        """What the packet codec must still check on arguments that decoded and
        validated: :attr:`big_ints`, :attr:`depth`, :attr:`has_ints`,
        :attr:`number_checks`, :attr:`number_paths`."""
        self.big_ints = any(_types.bigint(n) for n in nodes)
        self.depth = max((_types.depth(f.type, set()) for f in wrapper.fields), default=0)
        skips = any(_types.skips(n) for n in nodes if n is not wrapper)  # (the wrapper is ours)
        takes = skips or any(_types.takes_number(n) for n in nodes)
        self.has_ints = not self.big_ints and takes
        unread = skips or any(isinstance(n, mi.RawType) for n in nodes)
        keys = {
            id(k) for n in nodes if isinstance(n, mi.DictType) for k in _types.key_types(n.key_type)
        }
        decimals = any(isinstance(n, mi.DecimalType) and id(n) not in keys for n in nodes)
        self.number_checks = ((LONG_INT,) if self.has_ints else ()) + (
            FRACTIONS if decimals else HUGE_EXPONENTS if unread else ()
        )
        self.number_paths = None
        if self.number_checks == (LONG_INT,):
            paths = _int64_paths(wrapper)
            if paths is not None:
                self.number_checks = ()
                self.number_paths = paths

    def _plan_numbers_out(self, wrapper: mi.StructType, nodes: list[mi.Type]) -> None:
        """What ``encode`` checks in the numbers it sends (after :meth:`_plan_numbers_in`)."""
        # only values that may hold a float (or a null, msgspec's JSON for NaN and
        # Infinity) are checked for NaN / Infinity when sent; a refused one always is
        self._floats = any(isinstance(n, (mi.FloatType, mi.AnyType, mi.NoneType)) for n in nodes)
        # What ``encode`` looks for in ``number_text`` of the JSON it sends, to look
        # closer (the receiver's screening refuses it with ``invalid_number``): a run of 19
        # digits unless the type declares ``bigint`` or its bounds keep every number inside
        # int64; a huge exponent where ``msgspec.Raw`` text goes out unread.
        self._needles = _types.outgoing_needles(wrapper, nodes, self.big_ints)
        self._long = LONG_INT in self._needles
        self._huge = HUGE_EXPONENTS[0] in self._needles  # text from msgspec.Raw

    def _plan_tags(self, wrapper: mi.StructType, tag: str | None) -> None:
        """The checks of a tagged Struct outside a union, whose tag is checked after the
        declared type: on decoded values, on JSON text, on a whole packet
        (:attr:`tag_check`)."""
        self._tags: Any = _tag_check(wrapper, self.strict, json=False)
        self._tags_text: Callable[[str | bytes], Any] | None = None
        self.tag_check = None
        if self._tags is not None:
            self._tags_text = _tag_check(wrapper, self.strict, json=True)
            if tag is not None:
                self.tag_check = _tag_check(wrapper, self.strict, json=True, tag=tag)

    def _plan_decoders(self, nodes: list[mi.Type]) -> None:
        """The decoders of the argument list's JSON text, and how validated values are
        turned back into JSON values."""
        self._decoder = msgspec.json.Decoder(self._struct)  # what is sent is strict
        self._text = (
            self._decoder if self.strict else msgspec.json.Decoder(self._struct, strict=False)
        )
        """The argument list read from JSON text: the meaning every path must share."""
        # Lists ``convert`` cannot read as JSON does are read from (re-encoded) JSON text.
        self._raw = any(_types.needs_text(n) for n in nodes)
        # a validated value holds msgspec.Raw only where the type declares it
        self._out: Callable[[Any], Any] = _builtins if self._raw else msgspec.to_builtins
        # ``encode(raw=True)`` of a single value (the only use) reads the value alone
        self._one: msgspec.json.Decoder[Any] = (
            msgspec.json.Decoder(self.types[0]) if self.arity == 1 else self._decoder
        )

    def check_example(self, example: Any, label: str) -> Any:
        """Check one example of the whole argument list; return its JSON form.

        One argument: the example is its value; several: a tuple or list of values;
        none: ``None``. The check goes through JSON, as a real message would.
        """
        if self.arity == 1:
            values: Any = (example,)
        elif self.arity == 0:
            values = () if example is None else (example,)
        else:
            values = example
        try:
            data = _builtins(values)
            if isinstance(data, tuple):
                data = list(data)
            if not isinstance(data, list) or len(data) != self.arity:
                got = len(data) if isinstance(data, list) else 1
                msg = f"Expected {_plural(self.arity)}, got {got}"
                raise msgspec.ValidationError(msg)
            msgspec.json.decode(msgspec.json.encode(data), type=self._struct)
        except msgspec.ValidationError as exc:
            detail = self._validation_error(exc, "", "").detail
            msg = f"{label}: example {example!r} is invalid: {detail}"
            raise RegistryError(msg) from None
        except TypeError as exc:  # not serialisable
            msg = f"{label}: example {example!r} is invalid: {exc}"
            raise RegistryError(msg) from None
        return data[0] if self.arity == 1 else (data or None)

    def _error(
        self, code: ErrorCode, detail: str, event: str, namespace: str, path: str | None
    ) -> PayloadError:
        return PayloadError(code, event, detail, path=path, namespace=namespace, kind=self.kind)

    def _validation_error(
        self,
        exc: msgspec.ValidationError,
        event: str,
        namespace: str,
        code: ErrorCode = "invalid_payload",
    ) -> PayloadError:
        # msgspec reports ``<what> - at `<path>```; its paths index our wrapper array.
        # A single argument is reported from ``$`` as if it were the whole payload.
        # A dict key is reported as ``key` in `<path>```: the path of its object, a
        # valid JSON path, is kept, and the message says it is a key.
        # The client's own text (an unknown field name, a key, a tag or enum value) sits
        # in ``<what>``: it is cut at MAX_ECHOED_TEXT, and so is the path, so neither
        # repeats more than that of what the client sent. The path is the last part
        # (``rpartition``: the client's text may hold `` - at ``` itself).
        text = str(exc)
        head, sep, tail = text.rpartition(_AT)
        if not sep:
            head = text
        head = _clip(head)
        path = _clip(tail[:-1]) if sep else "$"
        key = path.startswith(_KEY)
        if key:
            path = path[len(_KEY) :]
        if self.arity == 1:
            path = _INDEX.sub("$", path, count=1)
        if key:
            detail = f"{head} - at a key in `{path}`"
        else:
            detail = f"{head}{_AT}{path}`" if path != "$" else head
        return self._error(code, detail, event, namespace, path)

    def _text_error(self, args: Any, text: str | bytes | None) -> msgspec.ValidationError | None:
        """The error the JSON decoder gives for a rejected argument list (``convert``
        words a few failures differently, e.g. a tuple of the wrong length); ``None``
        for binary data, which has no JSON text. ``text``: the list's own JSON text,
        when it was decoded from some (it then holds no binary data, and is neither
        searched for any nor encoded again)."""
        if text is None:
            if _has_bytes(args):
                return None
            text = _encode(args)
        try:
            self._text.decode(text)
        except msgspec.ValidationError as exc:
            return exc
        except TypeError:  # not JSON at all
            return None
        return None

    def decode(
        self,
        args: tuple[Any, ...] | list[Any],
        event: str,
        namespace: str,
        *,
        text: str | bytes | None = None,
    ) -> tuple[Any, ...]:
        """Validate received arguments and return them as typed objects.

        ``text``: the JSON array the arguments were decoded from (a text frame's), if
        at hand; a rejection is then worded from it, without walking the arguments for
        binary data or encoding them again. Raises :class:`~sioschema.PayloadError`
        (``bad_arity``, ``invalid_payload``, or the codec's own ``code``)."""
        if len(args) != self.arity:
            detail = f"Expected {_plural(self.arity)}, got {len(args)}"
            error = self._error(self._code or "bad_arity", detail, event, namespace, "$")
            raise error
        if not self.arity:
            return ()
        try:
            if self._raw:
                # Raw, Decimal keys: read from JSON text; binary data in such a list is
                # read as its JSON form (base64 text)
                text = _encode(args) if text is None else text
                obj = self._text.decode(text)
            else:
                # str_keys: dict keys are read from strings, as the JSON decoder does
                obj = msgspec.convert(args, self._struct, strict=self.strict, str_keys=True)
        except msgspec.ValidationError as exc:
            code = self._code or "invalid_payload"
            worded = exc if self._raw else self._text_error(args, text) or exc
            raise self._validation_error(worded, event, namespace, code) from None
        if self._tags is not None:
            self._check_tags(args, text, event, namespace)
        return msgspec.structs.astuple(obj)

    def _check_tags(
        self,
        args: tuple[Any, ...] | list[Any],
        text: str | bytes | None,
        event: str,
        namespace: str,
    ) -> None:
        """Raise when a tagged Struct outside a union lacks its tag (msgspec requires a
        tag only between the members of a union; the documents always require it)."""
        try:
            if self._raw:
                assert self._tags_text is not None and text is not None
                self._tags_text(text)
            else:
                msgspec.convert(args, self._tags, strict=self.strict, str_keys=True)
        except msgspec.ValidationError as exc:
            code = self._code or "invalid_payload"
            raise self._validation_error(exc, event, namespace, code) from None

    def encode(self, value: Any, event: str, namespace: str, *, raw: bool = False) -> Any:
        """Validate a value about to be sent and return its JSON form.

        ``raw=True`` returns each argument as ``msgspec.Raw`` JSON, for a packet class
        that writes with msgspec: the value is encoded once and that encoding is what
        gets validated (a typed decode, no Python walk) and sent. Raises
        :class:`~sioschema.PayloadError` (``bad_arity``, ``invalid_payload``,
        ``invalid_number``).
        """
        arity = self.arity
        if raw and arity == 1:
            return self._encode_one(value, event, namespace)
        if arity == 0:
            return self._encode_nothing(value, event, namespace)
        if arity == 1:
            values: tuple[Any, ...] = (value,)
        elif isinstance(value, tuple) and len(value) == arity:
            values = value
        else:
            got = len(value) if isinstance(value, tuple) else 1
            detail = f"Expected a tuple of {_plural(arity)}, got {got}"
            error = self._error("bad_arity", detail, event, namespace, "$")
            raise error
        exact = all(type(v) is c for v, c in zip(values, self._classes, strict=True))
        if raw:
            return self._encode_parts(values, exact, event, namespace)
        # the values as builtins, validated (kept inline: the common path of a server
        # that writes with stdlib json, and of every client)
        try:
            data = msgspec.to_builtins(values)
        except TypeError:  # msgspec.Raw, or an object nothing can write
            try:
                data = msgspec.to_builtins(values, enc_hook=_raw_as_builtins)
            except TypeError as exc:
                raise self._refusal(exc, values, None, event, namespace) from None
        try:
            if self._raw:
                # Raw, Decimal keys: validated from JSON text, as they are received
                obj = self._decoder.decode(_encode(data))
            else:
                obj = msgspec.convert(data, self._struct, str_keys=True)
        except (msgspec.DecodeError, TypeError) as exc:
            raise self._refusal(exc, data, None, event, namespace) from None
        if self._floats and not is_finite(data):
            self._check_finite(data, event, namespace)
        # Dicts and other convertible values: send the validated form, so fields the
        # type does not declare never leave the process.
        out = data if exact else self._out(obj)
        if self._long or self._huge:
            self._check_text(_encode(out), event, namespace)
        return out[0] if arity == 1 else tuple(out)

    def _encode_nothing(self, value: Any, event: str, namespace: str) -> None:
        """``encode`` of an empty argument list: ``None`` is all it takes."""
        if value is not None:
            detail = f"Expected no value, got `{type(value).__name__}`"
            error = self._error("invalid_payload", detail, event, namespace, "$")
            raise error

    def _encode_parts(
        self, values: tuple[Any, ...], exact: bool, event: str, namespace: str
    ) -> tuple[msgspec.Raw, ...]:
        """``encode(raw=True)`` of several values (``exact``: each is of its declared
        class): the encoded list is what is validated and sent."""
        try:
            parts = [_encode(v) for v in values]
        except TypeError as exc:  # an object msgspec cannot serialise
            raise self._refusal(exc, values, None, event, namespace) from None
        text = b"[" + b",".join(parts) + b"]"
        try:
            obj = self._decoder.decode(text)
        except msgspec.DecodeError as exc:  # invalid, or text a Raw holds broke the JSON
            raise self._refusal(exc, values, text, event, namespace) from None
        # msgspec writes NaN and Infinity as null: look closer only then
        if self._floats and text.partition(b"null")[1]:
            self._check_finite(values, event, namespace)
        if not exact:
            # the validated form: fields the type does not declare never leave
            parts = [_encode(v) for v in msgspec.structs.astuple(obj)]
            text = b"[" + b",".join(parts) + b"]"
        if self._long and text.translate(NUMBER_CHARS).partition(LONG_INT)[1] or self._huge:
            self._check_text(text, event, namespace)
        return tuple(msgspec.Raw(part) for part in parts)

    def _refusal(
        self,
        exc: Exception,
        value: Any,
        text: bytes | None,
        event: str,
        namespace: str,
        one: bool = False,
    ) -> PayloadError:
        """The error for a value ``encode`` cannot send, from what refused it: the
        declared type (a ``msgspec.ValidationError``: said of a NaN or an infinity
        rather than of the ``null`` msgspec writes for it), broken text a
        ``msgspec.Raw`` holds (a ``msgspec.DecodeError``), a ``Raw`` holding ``NaN`` or
        ``1e400`` (``invalid_number``) or an object msgspec cannot write (any other
        ``TypeError``). ``value``: all the values, or with ``one`` the single value of
        ``_encode_one``; ``text``: the JSON that was decoded, ``None`` when the values
        were converted as builtins (they are then always looked at)."""
        if isinstance(exc, msgspec.ValidationError):
            # msgspec writes NaN and Infinity as null: say what the value is, not `null`
            if text is None or text.partition(b"null")[1]:
                self._check_finite(value, event, namespace, one)
            return self._validation_error(exc, event, namespace)
        if isinstance(exc, msgspec.DecodeError):
            return self._raw_error(text or b"", event, namespace)
        code: ErrorCode = "invalid_number" if isinstance(exc, _BadNumber) else "invalid_payload"
        return self._error(code, str(exc), event, namespace, "$")

    def _number_error(
        self, found: tuple[str, str], event: str, namespace: str, one: bool
    ) -> PayloadError:
        """``invalid_number`` at the path ``number_problem`` found; ``one``: it walked
        the single value of ``_encode_one``, not the argument list."""
        detail, path = found
        if self.arity == 1 and not one:
            path = _INDEX.sub("$", path, count=1)
        shown = f"{detail}{_AT}{path}`" if path != "$" else detail
        return self._error("invalid_number", shown, event, namespace, path)

    def _check_finite(self, value: Any, event: str, namespace: str, one: bool = False) -> None:
        """Raise ``invalid_number`` when ``value`` (all the arguments: a tuple, or the
        one value of ``_encode_one``) holds a NaN or an infinity; ``msgspec.Raw`` is read
        as its JSON."""
        try:
            data = _builtins(value)
        except _BadNumber as exc:
            error = self._error("invalid_number", str(exc), event, namespace, "$")
            raise error from None
        except TypeError as exc:  # a Raw whose text only passed inside its container
            error = self._error("invalid_payload", str(exc), event, namespace, "$")
            raise error from None
        if is_finite(data):
            return
        found = number_problem(data, big_ints=True)
        if found is not None:
            raise self._number_error(found, event, namespace, one)

    def _check_text(self, text: bytes, event: str, namespace: str, one: bool = False) -> None:
        """Raise ``invalid_number`` when the JSON about to be sent holds a number the
        receiver's screening refuses. A byte-table translation and a search; the value is
        decoded and walked only when they find something that may be one."""
        numbers = text.translate(NUMBER_CHARS)
        if not any(numbers.partition(needle)[1] for needle in self._needles):
            return
        try:
            value = _decode_json(text)
        except msgspec.ValidationError:  # untyped JSON refuses only a number: 1e400
            error = self._error("invalid_number", _OUT_OF_RANGE, event, namespace, "$")
            raise error from None
        found = number_problem(value, big_ints=self.big_ints)
        if found is not None:
            raise self._number_error(found, event, namespace, one)

    def _raw_error(self, text: bytes, event: str, namespace: str) -> PayloadError:
        """The error for JSON text that does not decode: a ``msgspec.Raw`` holding a
        ``NaN`` or ``Infinity`` literal (``invalid_number``, as the screening words it),
        or one that does not hold one JSON value."""
        try:
            _decode_json(text)
        except msgspec.DecodeError as exc:
            if _non_finite_literal(text, exc):
                return self._error("invalid_number", _NOT_JSON, event, namespace, "$")
        except msgspec.ValidationError:
            return self._error("invalid_number", _OUT_OF_RANGE, event, namespace, "$")
        return self._error("invalid_payload", _MALFORMED_RAW, event, namespace, "$")

    def _encode_one(self, value: Any, event: str, namespace: str) -> msgspec.Raw:
        """``encode(raw=True)`` of a single value: the common case, kept short."""
        try:
            part = _encode(value)
        except TypeError as exc:  # an object msgspec cannot serialise
            raise self._refusal(exc, value, None, event, namespace, one=True) from None
        try:
            checked = self._one.decode(part)
        except msgspec.DecodeError as exc:  # invalid, or text a Raw holds broke the JSON
            raise self._refusal(exc, value, part, event, namespace, one=True) from None
        # msgspec writes NaN and Infinity as null: look closer only then
        if self._floats and part.partition(b"null")[1]:
            self._check_finite(value, event, namespace, one=True)
        if type(value) is not self._classes[0]:
            # the validated form: fields the type does not declare never leave
            part = _encode(checked)
        # (``partition``, not ``in``: ``in`` on bytes first tries an int and raises inside)
        if self._long and part.translate(NUMBER_CHARS).partition(LONG_INT)[1] or self._huge:
            self._check_text(part, event, namespace, one=True)
        return msgspec.Raw(part)


# --- packets in: one msgspec pass per declared event ------------------------

Decoded = tuple[str, "int | None", str, "Event | Emit[Any, Any]", tuple[Any, ...]]
"""``(namespace, ack id, name, declaration, args)`` of an EVENT packet of a declared event,
decoded and validated in one pass: what the protocol core turns into its ``Deliver``
action (a plain tuple, the cheapest thing to build per frame)."""


_ID_DIGITS = "0123456789"
_read_id = msgspec.json.Decoder(int).decode
_MAX_HEAD = 16  # "2" and an ack id of at most 15 digits (the screening's limit)
# a frame the one pass does not decide: invalid, or a str msgspec cannot read (a lone
# surrogate), or nested past msgspec's own recursion limit
_UNDECIDED = (msgspec.ValidationError, msgspec.DecodeError, RecursionError, UnicodeEncodeError)

# per namespace: one decoder for all its events, and per event (found by the class its
# packet decodes to) its finisher (below)
_Finish = Callable[[Any, str, "int | None"], "Decoded | None"]
_Namespace = tuple[Callable[[str], Any], dict[type, _Finish]]


def _checks(codec: ArgsCodec, limits: Limits, tag_check: Any, scope: dict[str, Any]) -> list[str]:
    """The lines of a compiled finisher that check what a typed pass cannot rule out
    in a decoded ``packet`` read from the JSON text ``body``, each ``return None`` when
    the screening must decide: nesting, when the types can nest deeper than ``limits``
    allow; number text holding what the screening refuses or reads differently
    (``codec.number_checks``); a number at the codec's ``number_paths`` beyond int64;
    a tagged Struct outside a union without its tag (``tag_check``, a decoder of the
    body, when given). The names the lines use are added to ``scope``.

    Floats are compared with float bounds, which CPython compares fastest; the paths
    are checked Python names (``ArgsCodec.number_paths``)."""
    lines: list[str] = []
    if codec.depth > limits.max_depth:
        # a body shorter than max_depth + 2 brackets and as many closing ones cannot nest
        # too deep, and skips the bracket count
        shallow = 2 * (limits.max_depth + 2)
        lines += [f"    if len(body) >= {shallow} and maybe_too_deep(body, limits):"]
        lines.append("        return None")
    if codec.number_checks:
        # number_text(body), inlined; a str msgspec decoded is valid UTF-8
        lines.append("    text = body.encode().translate(NUMBER_CHARS)")
        for i, needle in enumerate(codec.number_checks):
            test = f"text.partition(needle{i})[1]"
            if needle is not LONG_INT:
                test += f" and in_numbers(needle{i}, body)"
            lines += [f"    if {test}:", "        return None"]
    for path, is_float in codec.number_paths or ():
        if is_float:  # strictly inside: a float read from 2**63 or beyond is 2**63 or more
            test = f"{-(2.0**63)!r} < packet.{path} < {2.0**63!r}"
        else:
            test = f"{-(2**63)} <= packet.{path} <= {2**63 - 1}"
        lines += [f"    if not {test}:", "        return None"]
    if tag_check is not None:
        # a tagged Struct outside a union, whose tag msgspec does not require
        lines += ["    try:", "        tag_check(body)", "    except ValidationError:"]
        lines.append("        return None")
    scope.update(
        limits=limits,
        maybe_too_deep=maybe_too_deep,
        NUMBER_CHARS=NUMBER_CHARS,
        in_numbers=in_numbers,
        tag_check=tag_check,
        ValidationError=msgspec.ValidationError,
        **{f"needle{i}": needle for i, needle in enumerate(codec.number_checks)},
    )
    return lines


def _compiled(lines: list[str], scope: dict[str, Any], where: str) -> Any:
    """The function ``lines`` define, compiled once in ``scope``."""
    exec(compile("\n".join(lines), where, "exec"), scope)
    return scope[lines[0][4 : lines[0].index("(")]]


def _finisher(
    namespace: str, event: Event | Emit[Any, Any], codec: ArgsCodec, limits: Limits
) -> _Finish:
    """The last step of the one pass for a decoded packet of ``event`` on ``namespace``
    (``codec`` is its request's, or its payload's for an emit), given the packet, the
    JSON ``body`` it came from and the frame's ack id. ``None`` (the screening decides)
    when the name was not written plainly (``["<name>"``: escapes or spaces), or when
    a check of :func:`_checks` fails (with the codec's ``tag_check``); else the
    :data:`Decoded` tuple, with the arguments read off the packet's fields.

    Written out and compiled once per event, as attrs and dataclasses write their
    ``__init__``: only the checks this event needs, attribute loads and comparisons,
    and one call per frame for all of it.
    """
    scope: dict[str, Any] = {"namespace": namespace, "name": event.name, "event": event}
    lines = ["def finish(packet, body, id):", f"    if body[{2 + len(event.name)}] != '\"':"]
    lines.append("        return None")
    lines += _checks(codec, limits, codec.tag_check, scope)
    args = "".join(f"packet.a{i}, " for i in range(codec.arity))
    lines.append(f"    return (namespace, id, name, event, ({args}))\n")
    finish: _Finish = _compiled(lines, scope, f"<sioschema packet {event.name!r}>")
    return finish


AckDecoder = Callable[[str], "tuple[Any, ...] | None"]
"""``decode(body)``: the typed arguments of an ACK whose JSON array is ``body``
(``[...]``), decoded and validated in one pass, or ``None`` when the screening decides."""


def _ack_decoder(codec: ArgsCodec, limits: Limits, keys: tuple[str, ...]) -> AckDecoder:
    """The one pass for an ACK of the declared ack ``codec``: its arguments'
    ``array_like`` Struct (no name tag, no more arguments than declared) decoded from
    the JSON array, with the codec's strictness, then the checks of
    :func:`_checks` (with the codec's own tag check of its arguments' text). ``keys``
    are the object keys whose ack only the screening answers (the refused-ack marker's;
    on a client the error reply's too): when a single argument can be an object, a
    body holding one of them as written, or any escape (a key could be spelled with
    one), is left to it. Compiled once per declared ack and ``limits``."""
    # the argument list's own Struct, with no room for more arguments than declared
    fields = [(f"a{i}", t) for i, t in enumerate(codec.types)]
    name = f"{codec._struct.__name__} in"
    struct = msgspec.defstruct(name, fields, array_like=True, forbid_unknown_fields=True, gc=False)
    read = msgspec.json.Decoder(struct, strict=codec.strict).decode
    scope: dict[str, Any] = {"read": read, "UNDECIDED": _UNDECIDED}
    lines = ["def decode(body):"]
    if codec.arity == 1 and _types.takes_object(mi.type_info(codec.types[0])):
        # a backslash: any escape; else each key as JSON writes it
        needles = ("\\", *(_encode(key).decode() for key in keys))
        scope.update({f"key{i}": needle for i, needle in enumerate(needles)})
        tests = [f"key{i} in body" for i in range(len(needles))]
        lines += [f"    if {' or '.join(tests)}:", "        return None"]
    lines += ["    try:", "        packet = read(body)", "    except UNDECIDED:"]
    lines.append("        return None")
    lines += _checks(codec, limits, codec._tags_text, scope)
    args = "".join(f"packet.a{i}, " for i in range(codec.arity))
    lines.append(f"    return ({args})\n")
    decode: AckDecoder = _compiled(lines, scope, "<sioschema ack>")
    return decode


class PacketCodec:
    """Decodes the EVENT packets of declared events straight into typed arguments.

    Per namespace, one msgspec decoder reads the union of every declared event's packet
    (an ``array_like`` Struct tagged with the event name): msgspec finds the event by
    its name and validates its arguments in the same pass, with no name lookup in
    Python.
    """

    __slots__ = ("_namespaces", "_root", "acks")

    def __init__(
        self,
        namespaces: Mapping[str, RegistryInfo],
        limits: Limits,
        *,
        side: Literal["server", "client"] = "server",
        ack_keys: tuple[str, ...] = (),
    ) -> None:
        """``side="server"`` decodes the registries' client events (``Event``) and the
        client's acks to their emits, ``"client"`` their server emits (``Emit``) and the
        server's acks to their events. ``ack_keys``: the object keys whose ack only the
        screening answers (see :func:`_ack_decoder`)."""
        self.acks = self._plan_acks(namespaces, limits, side, ack_keys)
        """The one pass of each declared ack this side receives, by its codec."""
        self._namespaces: dict[str, _Namespace] = {}
        for namespace, found in namespaces.items():
            # the declarations of one side with their codecs (a request's, an emit's
            # payload's), and its strictness: the registry's for requests, emits strict
            declared: list[tuple[Event | Emit[Any, Any], ArgsCodec]]
            if side == "server":
                declared = [(e, e.request_codec) for e in found.events.values()]
            else:
                declared = [(e, e.payload_codec) for e in found.emits.values()]
            strict = found.strict if side == "server" else True
            entries: dict[type, _Finish] = {}
            for event, codec in declared:
                if codec.packet_type is None:
                    continue
                entries[codec.packet_type] = _finisher(namespace, event, codec, limits)
            if entries:
                union: Any = Union[tuple(entries)]  # noqa: UP007 (a runtime union of classes)
                decoder = msgspec.json.Decoder(union, strict=strict)
                self._namespaces[namespace] = (decoder.decode, entries)
        self._root = self._namespaces.get("/")

    @staticmethod
    def _plan_acks(
        namespaces: Mapping[str, RegistryInfo],
        limits: Limits,
        side: Literal["server", "client"],
        keys: tuple[str, ...],
    ) -> dict[ArgsCodec, AckDecoder]:
        """The one pass of each declared ack of what this side sends (the emits' on a
        server, the events' on a client), by its codec. An ack holding ``msgspec.Raw``
        or ``Decimal`` dict keys has none: the screening reads it from the text it
        encodes again, whose ``Raw`` would not be the frame's."""
        acks: dict[ArgsCodec, AckDecoder] = {}
        for found in namespaces.values():
            sent = found.emits if side == "server" else found.events
            for sending in sent.values():
                codec = sending.ack_codec
                if codec is not None and not codec._raw and codec not in acks:
                    # an error the peer may answer with is the screening's to read
                    sees = (*keys, "error") if sending.errors and "error" not in keys else keys
                    acks[codec] = _ack_decoder(codec, limits, sees)
        return acks

    def decode_frame(self, frame: str) -> Decoded | None:
        """A whole text frame of the common forms ``2["x",...]``, ``2<id>["x",...]`` and
        ``2/<namespace>,<id>["x",...]``: its namespace, ack id, event and typed
        arguments.

        The header is split with string methods, without python-socketio's or the
        screening's general parser; ``None`` for any other form.
        """
        # The root namespace is the common case: it is decided here without another
        # call (the steps are those of decode_event; keep them in step).
        body = frame.lstrip(_ID_DIGITS)  # the type and the ack id are digits
        head = len(frame) - len(body)
        if head == 1:
            id = None
            if body < "[":  # "/<namespace>,..." (or nothing)
                return self._namespaced(frame)
        elif not 1 < head <= _MAX_HEAD:
            return None
        if frame[0] != "2":  # an EVENT packet
            return None
        found = self._root
        if found is None:
            return None
        decode, entries = found
        try:
            if head > 1:  # an ack id, read as a JSON integer: a third of what int() costs
                id = _read_id(frame[1:head])
            obj = decode(body)
        except _UNDECIDED:
            return None
        return entries[type(obj)](obj, body, id)

    def _namespaced(self, frame: str) -> Decoded | None:
        """``2/<namespace>,<id>[...]``."""
        namespace, comma, rest = frame[1:].partition(",")
        if not comma or namespace[:1] != "/" or "?" in namespace or frame[0] != "2":
            return None
        body = rest.lstrip(_ID_DIGITS)
        head = len(rest) - len(body)
        if head >= _MAX_HEAD:
            return None
        try:
            id = _read_id(rest[:head]) if head else None
        except _UNDECIDED:
            return None
        return self.decode_event(namespace, body, id)

    def decode_event(self, namespace: str, body: str, id: int | None = None) -> Decoded | None:
        """``body`` is the JSON of an EVENT packet: ``["make_move",{...}]``; ``id`` its
        ack id.

        Returns the validated arguments, or ``None`` when the slow path must decide.
        """
        found = self._namespaces.get(namespace)
        if found is None or body[:2] != '["':
            return None
        decode, entries = found
        try:
            obj = decode(body)
        except _UNDECIDED:
            return None
        return entries[type(obj)](obj, body, id)

    @staticmethod
    def split_ack(frame: str) -> tuple[str, int, str] | None:
        """An ACK text frame of the forms ``3<id>[...]`` and ``3/<namespace>,<id>[...]``
        (``frame[0]`` is ``"3"``): its namespace, ack id and JSON array, split with
        string methods as :meth:`decode_frame` splits an EVENT's; ``None`` for any other
        form (no id, one with leading zeros or over 15 digits, a query in the namespace)."""
        namespace = "/"
        if frame[1:2] != "/":
            body = frame.lstrip(_ID_DIGITS)  # the type and the ack id are digits
            digits = frame[1 : len(frame) - len(body)]
        else:
            namespace, comma, rest = frame[1:].partition(",")
            if not comma or "?" in namespace:
                return None
            body = rest.lstrip(_ID_DIGITS)
            digits = rest[: len(rest) - len(body)]
        if not 0 < len(digits) < _MAX_HEAD or body[:1] != "[":
            return None
        try:
            id = _read_id(digits)
        except _UNDECIDED:
            return None
        return namespace, id, body
