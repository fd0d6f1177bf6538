"""A server built with another ``serializer=`` (python-socketio's msgpack packets): the
serializer decodes, the protocol core screens and validates what it decoded, as for
text frames. Driven by python-socketio's own msgpack client over a real websocket."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
import socketio

from sioschema import Emit, Event, EventRegistry
from tests.servers import serve_asgi, serve_wsgi


class Point(msgspec.Struct, forbid_unknown_fields=True):
    x: int
    y: int


class Envelope(msgspec.Struct):
    kind: str
    body: msgspec.Raw


class Shapes(EventRegistry):
    move = Event(request=Point, ack=Point)
    shown = Emit(Envelope)
    peek = Event(request=msgspec.Raw, ack=Envelope, emits=[shown])


def _envelope(body: msgspec.Raw) -> Envelope:
    """Pre-encoded JSON going out through the msgpack serializer, nested in an Envelope."""
    return Envelope("peek", msgspec.Raw(b'{"got":' + bytes(body) + b',"n":[1,2.5]}'))


@pytest.fixture(params=["wsgi", "asgi"])
def url_and_seen(request: pytest.FixtureRequest) -> Iterator[tuple[str, list[Any]]]:
    seen: list[Any] = []
    if request.param == "wsgi":
        from sioschema.socketio import Server, WSGIApp

        sync = Server(registry=Shapes, serializer="msgpack", async_mode="threading")

        @sync.on(Shapes.move)
        def move(sid: str, point: Point) -> Point:
            seen.append(point)
            return Point(point.y, point.x)

        @sync.on(Shapes.peek)
        def peek(sid: str, body: msgspec.Raw) -> Envelope:
            seen.append(body)
            sync.emit(Shapes.shown, _envelope(body), to=sid)
            return _envelope(body)

        with serve_wsgi(WSGIApp(sync)) as url:
            yield url, seen
    else:
        from sioschema.socketio import ASGIApp, AsyncServer

        server = AsyncServer(registry=Shapes, serializer="msgpack", async_mode="asgi")

        @server.on(Shapes.move)
        async def amove(sid: str, point: Point) -> Point:
            seen.append(point)
            return Point(point.y, point.x)

        @server.on(Shapes.peek)
        async def apeek(sid: str, body: msgspec.Raw) -> Envelope:
            seen.append(body)
            await server.emit(Shapes.shown, _envelope(body), to=sid)
            return _envelope(body)

        with serve_asgi(ASGIApp(server)) as (url, _):
            yield url, seen


def test_msgpack_events_are_validated_and_typed(url_and_seen: tuple[str, list[Any]]) -> None:
    url, seen = url_and_seen
    client = socketio.SimpleClient(serializer="msgpack")
    client.connect(url, transports=["websocket"], wait_timeout=5)
    try:
        assert client.call("move", {"x": 1, "y": 2}, timeout=5) == {"x": 2, "y": 1}
        bad = client.call("move", {"x": "1", "y": 2}, timeout=5)
        assert bad["error"]["code"] == "invalid_payload"
        assert bad["error"]["path"] == "$.x"
        deep: Any = 0
        for _ in range(40):
            deep = [deep]
        too_deep = client.call("move", deep, timeout=5)
        assert too_deep["error"]["code"] == "payload_too_deep"
        unknown = client.call("nothing", 1, timeout=5)
        assert unknown["error"]["code"] == "unknown_event"
    finally:
        client.disconnect()
    assert seen == [Point(1, 2)]  # the handler ran only on the valid, typed request


def test_msgpack_sends_declared_raw_as_the_json_it_holds(
    url_and_seen: tuple[str, list[Any]],
) -> None:
    """The msgpack serializer cannot write ``msgspec.Raw``: the checked value goes out as
    the JSON values it holds, in an ack and in an emit."""
    url, seen = url_and_seen
    client = socketio.SimpleClient(serializer="msgpack")
    client.connect(url, transports=["websocket"], wait_timeout=5)
    try:
        expected = {"kind": "peek", "body": {"got": {"a": [1, {"b": None}]}, "n": [1, 2.5]}}
        assert client.call("peek", {"a": [1, {"b": None}]}, timeout=5) == expected
        assert client.receive(timeout=5) == ["shown", expected]
    finally:
        client.disconnect()
    assert [msgspec.json.decode(body) for body in seen] == [{"a": [1, {"b": None}]}]
