"""python-socketio's packet class on msgspec: how sioschema's servers, clients and
emitters write packets (the adapters' packet-class plugin; the core never sees it).

:class:`CodecPacket`, given to python-socketio as the per-server (or per-client)
``serializer=``, writes packets with msgspec and looks for binary data with a tight loop
instead of python-socketio's recursive ``reduce``; the adapters tell it when data is
known to hold none (everything sioschema validated went through
``msgspec.to_builtins``, which leaves no bytes). The process-global ``json=`` of
python-socketio is never touched.
"""

from __future__ import annotations

from typing import Any

import msgspec
from socketio import packet

__all__ = ["CodecPacket", "codec_packet", "writes_raw"]


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
