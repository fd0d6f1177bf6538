"""Stock python-socketio / Flask-SocketIO: stdlib json, no validation."""

from __future__ import annotations

import json
from typing import Any

from socketio.packet import ACK, Packet

from benchmarks.contenders import Codec
from benchmarks.payloads import EVENT, Payload

NAME = "stock"
ABOUT = "python-socketio / Flask-SocketIO as shipped: stdlib json, handlers get dicts"
VALIDATES = False


def micro(p: Payload) -> dict[str, Codec]:
    return {
        "stock json.loads/dumps (untyped)": Codec(
            decode=json.loads,
            encode=lambda obj: json.dumps(obj, separators=(",", ":")).encode(),
            obj=json.loads(p.json),
        )
    }


def packet(p: Payload) -> dict[str, Codec]:
    return {
        "stock Packet (untyped)": Codec(
            decode=lambda s: Packet(encoded_packet=s).data[1:],
            encode=lambda obj: Packet(ACK, data=[obj], id=1).encode(),
            obj=json.loads(p.json),
        )
    }


def server(kind: str, p: Payload, **options: Any) -> Any:
    if kind == "flask":
        import flask
        import flask_socketio

        app = flask.Flask(__name__)
        sio = flask_socketio.SocketIO(app, **options)

        @sio.on(EVENT)
        def bench(data: dict[str, Any]) -> dict[str, Any]:
            return data

        return app, sio

    import socketio

    if kind == "async":
        asio = socketio.AsyncServer(**options)

        @asio.on(EVENT)
        async def abench(sid: str, data: dict[str, Any]) -> dict[str, Any]:
            return data

        return asio

    ssio = socketio.Server(**options)

    @ssio.on(EVENT)
    def sbench(sid: str, data: dict[str, Any]) -> dict[str, Any]:
        return data

    return ssio
