"""The packet codec: which frames it decodes in one pass, and which it leaves to screening."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from socketio import packet

from sioschema import Emit, Event, EventRegistry, Limits
from sioschema._codec import PacketCodec
from sioschema._packet import CodecPacket
from sioschema.inspect import by_namespace


class Point(msgspec.Struct):
    x: int
    y: int


class Tree(msgspec.Struct):
    children: list[Any]


class Api(EventRegistry):
    moved = Emit(Point)
    move = Event(request=Point, ack=Point)
    pair = Event(request=(Point, str))
    nothing = Event()
    tree = Event(request=Tree)
    label = Event(request=str, name="chat:label")


class Other(EventRegistry, namespace="/other", strict=False):
    move = Event(request=Point)


CODEC = PacketCodec(by_namespace([Api, Other]), Limits(max_depth=4))


@pytest.mark.parametrize(
    ("frame", "namespace", "id", "name", "args"),
    [
        ('2["move",{"x":1,"y":2}]', "/", None, "move", (Point(1, 2),)),
        ('217["move",{"x":1,"y":2}]', "/", 17, "move", (Point(1, 2),)),
        ('2["pair",{"x":1,"y":2},"a"]', "/", None, "pair", (Point(1, 2), "a")),
        ('25["nothing"]', "/", 5, "nothing", ()),
        ('2["chat:label","hi"]', "/", None, "chat:label", ("hi",)),
        ('2/other,3["move",{"x":"1","y":2}]', "/other", 3, "move", (Point(1, 2),)),
        ('2["tree",{"children":[[1]]}]', "/", None, "tree", (Tree([[1]]),)),
    ],
)
def test_declared_events_decode_in_one_pass(
    frame: str, namespace: str, id: int | None, name: str, args: tuple[Any, ...]
) -> None:
    found = CODEC.decode_frame(frame)
    assert found is not None
    assert found[:2] == (namespace, id)
    decoded_name, event, decoded = found[2:]
    assert decoded_name == name
    assert event.name == name
    assert type(decoded) is tuple
    assert decoded == args


@pytest.mark.parametrize(
    "frame",
    [
        '2["move",{"x":"1","y":2}]',  # strict registry: the screening answers it
        '2["move",{"x":1}]',  # missing field
        '2["move",{"x":1,"y":2},3]',  # one argument too many
        '2["pair",{"x":1,"y":2}]',  # one too few
        '2["unknown",1]',  # not declared
        '2["moved",{"x":1,"y":2}]',  # an emit, not a client event
        '2["mo\\u0076e",{"x":1,"y":2}]',  # an escaped name
        '2["move",{"x":NaN,"y":2}]',  # not JSON
        '2["move",{"x":12345678901234567890,"y":2}]',  # beyond int64
        '2["tree",{"children":[[[[[1]]]]]}]',  # deeper than the limit
        '3["move",{"x":1,"y":2}]',  # an ACK
        '51-["move",{"_placeholder":true,"num":0}]',  # binary
        '2/nowhere,1["move",{"x":1,"y":2}]',  # no registry on the namespace
        '2/other?x=1,1["move",{"x":1,"y":2}]',  # a namespace with a query
        "2abc[1]",  # not an ack id
        "2",
        "",
    ],
)
def test_everything_else_is_left_to_the_screening(frame: str) -> None:
    assert CODEC.decode_frame(frame) is None


def test_codec_packet_writes_the_stock_wire_format() -> None:
    data = ["move", {"x": 1, "label": "é"}]
    ours = CodecPacket(packet.EVENT, data=data, namespace="/n", id=7).encode()
    stock = packet.Packet(packet.EVENT, data=data, namespace="/n", id=7).encode()
    assert ours == '2/n,7["move",{"x":1,"label":"é"}]'
    assert packet.Packet(encoded_packet=ours).data == packet.Packet(encoded_packet=stock).data


def test_codec_packet_still_sends_binary_as_attachments() -> None:
    pkt = CodecPacket(packet.EVENT, data=["blob", {"a": [1, b"xy"]}])
    assert pkt.encode() == ['51-["blob",{"a":[1,{"_placeholder":true,"num":0}]}]', b"xy"]


def test_codec_packet_writes_no_invalid_json() -> None:
    assert CodecPacket(packet.ACK, data=[float("nan")], id=1).encode() == "31[null]"


def test_checked_values_go_out_as_one_encoding() -> None:
    codec = Api.move.ack_codec
    raw = codec.encode(Point(1, 2), "move", "/", raw=True)
    assert raw == msgspec.Raw(b'{"x":1,"y":2}')
    # a dict with a field the type does not declare: sent in its validated form
    raw = codec.encode({"x": 1, "y": 2, "secret": 3}, "move", "/", raw=True)
    assert raw == msgspec.Raw(b'{"x":1,"y":2}')
    assert codec.encode(Point(1, 2), "move", "/") == {"x": 1, "y": 2}
