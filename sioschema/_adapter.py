"""What every adapter over python-socketio (the servers, the typed clients) does with
the protocol core that is specific to neither side: build a server's core, feed it a
frame another ``serializer=`` decoded, and build the packets its outgoing actions stand
for.

The core (:mod:`sioschema._core`) decides what is sent (an :class:`~sioschema._core.Ack`,
a :class:`~sioschema._core.Reply`, a :class:`~sioschema._core.Refuse`); these functions
only turn it into a packet of the adapter's packet class (python-socketio's
``Packet`` or one of its subclasses, such as sioschema's ``CodecPacket`` or
msgpack's), which the adapter then sends its own way. No I/O here.
"""

from __future__ import annotations

from typing import Any

from socketio import packet

from ._core import Ack, Action, Core, ErrorHook, Refuse, Reply
from ._docs import DocsPages
from ._packet import CodecPacket
from ._typing import Registries
from ._wire import Limits

__all__ = [
    "ack_packet",
    "outgoing_packet",
    "receive_decoded",
    "refusal_packet",
    "reply_packet",
    "screened",
    "server_core",
]


def screened(packet_class: Any) -> bool:
    """Whether frames are Socket.IO text the core reads itself: with the stock or
    sioschema's packet class, not another serializer (msgpack, pickle), whose packets
    are decoded by that serializer and then screened (:func:`receive_decoded`)."""
    return packet_class is packet.Packet or issubclass(packet_class, CodecPacket)


def receive_decoded(core: Core, packet_class: Any, eio_sid: str, data: Any) -> list[Action]:
    """The core's actions for one Engine.IO message of connection ``eio_sid`` that
    another serializer decodes: that serializer makes the packet, the core screens it
    (an undecodable message gets the core's ``bad_packet`` answer)."""
    try:
        pkt = packet_class(encoded_packet=data)
    except Exception:  # any failure of a foreign serializer is the peer's frame
        return core.undecodable(eio_sid, "Invalid packet")
    return core.receive_decoded(
        eio_sid, pkt.packet_type, pkt.namespace, pkt.id, pkt.data, pkt.attachment_count
    )


def ack_packet(packet_class: Any, ack: Ack) -> Any:
    """The ACK packet of a handler's return value (:meth:`Core.finish`)."""
    # checked data went through msgspec (to_builtins or Raw): no bytes to attach
    binary = False if ack.checked else None
    return packet_class(
        packet.ACK, namespace=ack.namespace, id=ack.id, data=ack.data, binary=binary
    )


def reply_packet(
    packet_class: Any, reply: Reply, error_event: str, *, binary: bool | None = False
) -> Any:
    """The packet of an error reply: the ACK ``reply.id`` carrying the error object, or,
    when no ack was asked for, one ``error_event`` event carrying it.

    ``binary=None`` lets the packet class look for binary data in the reply (which an
    ``on_payload_error`` hook may have replaced); ``False`` skips that search."""
    if reply.id is not None:
        return packet_class(
            packet.ACK, namespace=reply.namespace, id=reply.id, data=[reply.reply], binary=binary
        )
    return packet_class(
        packet.EVENT, namespace=reply.namespace, data=[error_event, reply.reply], binary=binary
    )


def outgoing_packet(
    packet_class: Any, action: Ack | Reply, error_event: str, *, binary: bool | None = False
) -> Any:
    """The packet of what :meth:`Core.finish` / :meth:`Core.failed` / :meth:`Core.busy`
    returned (an :class:`Ack`, or an error :class:`Reply`, built with ``binary`` as
    :func:`reply_packet` says)."""
    if type(action) is Ack:
        return ack_packet(packet_class, action)
    assert type(action) is Reply
    return reply_packet(packet_class, action, error_event, binary=binary)


def refusal_packet(packet_class: Any, refuse: Refuse) -> Any:
    """The ``CONNECT_ERROR`` packet of a :class:`Refuse`."""
    return packet_class(packet.CONNECT_ERROR, data=refuse.data, namespace=refuse.namespace)


def server_core(
    registry: Registries,
    error_event: str,
    on_payload_error: ErrorHook | None,
    limits: Limits | None,
    docs_url: str | None,
    docs_viewer: str | None,
) -> tuple[Core, DocsPages | None]:
    """The core and docs pages of a server, from its constructor's arguments: the one
    place ``Server``, ``AsyncServer`` and Flask's ``SocketIO`` build them (``None`` for
    the pages when ``docs_url`` is ``None``).

    Raises what :class:`~sioschema._core.Core` raises (:class:`~sioschema.SioSchemaError`
    when two registries share a namespace or the error event clashes with a declared
    emit, ``TypeError`` for bad limits) and ``ValueError`` for a malformed ``docs_url``."""
    core = Core(
        registry,
        side="server",
        error_event=error_event,
        on_payload_error=on_payload_error,
        limits=limits,
    )
    docs = None
    if docs_url is not None:
        registries = [found.registry for found in core.namespaces.values()]
        docs = DocsPages(registries, docs_url, error_event=error_event, viewer=docs_viewer)
    return core, docs
