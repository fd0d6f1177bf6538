"""A client ack the server's core refuses (an integer beyond int64, NaN, too large, too
deep, a binary ack breaking a limit, a msgpack-decoded one) fails the waiting ``call()``
at once with ``invalid_ack``, and an ``emit(..., callback=)`` reports it without calling
the callback, on Flask-SocketIO, ``Server`` (WSGI) and ``AsyncServer`` (ASGI); the ack id
is released and the client gets no error event for it. Driven by python-socketio's own
client and by a raw websocket client.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import socketio

from sioschema import Emit, Event, EventRegistry, PayloadError
from tests import apps
from tests.adapters.test_sync_client import Conn
from tests.conftest import Running, run_server
from tests.rawclient import Raw
from tests.servers import serve_asgi, serve_wsgi

BIG = 2**70
REFUSED: list[tuple[Callable[[], Any], str]] = [
    (lambda: BIG, "Integer out of the int64 range"),
    (lambda: math.nan, "NaN and Infinity are not JSON"),
    (lambda: "x" * 100_001, "Packet larger than 100000 bytes"),
    (lambda: _nested(40), "Nesting deeper than 32"),
]


def _nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


def _manager(server: Running) -> Any:
    sio = server.server
    return (sio.server if server.kind == "flask" else sio).manager


def _waiting(server: Running, sid: str) -> list[int]:
    """The ack ids python-socketio still keeps a callback for (the counter aside)."""
    return [id for id in _manager(server).callbacks.get(sid, {}) if id != 0]


def _until(check: Callable[[], bool], what: str, timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not after {timeout} s")
        time.sleep(0.01)


@pytest.fixture
def conn(server: Running) -> Iterator[Conn]:
    c = Conn(server.url)
    yield c
    c.close()


@pytest.mark.parametrize(("reply", "detail"), REFUSED, ids=["int64", "nan", "large", "deep"])
def test_a_refused_ack_fails_the_call_at_once(
    server: Running, conn: Conn, reply: Callable[[], Any], detail: str
) -> None:
    """``ask`` makes the server ``call()`` the client (timeout 5 s) and then acks ``n``:
    a timeout would fail the handler (``internal_error``), not return ``n``."""
    conn.question_reply = lambda point: reply()
    started = time.monotonic()
    assert conn.call("ask", 4) == 4
    elapsed = time.monotonic() - started
    print(f"\n{server.kind}: the refused call() ({detail}) took {elapsed * 1000:.1f} ms")
    [failed] = server.recorder.asked
    assert isinstance(failed, PayloadError)
    assert (failed.code, failed.event, failed.detail) == ("invalid_ack", "question", detail)
    assert str(failed) == f"Invalid ack for `question` on `/`: {detail}"
    assert _waiting(server, conn.client.get_sid("/")) == []
    assert conn.events == []  # no error event for the refused ack


def test_a_valid_ack_still_comes_through(server: Running, conn: Conn) -> None:
    conn.question_reply = lambda point: point["x"] + 1
    assert conn.call("ask", 4) == 4
    assert server.recorder.asked == [5]


@pytest.fixture(params=["flask", "wsgi", "asgi"])
def hooked(request: pytest.FixtureRequest) -> Iterator[tuple[Running, list[Any]]]:
    seen: list[Any] = []

    def hook(error: PayloadError, sid: str) -> None:
        seen.append((error.code, error.event, error.detail, sid))

    with run_server(request.param, on_payload_error=hook) as srv:
        yield srv, seen


def _emit(server: Running, *args: Any, **kwargs: Any) -> None:
    server.run(server.server.emit(*args, **kwargs))


def test_an_emit_callback_never_gets_a_refused_or_invalid_ack(
    hooked: tuple[Running, list[Any]], caplog: pytest.LogCaptureFixture
) -> None:
    """Declared or not, one client or a room of two: the callback is not called, each
    refused ack is logged once naming the event and given to ``on_payload_error``, and
    every ack id is released."""
    server, seen = hooked
    a, b = Conn(server.url), Conn(server.url)
    try:
        sids = [a.client.get_sid("/"), b.client.get_sid("/")]
        for c in (a, b):
            c.client.on("free", lambda *args: BIG)
            c.question_reply = lambda point: BIG
        got: list[Any] = []
        with caplog.at_level("WARNING", logger="sioschema"):
            _emit(server, "free", {"n": 1}, to=sids[0], callback=lambda *a: got.append(a))
            _emit(server, apps.Api.question, apps.Point(1, 2), to=sids[1], callback=got.append)
            a.question_reply = lambda point: "not an int"
            _until(lambda: len(seen) == 2, "two refused acks reported")
            _emit(server, apps.Api.question, apps.Point(1, 2), to=sids[0], callback=got.append)
            _until(lambda: len(seen) == 3, "the invalid ack reported")
            for sid in sids:
                server.run(_manager(server).enter_room(sid, "/", "pair"))
            _emit(server, apps.Api.question, apps.Point(1, 2), room="pair", callback=got.append)
            _until(lambda: len(seen) == 5, "the room's two acks reported")
        assert got == []
        int64 = "Integer out of the int64 range"
        # two clients answer the first two emits: their acks may arrive in either order
        assert sorted(seen[:2]) == sorted(
            [("invalid_ack", "free", int64, sids[0]), ("invalid_ack", "question", int64, sids[1])]
        )
        assert seen[2][:2] == ("invalid_ack", "question") and seen[2][3] == sids[0]
        assert sorted(seen[3:]) == sorted(
            [("invalid_ack", "question", "Expected `int`, got `str`", sids[0])]
            + [("invalid_ack", "question", int64, sids[1])]
        )
        lines = [r.getMessage() for r in caplog.records if r.name == "sioschema"]
        assert sorted(lines[:2]) == sorted(
            [
                f"dropped the ack of 'free' from {sids[0]} on /: invalid_ack ({int64})",
                f"dropped the ack of 'question' from {sids[1]} on /: invalid_ack ({int64})",
            ]
        )
        assert lines[2] == f"dropped the ack of 'question' from {sids[0]} on /: invalid_ack at $"
        assert len(lines) == 5
        assert all(_waiting(server, sid) == [] for sid in sids)
        assert a.events == [] and b.events == []
    finally:
        a.close()
        b.close()


# -- a raw client: binary acks --------------------------------------------------------


def _ask_in_background(server: Running, sid: str) -> tuple[threading.Thread, list[Any]]:
    result: list[Any] = []

    def ask() -> None:
        started = time.monotonic()
        try:
            asked = server.server.call(apps.Api.question, {"x": 1, "y": 1}, to=sid, timeout=5)
            result.append(server.run(asked))
        except Exception as exc:
            result.append(exc)
        result.append(time.monotonic() - started)

    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    return thread, result


def _question_id(raw: Raw) -> int:
    frame = raw.expect(lambda f: f.startswith("42") and '["question"' in f)
    return int(frame[2 : frame.index("[")])


@pytest.mark.parametrize(
    ("answer", "detail"),
    [
        ([b"x" * 100_001], "Packet larger than 100000 bytes"),
        (['42["legacy"]'], "Expected a binary attachment"),
        ([], "Binary packets carry 1 to 10 attachments"),
    ],
    ids=["too-large", "text-for-attachment", "too-many"],
)
def test_a_refused_binary_ack_fails_the_call(
    server: Running, answer: list[Any], detail: str
) -> None:
    with Raw(server.url, namespaces=()) as raw:
        _, data = raw.connect("/")
        sid = data["sid"]
        thread, result = _ask_in_background(server, sid)
        id = _question_id(raw)
        count = 11 if not answer else 1
        raw.send(f"46{count}-{id}" + '[{"_placeholder":true,"num":0}]')
        for frame in answer:
            raw.send(frame)
        thread.join(10)
        failed, elapsed = result
        print(f"\n{server.kind}: the refused binary ack took {elapsed * 1000:.1f} ms")
        assert isinstance(failed, PayloadError), failed
        assert (failed.code, failed.detail) == ("invalid_ack", detail)
        assert _waiting(server, sid) == []
        raw.probe()  # the connection still works, and got no error event
        assert not any(isinstance(f, str) and '["error"' in f for f in raw.backlog)


def test_a_raw_client_cannot_forge_the_marker(server: Running) -> None:
    with Raw(server.url, namespaces=()) as raw:
        _, data = raw.connect("/")
        thread, result = _ask_in_background(server, data["sid"])
        id = _question_id(raw)
        raw.send(f"43{id}" + '[{"sioschema:refused_ack":{"code":"bad_packet","message":"<b>"}}]')
        thread.join(10)
        failed, _ = result
        assert isinstance(failed, PayloadError)
        detail = "The ack uses the reserved key `sioschema:refused_ack`"
        assert (failed.code, failed.detail) == ("invalid_ack", detail)


# -- another serializer: msgpack ------------------------------------------------------


class Probe(EventRegistry):
    measure = Emit(int, ack=float)
    start = Event(ack=str, emits=[measure])


@pytest.fixture(params=["wsgi", "asgi"])
def msgpack_server(request: pytest.FixtureRequest) -> Iterator[tuple[str, list[Any]]]:
    """A server with ``serializer="msgpack"``: ``start`` calls the client's ``measure``
    (timeout 5 s) and acks what came of it."""
    outcome: list[Any] = []
    if request.param == "wsgi":
        from sioschema.socketio import Server, WSGIApp

        sync = Server(registry=Probe, serializer="msgpack", async_mode="threading")

        @sync.on(Probe.start)
        def start(sid: str) -> str:
            try:
                outcome.append(sync.call(Probe.measure, 1, to=sid, timeout=5))
            except Exception as exc:
                outcome.append(exc)
            return "done"

        with serve_wsgi(WSGIApp(sync)) as url:
            yield url, outcome
    else:
        from sioschema.socketio import ASGIApp, AsyncServer

        aio = AsyncServer(registry=Probe, serializer="msgpack", async_mode="asgi")

        @aio.on(Probe.start)
        async def astart(sid: str) -> str:
            try:
                outcome.append(await aio.call(Probe.measure, 1, to=sid, timeout=5))
            except Exception as exc:
                outcome.append(exc)
            return "done"

        with serve_asgi(ASGIApp(aio)) as (url, _):
            yield url, outcome


def test_a_refused_msgpack_ack_fails_the_call(msgpack_server: tuple[str, list[Any]]) -> None:
    url, outcome = msgpack_server
    client = socketio.Client(serializer="msgpack", reconnection=False)
    client.on("measure", lambda n: math.nan)
    client.connect(url, transports=["websocket"], wait_timeout=5)
    try:
        started = time.monotonic()
        assert client.call("start", timeout=5) == "done"
        print(f"\nmsgpack: the refused call() took {(time.monotonic() - started) * 1000:.1f} ms")
        [failed] = outcome
        assert isinstance(failed, PayloadError)
        assert (failed.code, failed.detail) == ("invalid_ack", "NaN and Infinity are not JSON")
    finally:
        client.disconnect()


def test_the_write_only_emitters_take_no_callback() -> None:
    """They cannot wait for an ack (no process of theirs holds a client): ``emit`` has
    no ``callback`` parameter, so nothing can be left waiting."""
    import inspect

    from sioschema.emitter import AsyncEmitter, Emitter

    for cls in (Emitter, AsyncEmitter):
        assert "callback" not in inspect.signature(cls.emit).parameters
