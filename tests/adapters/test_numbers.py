"""Numbers the receiving side refuses never leave, over real websockets on every server kind.

A server's ``emit()`` of an integer beyond int64 in a plain ``int`` field raises
``PayloadError`` ``invalid_number`` and sends nothing; a handler's ack holding one becomes
the error ack ``internal_error`` at once; NaN in a declared ``float`` is ``invalid_number``
(not msgspec's ``Expected `float`, got `null```); the typed client refuses to send them.
The cross-process case (the write-only ``Emitter``) is in
``tests/scaleout/test_numbers.py``.
"""

from __future__ import annotations

import contextlib
import queue
import time
from collections.abc import Callable, Iterator
from typing import Any

import msgspec
import pytest

from sioschema import Emit, Event, EventRegistry, PayloadError, RequestRejected
from sioschema.client import Client
from tests.servers import serve_asgi, serve_wsgi

TIMEOUT = 10


class Score(msgspec.Struct, forbid_unknown_fields=True):
    points: int


class Reading(msgspec.Struct, forbid_unknown_fields=True):
    value: float


class Numbers(EventRegistry, namespace="/numbers"):
    scored = Emit(Score)
    read = Emit(Reading)

    send_huge = Event(ack=str, emits=[scored])
    """Emit ``points=2**70`` (refused), then ``points=1``; the ack is the refusal."""
    send_nan = Event(ack=str, emits=[read])
    """Emit ``value=NaN`` (refused), then ``value=0.5``; the ack is the refusal."""
    huge_ack = Event(ack=Score)
    """Answers ``Score(points=2**70)``: an ack no client accepts."""
    submit = Event(request=Score, ack=int)


HUGE = Score(points=2**70)


def _refusal(error: PayloadError) -> str:
    return f"{error.code} {error.path} {error.detail}"


class Handlers:
    """The handler bodies, mounted on each server kind; ``emit`` is the server's."""

    def __init__(self) -> None:
        self.submitted: list[Score] = []

    def send_huge(self, emit: Callable[..., Any], sid: str) -> str:
        try:
            emit(Numbers.scored, HUGE, to=sid)
        except PayloadError as error:
            emit(Numbers.scored, Score(points=1), to=sid)
            return _refusal(error)
        return "sent"

    def send_nan(self, emit: Callable[..., Any], sid: str) -> str:
        try:
            emit(Numbers.read, {"value": float("nan")}, to=sid)
        except PayloadError as error:
            emit(Numbers.read, Reading(value=0.5), to=sid)
            return _refusal(error)
        return "sent"


@contextlib.contextmanager
def numbers_server(kind: str) -> Iterator[tuple[str, Handlers]]:
    handlers = Handlers()
    if kind == "flask":
        import flask

        from sioschema.flask import SocketIO

        app = flask.Flask(__name__)
        fsio = SocketIO(app, registry=Numbers, async_mode="threading")

        @fsio.on(Numbers.send_huge)
        def flask_send_huge() -> str:
            return handlers.send_huge(fsio.emit, flask.request.sid)  # type: ignore[attr-defined]

        @fsio.on(Numbers.send_nan)
        def flask_send_nan() -> str:
            return handlers.send_nan(fsio.emit, flask.request.sid)  # type: ignore[attr-defined]

        @fsio.on(Numbers.huge_ack)
        def flask_huge_ack() -> Score:
            return HUGE

        @fsio.on(Numbers.submit)
        def flask_submit(score: Score) -> int:
            handlers.submitted.append(score)
            return 1

        with serve_wsgi(app) as url:
            yield url, handlers
    elif kind == "wsgi":
        from sioschema.socketio import Server, WSGIApp

        sio = Server(registry=Numbers, async_mode="threading")

        @sio.on(Numbers.send_huge)
        def wsgi_send_huge(sid: str) -> str:
            return handlers.send_huge(sio.emit, sid)

        @sio.on(Numbers.send_nan)
        def wsgi_send_nan(sid: str) -> str:
            return handlers.send_nan(sio.emit, sid)

        @sio.on(Numbers.huge_ack)
        def wsgi_huge_ack(sid: str) -> Score:
            return HUGE

        @sio.on(Numbers.submit)
        def wsgi_submit(sid: str, score: Score) -> int:
            handlers.submitted.append(score)
            return 1

        with serve_wsgi(WSGIApp(sio)) as url:
            yield url, handlers
    else:
        from sioschema.socketio import ASGIApp, AsyncServer

        asio = AsyncServer(registry=Numbers, async_mode="asgi")
        sent: list[Any] = []

        async def refused_then_valid(event: Any, bad: Any, good: Any, sid: str) -> str:
            try:
                await asio.emit(event, bad, to=sid)
            except PayloadError as error:
                await asio.emit(event, good, to=sid)
                return _refusal(error)
            sent.append(bad)
            return "sent"

        @asio.on(Numbers.send_huge)
        async def asgi_send_huge(sid: str) -> str:
            return await refused_then_valid(Numbers.scored, HUGE, Score(points=1), sid)

        @asio.on(Numbers.send_nan)
        async def asgi_send_nan(sid: str) -> str:
            nan, good = {"value": float("nan")}, Reading(value=0.5)
            return await refused_then_valid(Numbers.read, nan, good, sid)

        @asio.on(Numbers.huge_ack)
        async def asgi_huge_ack(sid: str) -> Score:
            return HUGE

        @asio.on(Numbers.submit)
        async def asgi_submit(sid: str, score: Score) -> int:
            handlers.submitted.append(score)
            return 1

        with serve_asgi(ASGIApp(asio)) as (url, _):
            yield url, handlers


