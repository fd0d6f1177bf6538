"""Hand-rolled pydantic: stock servers, ``Model.model_validate`` inside the handler."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError
from socketio.packet import ACK, Packet

from benchmarks.contenders import Codec
from benchmarks.payloads import EVENT, Payload

NAME = "pydantic"
ABOUT = "stock servers, a handler that calls Model.model_validate and acks model_dump()"
VALIDATES = True


def micro(p: Payload) -> dict[str, Codec]:
    model = p.model
    obj = model.model_validate_json(p.json)
    return {
        "pydantic model_validate_json": Codec(
            decode=model.model_validate_json,
            encode=lambda m: m.model_dump_json().encode(),
            obj=obj,
            rejects=(ValidationError,),
        ),
        "pydantic json.loads + model_validate": Codec(
            decode=lambda b: model.model_validate(json.loads(b)),
            encode=lambda m: json.dumps(m.model_dump(), separators=(",", ":")).encode(),
            obj=obj,
            rejects=(ValidationError,),
        ),
    }


def packet(p: Payload) -> dict[str, Codec]:
    model = p.model
    return {
        "stock Packet + pydantic model_validate": Codec(
            decode=lambda s: (model.model_validate(Packet(encoded_packet=s).data[1]),),
            encode=lambda m: Packet(ACK, data=[m.model_dump()], id=1).encode(),
            obj=model.model_validate_json(p.json),
            rejects=(ValidationError,),
        )
    }


def _handle(model: Any, data: Any) -> Any:
    try:
        obj = model.model_validate(data)
    except ValidationError as exc:
        return {"error": {"code": "invalid_payload", "message": str(exc)}}
    return obj.model_dump()  # the handler's work would go here


def server(kind: str, p: Payload, **options: Any) -> Any:
    model = p.model
    if kind == "flask":
        import flask
        import flask_socketio

        app = flask.Flask(__name__)
        sio = flask_socketio.SocketIO(app, **options)

        @sio.on(EVENT)
        def bench(data: Any) -> Any:
            return _handle(model, data)

        return app, sio

    import socketio

    if kind == "async":
        asio = socketio.AsyncServer(**options)

        @asio.on(EVENT)
        async def abench(sid: str, data: Any) -> Any:
            return _handle(model, data)

        return asio

    ssio = socketio.Server(**options)

    @ssio.on(EVENT)
    def sbench(sid: str, data: Any) -> Any:
        return _handle(model, data)

    return ssio
