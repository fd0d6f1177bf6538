"""The packet codec: one msgspec pass per declared event in, msgspec JSON out.

python-socketio decodes a packet's JSON with stdlib ``json`` into dicts and lists, and a
validator then walks them again. Here:

- **In**: for ``2<id>["<name>", ...]`` on a registry namespace, the event name is read
  off the text, and that event's pre-built ``msgspec.json.Decoder`` turns the whole array
  into its typed arguments at once (an ``array_like`` Struct tagged with the name, so the
  name, the arity and every argument are checked in the same pass). Anything else (an
  undeclared event, a binary packet, a name with escapes, a payload that could break a
  limit, a payload that fails its type) returns ``None`` and takes the screening path,
  whose answers are unchanged: a failing payload still gets its exact error ack.
- **Out**: :class:`CodecPacket`, given to python-socketio as the per-server
  ``serializer=``, writes packets with msgspec and looks for binary data with a tight
  loop instead of python-socketio's recursive ``reduce``; the servers tell it when data
  is known to hold none (everything sioschema validated went through
  ``msgspec.to_builtins``, which leaves no bytes).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import msgspec
from socketio import packet

from ._registry import Emit, Event
from ._wire import Limits, has_long_int, maybe_too_deep
from .inspect import RegistryInfo

__all__ = ["CodecPacket", "PacketCodec", "Typed", "codec_packet", "writes_raw"]

_astuple = msgspec.structs.astuple


class Typed(tuple):  # type: ignore[type-arg]
    """``(name, event, args)`` of an event decoded and validated in one pass; its first
    item is the event name, as in the ``data`` python-socketio passes around."""

    __slots__ = ()

    @property
    def event(self) -> Event:
        event: Event = self[1]
        return event

    @property
    def args(self) -> tuple[Any, ...]:
        args: tuple[Any, ...] = self[2]
        return args


_Entry = tuple[str, "Event | Emit[Any, Any]", "msgspec.json.Decoder[Any]", bool, bool]


class PacketCodec:
    """Decodes the EVENT packets of declared events straight into typed arguments."""

    __slots__ = ("_limits", "_shallow", "_table")

    def __init__(
        self,
        namespaces: Mapping[str, RegistryInfo],
        limits: Limits,
        *,
        side: Literal["server", "client"] = "server",
    ) -> None:
        """``side="server"`` decodes the registries' client events (``Event``),
        ``"client"`` their server emits (``Emit``)."""
        self._limits = limits
        # Nesting deeper than the limit takes max_depth + 2 brackets and as many closing
        # ones: a shorter body cannot break it, and skips the bracket count.
        self._shallow = 2 * (limits.max_depth + 2)
        # per event: its decoder, and which limits its valid payloads could still break
        self._table: dict[str, dict[str, _Entry]] = {}
        for namespace, found in namespaces.items():
            declared: Mapping[str, Event | Emit[Any, Any]]
            declared = found.events if side == "server" else found.emits
            table: dict[str, _Entry] = {}
            for name, event in declared.items():
                codec = event.request_codec if isinstance(event, Event) else event.payload_codec
                if codec.packet_decoder is not None:
                    table[name] = (
                        name,
                        event,
                        codec.packet_decoder,
                        codec.depth > limits.max_depth,
                        codec.has_ints,
                    )
            self._table[namespace] = table

    def decode_frame(self, frame: str) -> tuple[str, int | None, Typed] | None:
        """A whole text frame of the common forms ``2["x",...]``, ``2<id>["x",...]`` and
        ``2/<namespace>,<id>["x",...]``: its namespace, ack id and typed arguments.

        The header is split with string methods, without python-socketio's or the
        screening's general parser; ``None`` for any other form.
        """
        if frame[:1] != "2":
            return None
        start = frame.find("[")
        if start < 0:
            return None
        head = frame[1:start]
        namespace = "/"
        if head[:1] == "/":
            namespace, comma, head = head.partition(",")
            if not comma or "?" in namespace:
                return None
        id = None
        if head:
            if len(head) > 15 or not (head.isascii() and head.isdigit()):
                return None
            id = int(head)
        typed = self.decode_event(namespace, frame[start:])
        return None if typed is None else (namespace, id, typed)

    def decode_event(self, namespace: str, body: str) -> Typed | None:
        """``body`` is the JSON of an EVENT packet: ``["make_move",{...}]``.

        Returns the validated arguments, or ``None`` when the slow path must decide.
        """
        table = self._table.get(namespace)
        if table is None or not body.startswith('["'):
            return None
        end = body.find('"', 2)
        found = table.get(body[2:end]) if end > 0 else None
        if found is None:
            return None
        name, event, decoder, deep, ints = found
        if (deep and len(body) >= self._shallow and maybe_too_deep(body, self._limits)) or (
            ints and has_long_int(body)
        ):
            return None
        try:
            obj = decoder.decode(body)
        except (msgspec.ValidationError, msgspec.DecodeError):
            return None
        return Typed((name, event, _astuple(obj)))


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
    python-socketio 5.17 on (msgspec here), with stdlib ``json`` before (which cannot
    write ``Raw``); the Kafka and ZeroMQ managers pickle them, for receivers that may
    not read ``Raw``. Those get the validated data as plain Python values instead.
    """
    from socketio import async_pubsub_manager, pubsub_manager

    queues = (pubsub_manager.PubSubManager, async_pubsub_manager.AsyncPubSubManager)
    if not isinstance(manager, queues):
        return True
    pickling = type(manager).name in ("kafka", "zmq")
    return getattr(manager, "json", None) is CodecPacket.json and not pickling
