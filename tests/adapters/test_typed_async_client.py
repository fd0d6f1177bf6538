"""The typed ``AsyncClient`` (``sioschema.client``) over real websockets on 127.0.0.1.

Mirrors ``test_typed_client.py`` (``Client``), test for test: the demo against its
Flask-SocketIO and ASGI servers, a typed ``auth`` against the test apps' Flask-SocketIO
and ASGI servers, and a stock python-socketio server (here an ``AsyncServer`` under
uvicorn) that sends what a sioschema server never would.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import Any

import msgspec
import pytest
import socketio

from examples.tictactoe.api import (
    GameCreated,
    GameWon,
    MakeMove,
    MakeMoveAck,
    MoveMade,
    TicTacToe,
)
from sioschema import Event, EventRegistry, PayloadError, RequestRejected, SioSchemaError
from sioschema.client import AsyncClient, ClientLimits
from tests import apps
from tests.adapters.quiz import (
    BLOB,
    TIMEOUT,
    WELCOMES,
    Answer,
    Lobby,
    Match,
    Question,
    Quiz,
    Welcome,
    serve_greeter,
)
from tests.conftest import run_server
from tests.servers import serve_asgi, serve_demo


@pytest.fixture(scope="module", params=["flask", "asgi"])
def demo_url(request: pytest.FixtureRequest) -> Iterator[str]:
    with serve_demo(request.param) as url:
        yield url


@pytest.fixture(scope="module", params=["flask", "asgi"])
def apps_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The test apps (``tests/apps.py``): ``/secure`` takes a typed ``auth``."""
    with run_server(request.param) as running:
        yield running.url


