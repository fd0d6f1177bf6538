"""msgspec alone, as references: untyped decode, typed decode, one-pass packet decode.

Not a framework: these rows show what the stock path would cost on msgspec's JSON, and
what decoding a whole EVENT packet straight into a typed object costs (the floor a
registry-aware packet codec can reach).
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec
from socketio.packet import ACK, Packet

from benchmarks.contenders import Codec
from benchmarks.payloads import EVENT, Payload

NAME = "msgspec"
ABOUT = "msgspec references: untyped and typed decode, one-pass packet decode"
VALIDATES = True  # no server; the untyped rows say rejects=()


class _MsgspecJSON:
    """The ``json`` attribute python-socketio's Packet calls, on msgspec."""

    _encoder = msgspec.json.Encoder()

    @staticmethod
    def loads(s: str | bytes) -> Any:
        return msgspec.json.decode(s)

    @classmethod
    def dumps(cls, obj: Any, **_: Any) -> str:
        return cls._encoder.encode(obj).decode()


class MsgspecPacket(Packet):
    """python-socketio's Packet with msgspec JSON (untyped); a ``serializer=``."""

    json = _MsgspecJSON


def micro(p: Payload) -> dict[str, Codec]:
    encoder = msgspec.json.Encoder()
    typed = msgspec.json.Decoder(p.struct)
    return {
        "msgspec decode (untyped)": Codec(
            decode=msgspec.json.decode, encode=encoder.encode, obj=msgspec.json.decode(p.json)
        ),
        "msgspec typed Decoder": Codec(
            decode=typed.decode,
            encode=encoder.encode,
            obj=typed.decode(p.json),
            rejects=(msgspec.ValidationError,),
        ),
    }


def packet(p: Payload) -> dict[str, Codec]:
    encoder = msgspec.json.Encoder()
    whole = msgspec.json.Decoder(tuple[Literal[EVENT], p.struct])  # type: ignore[valid-type]

    def one_pass(s: str) -> Any:
        # ``2<id>[...]``: split the header at the first ``[``, then one typed decode
        body = s[s.index("[") :]
        return whole.decode(body)[1:]

    def one_pass_out(obj: Any) -> str:
        return "31" + encoder.encode((obj,)).decode()

    return {
        "msgspec Packet (untyped)": Codec(
            decode=lambda s: MsgspecPacket(encoded_packet=s).data[1:],
            encode=lambda obj: MsgspecPacket(ACK, data=[obj], id=1).encode(),
            obj=msgspec.json.decode(p.json),
        ),
        "msgspec typed one pass (reference)": Codec(
            decode=one_pass,
            encode=one_pass_out,
            obj=msgspec.json.decode(p.json, type=p.struct),
            rejects=(msgspec.ValidationError,),
        ),
    }
