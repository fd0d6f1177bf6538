"""The typed ``Client`` (``sioschema.client``) over real websockets on 127.0.0.1.

It plays the demo against its Flask-SocketIO and ASGI servers, connects with a typed
``auth`` to the test apps' Flask-SocketIO and ASGI servers, and meets a stock
python-socketio server that sends what a sioschema server never would (an invalid emit,
a call whose ack the client's handler gets wrong).

Mirrored by ``test_typed_async_client.py`` (``AsyncClient``), test for test.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterator
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
from sioschema.client import Client, ClientLimits
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
from tests.servers import serve_demo, serve_wsgi


@pytest.fixture(scope="module", params=["flask", "asgi"])
def demo_url(request: pytest.FixtureRequest) -> Iterator[str]:
    with serve_demo(request.param) as url:
        yield url


@pytest.fixture(scope="module", params=["flask", "asgi"])
def apps_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The test apps (``tests/apps.py``): ``/secure`` takes a typed ``auth``."""
    with run_server(request.param) as running:
        yield running.url


def test_two_typed_clients_play_a_game(demo_url: str) -> None:
    x, o = Client(registry=TicTacToe), Client(registry=TicTacToe)
    seen: queue.Queue[Any] = queue.Queue()

    @o.on(TicTacToe.move_made)
    def move_made(move: MoveMade) -> None:
        seen.put(move)

    @o.on(TicTacToe.game_won)
    def game_won(won: GameWon) -> None:
        seen.put(won)

    x.connect(demo_url, transports=["websocket"], wait_timeout=TIMEOUT)
    o.connect(demo_url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        game = x.call(TicTacToe.create_game, timeout=TIMEOUT)
        assert type(game) is GameCreated
        assert game.turn == "X"
        moves = [(x, 0, 0), (o, 1, 0), (x, 0, 1), (o, 1, 1), (x, 0, 2)]
        for player, col, row in moves:
            move = MakeMove(game_id=game.game_id, x=col, y=row)
            ack = player.call(TicTacToe.make_move, move, timeout=TIMEOUT)
            assert ack == MakeMoveAck(ok=True)
        received = [seen.get(timeout=TIMEOUT) for _ in range(len(moves))]
        # every client sees every game: O sees X's first move too
        assert all(type(m) is MoveMade for m in received)
        assert [(m.x, m.y) for m in received] == [(0, 0), (1, 0), (0, 1), (1, 1), (0, 2)]
        assert [m.turn for m in received] == ["O", "X", "O", "X", None]  # none after the win
        won = seen.get(timeout=TIMEOUT)
        assert type(won) is GameWon
        assert won.winner == "X"
    finally:
        x.disconnect()
        o.disconnect()


def test_an_invalid_request_never_leaves_the_client(demo_url: str) -> None:
    client = Client(registry=TicTacToe)
    client.connect(demo_url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        with pytest.raises(PayloadError) as caught:
            client.call(TicTacToe.make_move, MakeMove(game_id=1, x=3, y=0), timeout=TIMEOUT)
        assert (caught.value.code, caught.value.path) == ("invalid_payload", "$.x")
        with pytest.raises(PayloadError):  # a declared name is checked as its Event
            client.emit("make_move", {"game_id": 1, "x": "0", "y": 0})
        with pytest.raises(SioSchemaError, match="server -> client"):
            client.emit(TicTacToe.move_made, None)  # type: ignore[call-overload]
        # the connection is unharmed
        assert type(client.call(TicTacToe.create_game, timeout=TIMEOUT)) is GameCreated
    finally:
        client.disconnect()


def test_the_error_ack_is_raised_as_request_rejected(demo_url: str) -> None:
    client = Client(registry=TicTacToe)
    client.connect(demo_url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        with pytest.raises(RequestRejected) as caught:
            client.call("no_such_event", 1, timeout=TIMEOUT)
        error = caught.value
        assert (error.code, error.event, error.path) == ("unknown_event", "no_such_event", None)
        assert error.detail == "Unknown event `no_such_event`"
        assert isinstance(error, PayloadError)
    finally:
        client.disconnect()


# -- a stock server that breaks the contract ------------------------------------------


@pytest.fixture
def stock() -> Iterator[tuple[str, socketio.Server, list[str]]]:
    """A stock python-socketio server: it checks nothing it sends or receives."""
    server = socketio.Server(async_mode="threading")
    joined: list[str] = []
    ready = threading.Event()

    @server.on("connect")
    def connect(sid: str, environ: Any) -> None:
        joined.append(sid)
        ready.set()

    with serve_wsgi(socketio.WSGIApp(server)) as url:
        yield url, server, joined


def test_an_invalid_server_emit_is_reported_not_delivered(
    stock: tuple[str, socketio.Server, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    url, server, joined = stock
    reported: list[PayloadError] = []
    client = Client(registry=Quiz, on_payload_error=lambda error, sid: reported.append(error))
    delivered: queue.Queue[Any] = queue.Queue()

    @client.on(Quiz.told)
    def told(question: Question) -> None:
        delivered.put(question)

    client.connect(url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        with caplog.at_level(logging.WARNING, logger="sioschema"):
            server.emit("told", {"text": 5}, to=joined[0])
            server.emit("told", {"text": "fine"}, to=joined[0])
            assert delivered.get(timeout=TIMEOUT) == Question("fine")
        assert delivered.empty()
        assert [(e.code, e.path, e.event) for e in reported] == [
            ("invalid_payload", "$.text", "told")
        ]
        assert "rejected 'told'" in caplog.text
    finally:
        client.disconnect()


def test_a_server_call_is_answered_with_a_checked_ack(
    stock: tuple[str, socketio.Server, list[str]],
) -> None:
    url, server, joined = stock
    client = Client(registry=Quiz)

    @client.on(Quiz.asked)
    def asked(question: Question) -> Answer:
        if question.text == "wrong":
            return {"value": "not an int"}  # type: ignore[return-value]
        return Answer(value=len(question.text))

    client.connect(url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        sid = joined[0]
        assert server.call("asked", {"text": "four"}, to=sid, timeout=TIMEOUT) == {"value": 4}
        failed = server.call("asked", {"text": "wrong"}, to=sid, timeout=TIMEOUT)
        assert failed["error"]["code"] == "internal_error"
        invalid = server.call("asked", {"text": 1}, to=sid, timeout=TIMEOUT)
        assert (invalid["error"]["code"], invalid["error"]["path"]) == ("invalid_payload", "$.text")
    finally:
        client.disconnect()


def test_a_wrong_ack_from_a_stock_server_is_invalid_ack(
    stock: tuple[str, socketio.Server, list[str]],
) -> None:
    url, server, _ = stock

    @server.on("hello")
    def hello(sid: str, name: str) -> Any:
        return 42 if name == "wrong" else f"hello {name}"

    client = Client(registry=Quiz)
    client.connect(url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        assert client.call(Quiz.hello, "ann", timeout=TIMEOUT) == "hello ann"
        with pytest.raises(PayloadError) as caught:
            client.call(Quiz.hello, "wrong", timeout=TIMEOUT)
        assert caught.value.code == "invalid_ack"
        assert not isinstance(caught.value, RequestRejected)
    finally:
        client.disconnect()


def test_a_refused_ack_from_a_stock_server_fails_the_call_at_once(
    stock: tuple[str, socketio.Server, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    """The server acks ``hello`` with an integer beyond int64 (declared: ``str``) and an
    undeclared ``free`` with one: ``call()`` raises ``invalid_ack`` at once, naming the
    reason; ``emit(callback=)`` never calls the callback, reports the ack once; every
    ack id is released."""
    url, server, _ = stock

    @server.on("hello")
    def hello(sid: str, name: str) -> Any:
        return 2**70

    server.on("free", lambda sid, *args: 2**70)
    reported: list[tuple[str, str, str]] = []
    client = Client(
        registry=Quiz,
        on_payload_error=lambda error, sid: reported.append((error.code, error.event, sid)),
    )
    client.connect(url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        for event in (Quiz.hello, "free"):
            started = time.monotonic()
            with pytest.raises(PayloadError) as caught:
                client.call(event, "ann", timeout=TIMEOUT)
            print(f"\nClient: the refused call() took {(time.monotonic() - started) * 1000:.1f} ms")
            name = "hello" if event is Quiz.hello else "free"
            assert (
                str(caught.value)
                == f"Invalid ack for `{name}` on `/`: Integer out of the int64 range"
            )
            assert caught.value.code == "invalid_ack"
        got: list[Any] = []
        with caplog.at_level(logging.WARNING, logger="sioschema"):
            client.emit("free", 1, callback=lambda *args: got.append(args))
            client.emit(Quiz.hello, "bob", callback=got.append)
            deadline = time.monotonic() + TIMEOUT
            while len(reported) < 2 and time.monotonic() < deadline:
                time.sleep(0.01)
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
        client.disconnect()


def test_handlers_take_server_emits_only() -> None:
    client = Client(registry=Quiz)
    with pytest.raises(SioSchemaError, match="client -> server"):
        client.on(Quiz.hello, lambda name: None)  # type: ignore[call-overload]


def test_auth_is_checked_before_connecting() -> None:
    class Login(msgspec.Struct):
        token: str

    class Guarded(EventRegistry, auth=Login):
        ping = Event()

    client = Client(registry=Guarded)
    with pytest.raises(PayloadError) as caught:
        client.connect("http://127.0.0.1:9", auth={"token": 1}, wait_timeout=1)
    assert caught.value.path == "$.token"


def test_a_valid_typed_auth_is_accepted(apps_url: str) -> None:
    client = Client(registry=apps.Secure)
    # the namespace of every bound registry is joined by default: /secure only here
    client.connect(
        apps_url, auth=apps.Token(token="abcd"), transports=["websocket"], wait_timeout=TIMEOUT
    )
    try:
        assert client.namespaces.keys() == {"/secure"}
        # the connect handler received the token typed, and whoami answers with it
        assert client.call(apps.Secure.whoami, timeout=TIMEOUT) == "abcd"
    finally:
        client.disconnect()
    client = Client(registry=apps.Secure)
    with pytest.raises(PayloadError) as caught:  # refused before anything is sent
        client.connect(apps_url, auth=apps.Token(token="ab"), wait_timeout=TIMEOUT)
    assert (caught.value.code, caught.value.path) == ("invalid_payload", "$.token")
    assert not client.connected


# -- what a server sends from its connect handler -------------------------------------


@pytest.fixture(scope="module", params=["flask", "wsgi", "asgi"])
def greeter_url(request: pytest.FixtureRequest) -> Iterator[str]:
    with serve_greeter(request.param) as url:
        yield url


def test_emits_from_the_connect_handler_are_held_until_connected(greeter_url: str) -> None:
    """The server sends them before its CONNECT packet; all arrive, typed, in order, after
    the namespace is joined and before its ``connect`` handler runs (as socket.io-client)."""
    client = Client(registry=[Lobby, Match])
    seen: list[tuple[str, Any]] = []
    done = threading.Event()

    def on(namespace: str) -> None:
        @client.on(Lobby.welcome if namespace == "/" else Match.welcome)
        def welcome(welcome: Welcome) -> None:
            assert client.namespaces.get(namespace)  # joined: the client can answer
            seen.append((namespace, welcome))

        @client.on("blob", namespace=namespace)
        def blob(data: bytes) -> None:
            seen.append((namespace, data))

        @client.on("connect", namespace=namespace)
        def connect() -> None:
            seen.append((namespace, "connect"))
            if len(seen) == 2 * (WELCOMES + 2):
                done.set()

    on("/")
    on("/match")
    client.connect(greeter_url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        assert done.wait(TIMEOUT)
        for namespace in ("/", "/match"):
            got = [value for ns, value in seen if ns == namespace]
            assert got == [*(Welcome(n) for n in range(WELCOMES)), BLOB, "connect"]
    finally:
        client.disconnect()


def test_emits_before_a_refused_connect_are_dropped(
    greeter_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    seen: list[Any] = []
    client.on("welcome", seen.append, namespace="/closed")
    with caplog.at_level(logging.WARNING, logger="sioschema"):
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(
                greeter_url, namespaces=["/closed"], transports=["websocket"], wait_timeout=TIMEOUT
            )
    client.disconnect()
    assert seen == []
    assert "dropped 1 events sent before /closed connected: the server refused it" in caplog.text


# -- what a client accepts from a server ---------------------------------------------


def test_large_and_deep_emits_reach_a_client_with_default_limits(
    stock: tuple[str, socketio.Server, list[str]],
) -> None:
    """``ClientLimits``: 4 MiB a packet and 64 levels, where a server allows a client
    100 KB and 32."""
    url, server, joined = stock
    client = Client(registry=Quiz)
    delivered: queue.Queue[Any] = queue.Queue()
    client.on(Quiz.told, delivered.put)
    client.on("nested", delivered.put)
    client.connect(url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        for size in (140_000, 1_500_000):
            server.emit("told", {"text": "x" * size}, to=joined[0])
            assert delivered.get(timeout=TIMEOUT) == Question("x" * size)
        nested: Any = []
        for _ in range(ClientLimits().max_depth - 1):
            nested = [nested]
        server.emit("nested", nested, to=joined[0])
        assert delivered.get(timeout=TIMEOUT) == nested
    finally:
        client.disconnect()


def test_an_emit_over_the_clients_limit_is_reported(
    stock: tuple[str, socketio.Server, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    url, server, joined = stock
    reported: list[PayloadError] = []
    client = Client(
        registry=Quiz,
        limits=ClientLimits(max_payload_bytes=200_000),
        on_payload_error=lambda error, sid: reported.append(error),
    )
    delivered: queue.Queue[Any] = queue.Queue()
    client.on(Quiz.told, delivered.put)
    client.connect(url, transports=["websocket"], wait_timeout=TIMEOUT)
    try:
        with caplog.at_level(logging.WARNING, logger="sioschema"):
            server.emit("told", {"text": "x" * 300_000}, to=joined[0])
            server.emit("told", {"text": "fine"}, to=joined[0])
            assert delivered.get(timeout=TIMEOUT) == Question("fine")
        assert delivered.empty()
        assert [(e.code, e.event, e.detail) for e in reported] == [
            ("payload_too_large", "told", "Packet larger than 200000 bytes")
        ]
        sid = client.namespaces["/"]
        assert f"rejected 'told' from {sid} on /: payload_too_large" in caplog.text
    finally:
        client.disconnect()
