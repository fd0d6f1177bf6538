"""A declared type means the same on every path, over a real websocket.

``Tally.scores`` is ``dict[int, int]``: its keys are strings in JSON. A frame decoded in
one pass and a frame left to screening (here by a long digit run in a string) must be
read alike. The same type arriving in a binary packet, in a client's ack to a server's
``call()``, and ``msgspec.Raw`` with a nested payload are checked below through
python-socketio's own client.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
import socketio

from sioschema import Emit, Event, EventRegistry, PayloadError
from tests.apps import Tally
from tests.conftest import SERVER_KINDS, Running
from tests.rawclient import Raw
from tests.servers import serve_asgi, serve_wsgi

LONG_MEMO = "ref 98765432109876543210"


@pytest.fixture
def raw(server: Running) -> Iterator[Raw]:
    client = Raw(server.url)
    yield client
    client.ws.close()


@pytest.mark.parametrize("memo", ["", LONG_MEMO], ids=["one-pass", "screened"])
def test_int_keys_are_read_on_every_path(server: Running, raw: Raw, memo: str) -> None:
    assert raw.call("tally", {"scores": {"1": 3, "-2": 4}, "memo": memo}) == [
        {"scores": {"1": 3, "-2": 4}, "memo": memo}
    ]
    assert server.recorder.calls == [("tally", (Tally(scores={1: 3, -2: 4}, memo=memo),))]


@pytest.mark.parametrize("memo", ["", LONG_MEMO], ids=["one-pass", "screened"])
def test_a_bad_key_gets_the_same_error_on_every_path(server: Running, raw: Raw, memo: str) -> None:
    assert raw.call("tally", {"scores": {"one": 3}, "memo": memo}) == [
        {
            "error": {
                "code": "invalid_payload",
                "message": "Expected `int`, got `str` - at a key in `$.scores`",
                "path": "$.scores",
                "event": "tally",
            }
        }
    ]
    assert server.recorder.calls == []


# -- binary attachments, client acks and Raw, through python-socketio's own client ---------


class Blob(EventRegistry, namespace="/paths"):
    """Each path a declared type can arrive by, beside the text frames above."""

    hand = Emit(str, ack=dict[int, str])
    tallied = Event(name="tally:blob", request=(Tally, bytes), ack=int)
    play = Event(request=str, ack=str, emits=[hand])
    raw = Event(request=msgspec.Raw, ack=msgspec.Raw)


def _answer(seen: list[Any], asked: Any) -> str:
    """What ``play`` returns: the typed ack the client gave to ``hand``, or its error."""
    if isinstance(asked, PayloadError):
        seen.append(("hand", asked.code, asked.path, asked.detail))
        return asked.code
    seen.append(("hand", asked))
    return "played"


def _paths_flask(seen: list[Any]) -> Iterator[str]:
    import flask

    from sioschema.flask import SocketIO

    app = flask.Flask(__name__)
    sio = SocketIO(app, registry=Blob, async_mode="threading")

    @sio.on(Blob.tallied)
    def tallied(tally: Tally, blob: bytes) -> int:
        seen.append(("tally:blob", tally, blob))
        return sum(tally.scores) + len(blob)

    @sio.on(Blob.play)
    def play(move: str) -> str:
        sid = flask.request.sid  # type: ignore[attr-defined]
        try:
            asked: Any = sio.call(Blob.hand, move, to=sid, namespace="/paths", timeout=5)
        except PayloadError as exc:
            asked = exc
        return _answer(seen, asked)

    @sio.on(Blob.raw)
    def raw(body: msgspec.Raw) -> msgspec.Raw:
        seen.append(("raw", body))
        return body

    with serve_wsgi(app) as url:
        yield url


def _paths_wsgi(seen: list[Any]) -> Iterator[str]:
    from sioschema.socketio import Server, WSGIApp

    sio = Server(registry=Blob, async_mode="threading")

    @sio.on(Blob.tallied)
    def tallied(sid: str, tally: Tally, blob: bytes) -> int:
        seen.append(("tally:blob", tally, blob))
        return sum(tally.scores) + len(blob)

    @sio.on(Blob.play)
    def play(sid: str, move: str) -> str:
        try:
            asked: Any = sio.call(Blob.hand, move, to=sid, timeout=5)
        except PayloadError as exc:
            asked = exc
        return _answer(seen, asked)

    @sio.on(Blob.raw)
    def raw(sid: str, body: msgspec.Raw) -> msgspec.Raw:
        seen.append(("raw", body))
        return body

    with serve_wsgi(WSGIApp(sio)) as url:
        yield url


def _paths_asgi(seen: list[Any]) -> Iterator[str]:
    from sioschema.socketio import ASGIApp, AsyncServer

    sio = AsyncServer(registry=Blob, async_mode="asgi")

    @sio.on(Blob.tallied)
    async def tallied(sid: str, tally: Tally, blob: bytes) -> int:
        seen.append(("tally:blob", tally, blob))
        return sum(tally.scores) + len(blob)

    @sio.on(Blob.play)
    async def play(sid: str, move: str) -> str:
        try:
            asked: Any = await sio.call(Blob.hand, move, to=sid, timeout=5)
        except PayloadError as exc:
            asked = exc
        return _answer(seen, asked)

    @sio.on(Blob.raw)
    async def raw(sid: str, body: msgspec.Raw) -> msgspec.Raw:
        seen.append(("raw", body))
        return body

    with serve_asgi(ASGIApp(sio)) as (url, _):
        yield url


@pytest.fixture(scope="module", params=SERVER_KINDS)
def paths(request: pytest.FixtureRequest) -> Iterator[tuple[str, list[Any]]]:
    seen: list[Any] = []
    serve = {"flask": _paths_flask, "wsgi": _paths_wsgi, "asgi": _paths_asgi}[request.param]
    for url in serve(seen):
        yield url, seen


@pytest.fixture
def client(paths: tuple[str, list[Any]]) -> Iterator[tuple[socketio.Client, list[Any]]]:
    url, seen = paths
    seen.clear()
    client = socketio.Client()

    @client.on("hand", namespace="/paths")
    def hand(move: str) -> dict[str, str]:
        # JSON has string keys; a bad key when asked for one
        return {"x": "rock"} if move == "bad" else {"1": move}

    client.connect(url, namespaces=["/paths"], transports=["websocket"], wait_timeout=5)
    yield client, seen
    client.disconnect()


def test_int_keys_are_read_in_a_binary_packet(client: tuple[socketio.Client, list[Any]]) -> None:
    sio, seen = client
    tally = {"scores": {"1": 3, "-2": 4}}
    assert sio.call("tally:blob", (tally, b"\x01\x02"), namespace="/paths", timeout=5) == 1
    assert seen == [("tally:blob", Tally(scores={1: 3, -2: 4}), b"\x01\x02")]


def test_a_bad_key_in_a_binary_packet_gets_the_text_error(
    client: tuple[socketio.Client, list[Any]],
) -> None:
    sio, seen = client
    bad = {"scores": {"one": 3}}
    for blob in (b"\x01", "not binary"):  # a binary packet, then a text one
        assert sio.call("tally:blob", (bad, blob), namespace="/paths", timeout=5) == {
            "error": {
                "code": "invalid_payload",
                "message": "Expected `int`, got `str` - at a key in `$[0].scores`",
                "path": "$[0].scores",
                "event": "tally:blob",
            }
        }
    assert seen == []


def test_a_client_ack_with_int_keys_is_accepted(client: tuple[socketio.Client, list[Any]]) -> None:
    sio, seen = client
    assert sio.call("play", "rock", namespace="/paths", timeout=10) == "played"
    assert seen == [("hand", {1: "rock"})]


def test_a_client_ack_with_a_bad_key_is_refused(client: tuple[socketio.Client, list[Any]]) -> None:
    sio, seen = client
    assert sio.call("play", "bad", namespace="/paths", timeout=10) == "invalid_ack"
    assert seen == [("hand", "invalid_ack", "$", "Expected `int`, got `str` - at a key in `$`")]


@pytest.mark.parametrize("memo", ["", LONG_MEMO], ids=["one-pass", "screened"])
def test_raw_with_a_nested_payload_is_accepted(
    client: tuple[socketio.Client, list[Any]], memo: str
) -> None:
    sio, seen = client
    body = {"move": {"to": [1, {"x": [2.5, None, True]}], "memo": memo}, "n": -3}
    assert sio.call("raw", body, namespace="/paths", timeout=5) == body
    ((name, raw),) = seen
    assert name == "raw"
    assert isinstance(raw, msgspec.Raw)
    assert msgspec.json.decode(raw) == body
