"""A lone tagged Struct's tag is required over real websockets, on every server kind.

python-socketio's own client sends what a JavaScript client could: a request whose
nested ``tag=True`` Struct lacks its tag gets the error ack ``invalid_payload`` (text and
binary events alike), the handler never runs; with the tag it runs and gets typed
objects. ``auth`` without its tag is refused. The per-position and per-path cases are in
``tests/unit/test_tags.py``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
import socketio

from sioschema import Event, EventRegistry
from tests.servers import serve_asgi, serve_wsgi

TIMEOUT = 10


class Shape(msgspec.Struct, tag=True):
    x: int


class Scene(msgspec.Struct, forbid_unknown_fields=True):
    shapes: list[Shape]


class Blob(msgspec.Struct, tag=True):
    data: bytes


class Tags(EventRegistry, namespace="/tags", auth=Shape):
    place = Event(request=Scene, ack=int)
    upload = Event(request=Blob, ack=int)


@contextlib.contextmanager
def tags_server(kind: str) -> Iterator[tuple[str, list[Any]]]:
    """A server of ``kind``; yields its URL and what its handlers received."""
    got: list[Any] = []
    if kind == "flask":
        import flask

        from sioschema.flask import SocketIO

        app = flask.Flask(__name__)
        fsio = SocketIO(app, registry=Tags, async_mode="threading")

        @fsio.on(Tags.place)
        def flask_place(scene: Scene) -> int:
            got.append(scene)
            return len(scene.shapes)

        @fsio.on(Tags.upload)
        def flask_upload(blob: Blob) -> int:
            got.append(blob)
            return len(blob.data)

        with serve_wsgi(app) as url:
            yield url, got
    elif kind == "wsgi":
        from sioschema.socketio import Server, WSGIApp

        sio = Server(registry=Tags, async_mode="threading")

        @sio.on(Tags.place)
        def wsgi_place(sid: str, scene: Scene) -> int:
            got.append(scene)
            return len(scene.shapes)

        @sio.on(Tags.upload)
        def wsgi_upload(sid: str, blob: Blob) -> int:
            got.append(blob)
            return len(blob.data)

        with serve_wsgi(WSGIApp(sio)) as url:
            yield url, got
    else:
        from sioschema.socketio import ASGIApp, AsyncServer

        asio = AsyncServer(registry=Tags, async_mode="asgi")

        @asio.on(Tags.place)
        async def asgi_place(sid: str, scene: Scene) -> int:
            got.append(scene)
            return len(scene.shapes)

        @asio.on(Tags.upload)
        async def asgi_upload(sid: str, blob: Blob) -> int:
            got.append(blob)
            return len(blob.data)

        with serve_asgi(ASGIApp(asio)) as (url, _):
            yield url, got


@pytest.fixture(scope="module", params=["flask", "wsgi", "asgi"])
def served(request: pytest.FixtureRequest) -> Iterator[tuple[str, list[Any]]]:
    with tags_server(request.param) as found:
        yield found


@pytest.fixture
def client(served: tuple[str, list[Any]]) -> Iterator[socketio.Client]:
    stock = socketio.Client()
    stock.connect(
        served[0],
        namespaces=["/tags"],
        auth={"type": "Shape", "x": 0},
        transports=["websocket"],
        wait_timeout=TIMEOUT,
    )
    try:
        yield stock
    finally:
        stock.disconnect()


def _error(code: str, message: str, path: str, event: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "path": path, "event": event}}


def test_a_request_without_a_nested_tag_gets_the_error_ack(
    served: tuple[str, list[Any]], client: socketio.Client
) -> None:
    _, got = served
    got.clear()
    untagged = {"shapes": [{"type": "Shape", "x": 1}, {"x": 2}]}
    ack = client.call("place", untagged, namespace="/tags", timeout=TIMEOUT)
    detail = "Object missing required field `type` - at `$.shapes[1]`"
    assert ack == _error("invalid_payload", detail, "$.shapes[1]", "place")
    assert got == []
    tagged = {"shapes": [{"type": "Shape", "x": 1}, {"type": "Shape", "x": 2}]}
    assert client.call("place", tagged, namespace="/tags", timeout=TIMEOUT) == 2
    assert got == [Scene([Shape(1), Shape(2)])]


def test_a_binary_request_without_its_tag_gets_the_error_ack(
    served: tuple[str, list[Any]], client: socketio.Client
) -> None:
    _, got = served
    got.clear()
    ack = client.call("upload", {"data": b"\x01\x02"}, namespace="/tags", timeout=TIMEOUT)
    assert ack == _error("invalid_payload", "Object missing required field `type`", "$", "upload")
    assert got == []
    tagged = {"type": "Blob", "data": b"\x01\x02"}
    assert client.call("upload", tagged, namespace="/tags", timeout=TIMEOUT) == 2
    assert got == [Blob(b"\x01\x02")]


def test_auth_without_its_tag_is_refused(served: tuple[str, list[Any]]) -> None:
    url, _ = served
    refused = socketio.Client()
    with pytest.raises(socketio.exceptions.ConnectionError):
        refused.connect(
            url, namespaces=["/tags"], auth={"x": 1}, transports=["websocket"], wait_timeout=TIMEOUT
        )
    refused.disconnect()
    accepted = socketio.Client()
    accepted.connect(
        url,
        namespaces=["/tags"],
        auth={"type": "Shape", "x": 1},
        transports=["websocket"],
        wait_timeout=TIMEOUT,
    )
    try:
        assert accepted.connected
    finally:
        accepted.disconnect()
