"""The packet codec: one msgspec pass per declared event in, msgspec JSON out.

python-socketio decodes a packet's JSON with stdlib ``json`` into dicts and lists, and a
validator then walks them again. Here:

- **In**: for ``2<id>["<name>", ...]`` on a registry namespace, one msgspec decoder per
  namespace reads the whole array as the union of its events' packets (each an
  ``array_like`` Struct tagged with the event name), so the event, the arity and every
  argument are found and checked in the same pass. What a typed pass cannot rule out
  is checked after it, only for the events where it can happen (nesting, numbers the
  screening would refuse or read differently). Anything else (an undeclared event, a
  binary packet, a name with escapes, a payload that could break a limit, a payload
  that fails its type) returns ``None`` and takes the screening path, whose answers
  are unchanged: a failing payload still gets its exact error ack.
- **Out**: :class:`CodecPacket`, given to python-socketio as the per-server
  ``serializer=``, writes packets with msgspec and looks for binary data with a tight
  loop instead of python-socketio's recursive ``reduce``; the servers tell it when data
  is known to hold none (everything sioschema validated went through
  ``msgspec.to_builtins``, which leaves no bytes).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal, Union

import msgspec
from socketio import packet

from ._compile import ArgsCodec
from ._registry import Emit, Event
from ._wire import LONG_INT, NUMBER_CHARS, Limits, in_numbers, maybe_too_deep
from .inspect import RegistryInfo

__all__ = ["CodecPacket", "Decoded", "PacketCodec", "codec_packet", "writes_raw"]


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


def _finisher(
    namespace: str, event: Event | Emit[Any, Any], codec: ArgsCodec, limits: Limits
) -> _Finish:
    """The last step of the one pass for a decoded packet of ``event`` on ``namespace``
    (``codec`` is its request's, or its payload's for an emit), given the packet, the
    JSON ``body`` it came from and the frame's ack id. ``None`` (the screening decides)
    when the name was not written plainly (``["<name>"``: escapes or spaces), when the
    body could nest deeper than ``limits`` allow, when its number text holds what the
    screening refuses or reads differently
    (``codec.number_checks``), when a number at the codec's ``number_paths`` is
    beyond int64, or when a tagged Struct outside a union lacks its tag
    (``codec.tag_check``); else the :data:`Decoded` tuple, with the arguments read off the packet's
    fields.

    Written out and compiled once per event, as attrs and dataclasses write their
    ``__init__``: only the checks this event needs, attribute loads and comparisons,
    and one call per frame for all of it. Floats are compared with float bounds, which
    CPython compares fastest; the paths are checked Python names
    (``ArgsCodec.number_paths``).
    """
    lines = ["def finish(packet, body, id):", f"    if body[{2 + len(event.name)}] != '\"':"]
    lines.append("        return None")
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
    if codec.tag_check is not None:
        # a tagged Struct outside a union, whose tag msgspec does not require
        lines += ["    try:", "        tag_check(body)", "    except ValidationError:"]
        lines.append("        return None")
    args = "".join(f"packet.a{i}, " for i in range(codec.arity))
    lines.append(f"    return (namespace, id, name, event, ({args}))\n")
    scope: dict[str, Any] = {
        "namespace": namespace,
        "name": event.name,
        "event": event,
        "limits": limits,
        "maybe_too_deep": maybe_too_deep,
        "NUMBER_CHARS": NUMBER_CHARS,
        "in_numbers": in_numbers,
        "tag_check": codec.tag_check,
        "ValidationError": msgspec.ValidationError,
        **{f"needle{i}": needle for i, needle in enumerate(codec.number_checks)},
    }
    exec(compile("\n".join(lines), f"<sioschema packet {event.name!r}>", "exec"), scope)
    finish: _Finish = scope["finish"]
    return finish


class PacketCodec:
    """Decodes the EVENT packets of declared events straight into typed arguments.

    Per namespace, one msgspec decoder reads the union of every declared event's packet
    (an ``array_like`` Struct tagged with the event name): msgspec finds the event by
    its name and validates its arguments in the same pass, with no name lookup in
    Python.
    """

    __slots__ = ("_namespaces", "_root")

    def __init__(
        self,
        namespaces: Mapping[str, RegistryInfo],
        limits: Limits,
        *,
        side: Literal["server", "client"] = "server",
    ) -> None:
        """``side="server"`` decodes the registries' client events (``Event``),
        ``"client"`` their server emits (``Emit``)."""
        self._namespaces: dict[str, _Namespace] = {}
        for namespace, found in namespaces.items():
            declared: Mapping[str, Event | Emit[Any, Any]]
            declared = found.events if side == "server" else found.emits
            entries: dict[type, _Finish] = {}
            # one strictness per side of a registry: its requests', and emits are strict
            strict = found.strict if side == "server" else True
            for event in declared.values():
                codec = event.request_codec if isinstance(event, Event) else event.payload_codec
                if codec.packet_type is None:
                    continue
                entries[codec.packet_type] = _finisher(namespace, event, codec, limits)
            if entries:
                union: Any = Union[tuple(entries)]  # noqa: UP007 (a runtime union of classes)
                decoder = msgspec.json.Decoder(union, strict=strict)
                self._namespaces[namespace] = (decoder.decode, entries)
        self._root = self._namespaces.get("/")

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
        if not comma or namespace[:1] != "/" or "?" in namespace:
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


class _JSON:
    """The ``json`` module interface python-socketio's Packet (and its message-queue
    managers) call, on msgspec."""

    _encode = msgspec.json.Encoder().encode
    _decode = msgspec.json.Decoder().decode

    @classmethod
    def dumps(cls, obj: Any, **_: Any) -> str:
        return cls._encode(obj).decode()

    @classmethod
    def loads(cls, text: str | bytes, **_: Any) -> Any:
        return cls._decode(text)


def _has_binary(data: Any) -> bool:
    stack = [data]
    pop, extend = stack.pop, stack.extend
    while stack:
        item = pop()
        kind = type(item)
        if kind is str or kind is int or kind is float or kind is bool or item is None:
            continue
        if kind is dict:
            extend(item.values())
        elif kind is list or kind is tuple:
            extend(item)
        elif isinstance(item, (bytes, bytearray)):
            return True
        elif isinstance(item, dict):
            extend(item.values())
        elif isinstance(item, list):
            extend(item)
    return False


class CodecPacket(packet.Packet):  # type: ignore[misc]
    """python-socketio's ``Packet`` on msgspec: the ``serializer=`` sioschema servers use.

    Same wire format. Differences a user can see: data python-socketio would refuse
    (a msgspec Struct, a dataclass, a datetime) is encoded the way msgspec encodes it,
    and a non-finite float becomes ``null`` instead of the invalid ``NaN``.
    """

    json = _JSON

    @classmethod
    def data_is_binary(cls, data: Any) -> bool:
        return _has_binary(data)


def codec_packet() -> type[CodecPacket]:
    """A Packet class of one server's (or client's) own: python-socketio sets ``json=``
    on the class it is given, so every server gets a fresh subclass."""
    return type("CodecPacket", (CodecPacket,), {})


def writes_raw(manager: Any) -> bool:
    """Whether checked emits may reach this client manager as ``msgspec.Raw`` JSON.

    python-socketio's in-process manager hands them to the packet class. A message-queue
    manager writes them into its own message: with the packet class's ``json`` from
    python-socketio 5.16.1 on (msgspec here), with stdlib ``json`` before (which cannot
    write ``Raw``); the Kafka and ZeroMQ managers pickle them, for receivers that may
    not read ``Raw``. Those get the validated data as plain Python values instead.
    """
    from socketio import async_pubsub_manager, pubsub_manager

    queues = (pubsub_manager.PubSubManager, async_pubsub_manager.AsyncPubSubManager)
    if not isinstance(manager, queues):
        return True
    pickling = type(manager).name in ("kafka", "zmq")
    return getattr(manager, "json", None) is CodecPacket.json and not pickling
