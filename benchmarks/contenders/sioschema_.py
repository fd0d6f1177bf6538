"""sioschema: its packet codec (one typed msgspec pass in, msgspec out), and for
comparison the path without it (python-socketio's packet decode, then ``ArgsCodec``)."""

from __future__ import annotations

import json
from typing import Any

import msgspec
from socketio.packet import ACK, Packet

from benchmarks.contenders import Codec
from benchmarks.payloads import EVENT, Payload
from sioschema._codec import PacketCodec
from sioschema._wire import Limits
from sioschema.errors import PayloadError
from sioschema.inspect import by_namespace
from sioschema.socketio import codec_packet

NAME = "sioschema"
ABOUT = "sioschema's adapters: the packet codec on the wire, ArgsCodec for acks and emits"
VALIDATES = True


def micro(p: Payload) -> dict[str, Codec]:
    event = p.event
    request, ack = event.request_codec, event.ack_codec
    (obj,) = request.decode((json.loads(p.json),), EVENT, "/")
    return {
        # the path a packet takes when the codec cannot decide (undeclared forms)
        "sioschema ArgsCodec (untyped msgspec + convert)": Codec(
            decode=lambda b: request.decode((msgspec.json.decode(b),), EVENT, "/")[0],
            encode=lambda o: ack.encode(o, EVENT, "/", raw=True),
            obj=obj,
            rejects=(PayloadError,),
        )
    }


def packet(p: Payload) -> dict[str, Codec]:
    event = p.event
    request, ack = event.request_codec, event.ack_codec
    (obj,) = request.decode((json.loads(p.json),), EVENT, "/")
    codec = PacketCodec(by_namespace(p.registry), Limits())
    packet_class = codec_packet()

    def one_pass(s: str) -> Any:
        # what the servers do with a text frame of a declared event
        found = codec.decode_frame(s)
        if found is None:  # not decided in one pass (an invalid payload): the general path
            return request.decode(Packet(encoded_packet=s).data[1:], EVENT, "/")
        return found[4]

    def ack_out(o: Any) -> Any:
        # what the servers do with a handler's return value
        data = [ack.encode(o, EVENT, "/", raw=True)]
        return packet_class(ACK, data=data, id=1, binary=False).encode()

    return {
        "sioschema codec": Codec(decode=one_pass, encode=ack_out, obj=obj, rejects=(PayloadError,)),
        "sioschema without codec (stock Packet + ArgsCodec)": Codec(
            decode=lambda s: request.decode(Packet(encoded_packet=s).data[1:], EVENT, "/"),
            encode=lambda o: Packet(ACK, data=[ack.encode(o, EVENT, "/")], id=1).encode(),
            obj=obj,
            rejects=(PayloadError,),
        ),
    }


def server(kind: str, p: Payload, **options: Any) -> Any:
    registry = p.registry
    event = p.event
    if kind == "flask":
        import flask

        from sioschema.flask import SocketIO

        app = flask.Flask(__name__)
        sio = SocketIO(app, registry=registry, **options)

        @sio.on(event)
        def bench(obj: Any) -> Any:
            return obj

        return app, sio

    from sioschema.socketio import AsyncServer, Server

    if kind == "async":
        asio = AsyncServer(registry=registry, **options)

        @asio.on(event)
        async def abench(sid: str, obj: Any) -> Any:
            return obj

        return asio

    ssio = Server(registry=registry, **options)

    @ssio.on(event)
    def sbench(sid: str, obj: Any) -> Any:
        return obj

    return ssio