async def test_two_typed_clients_play_a_game(demo_url: str) -> None:
    x, o = AsyncClient(registry=TicTacToe), AsyncClient(registry=TicTacToe)
    seen: asyncio.Queue[Any] = asyncio.Queue()
    created: asyncio.Queue[GameCreated] = asyncio.Queue()

    @o.on(TicTacToe.move_made)
    async def move_made(move: MoveMade) -> None:
        await seen.put(move)

    @o.on(TicTacToe.game_won)
    def game_won(won: GameWon) -> None:  # a plain function is a handler too
        seen.put_nowait(won)

    @x.on(TicTacToe.game_created)
    async def game_created(game: GameCreated) -> None:
        await created.put(game)

    await x.connect(demo_url, transports=["websocket"], wait_timeout=TIMEOUT)
    await o.connect(demo_url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        game = await x.call(TicTacToe.create_game, timeout=TIMEOUT)
        assert type(game) is GameCreated
        assert game.turn == "X"
        assert await asyncio.wait_for(created.get(), TIMEOUT) == game
        moves = [(x, 0, 0), (o, 1, 0), (x, 0, 1), (o, 1, 1), (x, 0, 2)]
        for player, col, row in moves:
            move = MakeMove(game_id=game.game_id, x=col, y=row)
            ack = await player.call(TicTacToe.make_move, move, timeout=TIMEOUT)
            assert ack == MakeMoveAck(ok=True)
        received = [await asyncio.wait_for(seen.get(), TIMEOUT) for _ in range(len(moves))]
        assert all(type(m) is MoveMade for m in received)
        assert [(m.x, m.y) for m in received] == [(0, 0), (1, 0), (0, 1), (1, 1), (0, 2)]
        assert [m.turn for m in received] == ["O", "X", "O", "X", None]
        won = await asyncio.wait_for(seen.get(), TIMEOUT)
        assert type(won) is GameWon
        assert won.winner == "X"
    finally:
        await x.disconnect()
        await o.disconnect()


async def test_an_invalid_request_never_leaves_the_client(demo_url: str) -> None:
    client = AsyncClient(registry=TicTacToe)
    await client.connect(demo_url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        with pytest.raises(PayloadError) as caught:
            await client.call(TicTacToe.make_move, MakeMove(game_id=1, x=3, y=0), timeout=TIMEOUT)
        assert (caught.value.code, caught.value.path) == ("invalid_payload", "$.x")
        with pytest.raises(PayloadError):  # a declared name is checked as its Event
            await client.emit("make_move", {"game_id": 1, "x": "0", "y": 0})
        with pytest.raises(PayloadError):
            await client.emit(TicTacToe.make_move, {"game_id": 0, "x": 0, "y": 0})
        with pytest.raises(SioSchemaError, match="server -> client"):
            await client.emit(TicTacToe.move_made, None)  # type: ignore[call-overload]
        # the connection is unharmed
        created = await client.call(TicTacToe.create_game, timeout=TIMEOUT)
        assert type(created) is GameCreated
    finally:
        await client.disconnect()


async def test_the_error_ack_is_raised_as_request_rejected(demo_url: str) -> None:
    client = AsyncClient(registry=TicTacToe)
    await client.connect(demo_url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        with pytest.raises(RequestRejected) as caught:
            await client.call("no_such_event", 1, timeout=TIMEOUT)
        error = caught.value
        assert (error.code, error.event, error.path) == ("unknown_event", "no_such_event", None)
        assert error.detail == "Unknown event `no_such_event`"
        assert isinstance(error, PayloadError)
    finally:
        await client.disconnect()


# -- a stock server that breaks the contract ------------------------------------------


@dataclass
class Stock:
    """A stock python-socketio ``AsyncServer`` on its own loop (uvicorn's thread)."""

    url: str
    server: socketio.AsyncServer
    joined: list[str]
    loop: asyncio.AbstractEventLoop

    async def run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        """Run a server coroutine on the server's loop; await it from the test's."""
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, self.loop))


@pytest.fixture
def stock() -> Iterator[Stock]:
    """A stock python-socketio server: it checks nothing it sends or receives."""
    server = socketio.AsyncServer(async_mode="asgi")
    joined: list[str] = []

    @server.on("connect")
    async def connect(sid: str, environ: Any) -> None:
        joined.append(sid)

    with serve_asgi(socketio.ASGIApp(server)) as (url, loop):
        yield Stock(url, server, joined, loop)


async def test_an_invalid_server_emit_is_reported_not_delivered(
    stock: Stock, caplog: pytest.LogCaptureFixture
) -> None:
    reported: list[PayloadError] = []
    client = AsyncClient(registry=Quiz, on_payload_error=lambda error, sid: reported.append(error))
    delivered: asyncio.Queue[Any] = asyncio.Queue()

    @client.on(Quiz.told)
    async def told(question: Question) -> None:
        await delivered.put(question)

    await client.connect(stock.url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        with caplog.at_level(logging.WARNING, logger="sioschema"):
            sid = stock.joined[0]
            await stock.run(stock.server.emit("told", {"text": 5}, to=sid))
            await stock.run(stock.server.emit("told", {"text": "fine"}, to=sid))
            assert await asyncio.wait_for(delivered.get(), TIMEOUT) == Question("fine")
        assert delivered.empty()
        assert [(e.code, e.path, e.event) for e in reported] == [
            ("invalid_payload", "$.text", "told")
        ]
        assert "rejected 'told'" in caplog.text
    finally:
        await client.disconnect()


async def test_a_server_call_is_answered_with_a_checked_ack(stock: Stock) -> None:
    client = AsyncClient(registry=Quiz)

    @client.on(Quiz.asked)
    async def asked(question: Question) -> Answer:
        if question.text == "wrong":
            return {"value": "not an int"}  # type: ignore[return-value]
        return Answer(value=len(question.text))

    await client.connect(stock.url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:

        async def call(data: Any) -> Any:
            sid = stock.joined[0]
            return await stock.run(stock.server.call("asked", data, to=sid, timeout=TIMEOUT))

        assert await call({"text": "four"}) == {"value": 4}
        failed = await call({"text": "wrong"})
        assert failed["error"]["code"] == "internal_error"
        invalid = await call({"text": 1})
        assert (invalid["error"]["code"], invalid["error"]["path"]) == ("invalid_payload", "$.text")
    finally:
        await client.disconnect()


async def test_a_wrong_ack_from_a_stock_server_is_invalid_ack(stock: Stock) -> None:
    @stock.server.on("hello")
    async def hello(sid: str, name: str) -> Any:
        return 42 if name == "wrong" else f"hello {name}"

    client = AsyncClient(registry=Quiz)
    await client.connect(stock.url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        assert await client.call(Quiz.hello, "ann", timeout=TIMEOUT) == "hello ann"
        with pytest.raises(PayloadError) as caught:
            await client.call(Quiz.hello, "wrong", timeout=TIMEOUT)
        assert caught.value.code == "invalid_ack"
        assert not isinstance(caught.value, RequestRejected)
    finally:
        await client.disconnect()


async def test_a_refused_ack_from_a_stock_server_fails_the_call_at_once(
    stock: Stock, caplog: pytest.LogCaptureFixture
) -> None:
    """The server acks ``hello`` with an integer beyond int64 (declared: ``str``) and an
    undeclared ``free`` with one: ``call()`` raises ``invalid_ack`` at once, naming the
    reason; ``emit(callback=)`` never calls the callback, reports the ack once; every
    ack id is released."""

    @stock.server.on("hello")
    async def hello(sid: str, name: str) -> Any:
        return 2**70

    stock.server.on("free", lambda sid, *args: 2**70)
    reported: list[tuple[str, str, str]] = []
    client = AsyncClient(
        registry=Quiz,
        on_payload_error=lambda error, sid: reported.append((error.code, error.event, sid)),
    )
    await client.connect(stock.url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        for event in (Quiz.hello, "free"):
            started = time.monotonic()
            with pytest.raises(PayloadError) as caught:
                await client.call(event, "ann", timeout=TIMEOUT)
            took = (time.monotonic() - started) * 1000
            print(f"\nAsyncClient: the refused call() took {took:.1f} ms")
            name = "hello" if event is Quiz.hello else "free"
            assert (
                str(caught.value)
                == f"Invalid ack for `{name}` on `/`: Integer out of the int64 range"
            )
            assert caught.value.code == "invalid_ack"
        got: list[Any] = []
        with caplog.at_level(logging.WARNING, logger="sioschema"):
            await client.emit("free", 1, callback=lambda *args: got.append(args))
            await client.emit(Quiz.hello, "bob", callback=got.append)
            deadline = time.monotonic() + TIMEOUT
            while len(reported) < 2 and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
        sid = client.get_sid("/")
        assert got == []
        assert sorted(reported) == [("invalid_ack", "free", sid), ("invalid_ack", "hello", sid)]
        assert sorted(r.getMessage() for r in caplog.records if r.name == "sioschema") == [
            f"dropped the ack of '{name}' from {sid} on /: invalid_ack "
            "(Integer out of the int64 range)"
            for name in ("free", "hello")
        ]
        assert [id for id in client.callbacks.get("/", {}) if id != 0] == []
    finally:
        await client.disconnect()


def test_handlers_take_server_emits_only() -> None:
    client = AsyncClient(registry=Quiz)
    with pytest.raises(SioSchemaError, match="client -> server"):
        client.on(Quiz.hello, lambda name: None)  # type: ignore[call-overload]


async def test_auth_is_checked_before_connecting() -> None:
    class Login(msgspec.Struct):
        token: str

    class Guarded(EventRegistry, auth=Login):
        ping = Event()

    client = AsyncClient(registry=Guarded)
    with pytest.raises(PayloadError) as caught:
        await client.connect("http://127.0.0.1:9", auth={"token": 1}, wait_timeout=1)
    assert caught.value.path == "$.token"


async def test_a_valid_typed_auth_is_accepted(apps_url: str) -> None:
    client = AsyncClient(registry=apps.Secure)
    # the namespace of every bound registry is joined by default: /secure only here
    await client.connect(
        apps_url, auth=apps.Token(token="abcd"), transports=["websocket"], wait_timeout=TIMEOUT
    )
    try:
        assert client.namespaces.keys() == {"/secure"}
        # the connect handler received the token typed, and whoami answers with it
        assert await client.call(apps.Secure.whoami, timeout=TIMEOUT) == "abcd"
    finally:
        await client.disconnect()
    client = AsyncClient(registry=apps.Secure)
    with pytest.raises(PayloadError) as caught:  # refused before anything is sent
        await client.connect(apps_url, auth=apps.Token(token="ab"), wait_timeout=TIMEOUT)
    assert (caught.value.code, caught.value.path) == ("invalid_payload", "$.token")
    assert not client.connected


# -- what a server sends from its connect handler -------------------------------------


@pytest.fixture(scope="module", params=["flask", "wsgi", "asgi"])
def greeter_url(request: pytest.FixtureRequest) -> Iterator[str]:
    with serve_greeter(request.param) as url:
        yield url


async def test_emits_from_the_connect_handler_are_held_until_connected(greeter_url: str) -> None:
    """The server sends them before its CONNECT packet; all arrive, typed, in order, after
    the namespace is joined and before its ``connect`` handler runs (as socket.io-client)."""
    client = AsyncClient(registry=[Lobby, Match])
    seen: list[tuple[str, Any]] = []
    done = asyncio.Event()

    def on(namespace: str) -> None:
        @client.on(Lobby.welcome if namespace == "/" else Match.welcome)
        async def welcome(welcome: Welcome) -> None:
            assert client.namespaces.get(namespace)  # joined: the client can answer
            seen.append((namespace, welcome))

        @client.on("blob", namespace=namespace)
        async def blob(data: bytes) -> None:
            seen.append((namespace, data))

        @client.on("connect", namespace=namespace)
        async def connect() -> None:
            seen.append((namespace, "connect"))
            if len(seen) == 2 * (WELCOMES + 2):
                done.set()

    on("/")
    on("/match")
    await client.connect(greeter_url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        await asyncio.wait_for(done.wait(), TIMEOUT)
        for namespace in ("/", "/match"):
            got = [value for ns, value in seen if ns == namespace]
            assert got == [*(Welcome(n) for n in range(WELCOMES)), BLOB, "connect"]
    finally:
        await client.disconnect()


async def test_emits_before_a_refused_connect_are_dropped(
    greeter_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    client = AsyncClient()
    seen: list[Any] = []
    client.on("welcome", seen.append, namespace="/closed")
    with caplog.at_level(logging.WARNING, logger="sioschema"):
        with pytest.raises(socketio.exceptions.ConnectionError):
            await client.connect(
                greeter_url, namespaces=["/closed"], transports=["websocket"], wait_timeout=TIMEOUT
            )
    await client.disconnect()
    assert seen == []
    assert "dropped 1 events sent before /closed connected: the server refused it" in caplog.text


# -- what a client accepts from a server ---------------------------------------------


async def test_large_and_deep_emits_reach_a_client_with_default_limits(stock: Stock) -> None:
    """``ClientLimits``: 4 MiB a packet and 64 levels, where a server allows a client
    100 KB and 32."""
    client = AsyncClient(registry=Quiz)
    delivered: asyncio.Queue[Any] = asyncio.Queue()
    client.on(Quiz.told, delivered.put)
    client.on("nested", delivered.put)
    await client.connect(stock.url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        sid = stock.joined[0]
        for size in (140_000, 1_500_000):
            await stock.run(stock.server.emit("told", {"text": "x" * size}, to=sid))
            assert await asyncio.wait_for(delivered.get(), TIMEOUT) == Question("x" * size)
        nested: Any = []
        for _ in range(ClientLimits().max_depth - 1):
            nested = [nested]
        await stock.run(stock.server.emit("nested", nested, to=sid))
        assert await asyncio.wait_for(delivered.get(), TIMEOUT) == nested
    finally:
        await client.disconnect()


async def test_an_emit_over_the_clients_limit_is_reported(
    stock: Stock, caplog: pytest.LogCaptureFixture
) -> None:
    reported: list[PayloadError] = []
    client = AsyncClient(
        registry=Quiz,
        limits=ClientLimits(max_payload_bytes=200_000),
        on_payload_error=lambda error, sid: reported.append(error),
    )
    delivered: asyncio.Queue[Any] = asyncio.Queue()
    client.on(Quiz.told, delivered.put)
    await client.connect(stock.url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        with caplog.at_level(logging.WARNING, logger="sioschema"):
            sid = stock.joined[0]
            await stock.run(stock.server.emit("told", {"text": "x" * 300_000}, to=sid))
            await stock.run(stock.server.emit("told", {"text": "fine"}, to=sid))
            assert await asyncio.wait_for(delivered.get(), TIMEOUT) == Question("fine")
        assert delivered.empty()
        assert [(e.code, e.event, e.detail) for e in reported] == [
            ("payload_too_large", "told", "Packet larger than 200000 bytes")
        ]
        own = client.namespaces["/"]
        assert f"rejected 'told' from {own} on /: payload_too_large" in caplog.text
    finally:
        await client.disconnect()
