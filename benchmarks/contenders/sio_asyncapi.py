"""sio-asyncapi 1.0.0 (``AsyncAPISocketIO``, pydantic), Flask-SocketIO only.

Servers are its real ``AsyncAPISocketIO(app, validate=True)`` with a handler declared by
type hints (``@socketio.on(..., get_from_typehint=True)``) and the ``on_error_default``
handler of its README. ``micro`` and ``packet`` repeat what its handler wrapper does per
call, through its own helpers: with ``validate=True`` it validates the request twice
(once to check, once to build the model), checks the returned model again, and acks
``model_dump_json()``: a JSON *string*, which python-socketio then encodes once more.

sio-asyncapi reads a handler's ``__annotations__`` as they are: under ``from __future__
import annotations`` (as in this module) they are strings, it finds no pydantic model
and validates nothing. The handler's hints are therefore resolved to the model classes
before it is registered, as they are in a module written without that import; the
benchmark checks that the server rejects an invalid payload before it times it.
"""

from __future__ import annotations

import json
import typing
from typing import Any

from sio_asyncapi._compat import PYDANTIC_VALIDATION_ERRORS, model_dump_json, model_validate
from socketio.packet import ACK, Packet

from benchmarks.contenders import Codec
from benchmarks.payloads import EVENT, Payload

NAME = "sio-asyncapi"
ABOUT = "sio-asyncapi 1.0.0 AsyncAPISocketIO(validate=True), pydantic models from type hints"
VALIDATES = True


def _request(model: Any, data: Any) -> Any:
    model_validate(model, data)  # the check when validate=True
    return model_validate(model, data)  # the model handed to the handler


def _response(model: Any, obj: Any) -> str:
    model_validate(model, obj)
    return model_dump_json(obj)


def micro(p: Payload) -> dict[str, Codec]:
    model = p.model
    return {
        "sio-asyncapi json.loads + 2x model_validate": Codec(
            decode=lambda b: _request(model, json.loads(b)),
            encode=lambda o: json.dumps(_response(model, o)).encode(),
            obj=model.model_validate_json(p.json),
            rejects=PYDANTIC_VALIDATION_ERRORS,
        )
    }


def packet(p: Payload) -> dict[str, Codec]:
    model = p.model
    return {
        "sio-asyncapi (stock Packet + 2x model_validate)": Codec(
            decode=lambda s: (_request(model, Packet(encoded_packet=s).data[1]),),
            encode=lambda o: Packet(ACK, data=[_response(model, o)], id=1).encode(),
            obj=model.model_validate_json(p.json),
            rejects=PYDANTIC_VALIDATION_ERRORS,
        )
    }


def server(kind: str, p: Payload, **options: Any) -> Any:
    if kind != "flask":
        return None
    import flask
    from loguru import logger
    from sio_asyncapi import AsyncAPISocketIO, RequestValidationError, ResponseValidationError

    logger.remove()  # its handler logs every validation error to stderr
    model = p.model
    app = flask.Flask(__name__)
    sio = AsyncAPISocketIO(app, validate=True, **options)

    def bench(data: model) -> model:  # type: ignore[valid-type]
        return data

    # the hints are the strings "model" here; sio-asyncapi needs the classes
    bench.__annotations__ = typing.get_type_hints(bench, localns={"model": model})
    sio.on(EVENT, get_from_typehint=True)(bench)

    @sio.on_error_default
    def default_error_handler(e: Exception) -> Any:
        if isinstance(e, RequestValidationError):
            return {"success": False, "error": str(e)}
        if isinstance(e, ResponseValidationError):
            raise e
        raise e

    return app, sio