@pytest.fixture(scope="module", params=["flask", "wsgi", "asgi"])
def served(request: pytest.FixtureRequest) -> Iterator[tuple[str, Handlers]]:
    with numbers_server(request.param) as found:
        yield found


@pytest.fixture
def client(served: tuple[str, Handlers]) -> Iterator[tuple[Client, queue.Queue[Any]]]:
    url, _ = served
    typed = Client(registry=Numbers)
    seen: queue.Queue[Any] = queue.Queue()

    @typed.on(Numbers.scored)
    def scored(score: Score) -> None:
        seen.put(score)

    @typed.on(Numbers.read)
    def read(reading: Reading) -> None:
        seen.put(reading)

    typed.connect(url, namespaces=["/numbers"], transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        yield typed, seen
    finally:
        typed.disconnect()


def test_a_server_emit_beyond_int64_raises_and_sends_nothing(
    client: tuple[Client, queue.Queue[Any]],
) -> None:
    typed, seen = client
    refusal = typed.call(Numbers.send_huge, timeout=TIMEOUT)
    assert refusal == "invalid_number $.points Integer out of the int64 range - at `$.points`"
    # the valid emit sent after the refused one is the first to arrive
    assert seen.get(timeout=TIMEOUT) == Score(points=1)
    with pytest.raises(queue.Empty):
        seen.get(timeout=0.2)


def test_nan_in_a_declared_float_is_invalid_number(
    client: tuple[Client, queue.Queue[Any]],
) -> None:
    typed, seen = client
    refusal = typed.call(Numbers.send_nan, timeout=TIMEOUT)
    assert refusal == "invalid_number $.value NaN and Infinity are not JSON - at `$.value`"
    assert seen.get(timeout=TIMEOUT) == Reading(value=0.5)


def test_an_ack_beyond_int64_is_the_internal_error_ack_at_once(
    client: tuple[Client, queue.Queue[Any]],
) -> None:
    typed, _ = client
    start = time.monotonic()
    with pytest.raises(RequestRejected) as caught:
        typed.call(Numbers.huge_ack, timeout=TIMEOUT)
    # measured, never asserted (-s shows it): the refusal comes at once, not at the timeout
    print(f"refused ack after {(time.monotonic() - start) * 1000:.1f} ms")
    assert caught.value.code == "internal_error"
    assert caught.value.event == "huge_ack"


def test_the_typed_client_refuses_to_send_an_integer_beyond_int64(
    served: tuple[str, Handlers], client: tuple[Client, queue.Queue[Any]]
) -> None:
    _, handlers = served
    typed, _ = client
    for send in (
        lambda: typed.emit(Numbers.submit, HUGE),
        lambda: typed.call(Numbers.submit, {"points": -(2**64)}, timeout=TIMEOUT),
    ):
        with pytest.raises(PayloadError) as caught:
            send()
        assert caught.value.code == "invalid_number"
        assert caught.value.path == "$.points"
    # the connection still works, and only this call reached a handler
    assert typed.call(Numbers.submit, Score(points=2**63 - 1), timeout=TIMEOUT) == 1
    assert handlers.submitted[-1:] == [Score(points=2**63 - 1)]
    assert HUGE not in handlers.submitted
