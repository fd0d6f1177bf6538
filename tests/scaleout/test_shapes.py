"""Argument shapes are the declared ones on every path: each serializer (sioschema's
own packets, python-socketio's ``default`` and ``msgpack``), each manager (in-process,
python-socketio's Redis managers, the write-only emitters), every python-socketio
release the project supports (the suite runs on the oldest and the newest).

Two server processes, an ``AsyncServer`` (ASGI) and a sync ``Server`` (WSGI), each with
a python-socketio client and a typed client over websockets; with Redis they share a
channel, in memory each stands alone. The shapes: no argument, one scalar, one
tuple-typed argument, one list-typed argument, two arguments. python-socketio's own
client shows the raw arguments; the typed client the typed ones.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import socketio

from sioschema.client import Client
from tests.scaleout.brokers import RedisServer
from tests.scaleout.harness import emitter, server_node, subscribers, wait_until
from tests.scaleout.shapes import RAW, RAW_BYTES, SHAPES, TYPED, VALUES, Recorder, Shapes

pytestmark = pytest.mark.timeout(300)

MODULE = "tests.scaleout.shapes"
SERIALIZERS = ["codec", "default", "msgpack"]
WAIT = 20.0


@dataclass
class Side:
    """One server process with its two clients."""

    role: str
    stock: socketio.Client
    stock_got: Recorder
    stock_bytes: list[tuple[Any, ...]]
    typed: Client
    typed_got: Recorder


@dataclass
class Setup:
    queue: str  # "memory" or "redis"
    serializer: str
    redis_url: str
    sides: list[Side]  # the ASGI server's, the sync Server's

    def receivers(self, sender: Side) -> list[Side]:
        """The sides a broadcast of ``sender``'s server reaches."""
        return self.sides if self.queue == "redis" else [sender]


def _stock(
    url: str, serializer: str, got: Recorder, got_bytes: list[tuple[Any, ...]]
) -> socketio.Client:
    client = socketio.Client(reconnection=False, serializer=_client_serializer(serializer))
    for shape in SHAPES:
        client.on(f"put_{shape}", got.handler(shape))
    client.on("bytes", lambda *args: got_bytes.append(args))
    client.connect(url, transports=["websocket"], wait_timeout=WAIT)
    return client


def _typed(url: str, serializer: str, got: Recorder) -> Client:
    options = {"serializer": "msgpack"} if serializer == "msgpack" else {}
    client = Client(registry=Shapes, reconnection=False, **options)
    for shape in SHAPES:
        client.on(getattr(Shapes, f"put_{shape}"), got.handler(shape))
        client.on(getattr(Shapes, f"ask_{shape}"), _answer(shape))
    client.connect(url, transports=["websocket"], wait_timeout=WAIT)
    return client


def _answer(shape: str) -> Callable[[], Any]:
    def answer() -> Any:
        return VALUES[shape]

    return answer


def _client_serializer(serializer: str) -> str:
    return "msgpack" if serializer == "msgpack" else "default"


MEMORY = [("memory", s) for s in SERIALIZERS]
REDIS = [("redis", s) for s in SERIALIZERS]


def _id(param: tuple[str, str]) -> str:
    return f"{param[0]}-{param[1]}"


@pytest.fixture(scope="module", params=MEMORY + REDIS, ids=_id)
def setup(request: pytest.FixtureRequest, redis: RedisServer) -> Iterator[Setup]:
    queue, serializer = request.param
    where = "memory" if queue == "memory" else redis.url
    with (
        server_node("asgi", where, MODULE, serializer) as (asgi_url, _),
        server_node("wsgi", where, MODULE, serializer) as (wsgi_url, _),
    ):
        sides: list[Side] = []
        try:
            for role, url in [("asgi", asgi_url), ("wsgi", wsgi_url)]:
                stock_got, typed_got, stock_bytes = Recorder(), Recorder(), []
                stock = _stock(url, serializer, stock_got, stock_bytes)
                typed = _typed(url, serializer, typed_got)
                sides.append(Side(role, stock, stock_got, stock_bytes, typed, typed_got))
            if queue == "redis":
                # a server subscribes when its first client connects
                wait_until(lambda: subscribers(redis.url) == 2, WAIT, "both servers subscribed")
            yield Setup(queue, serializer, redis.url, sides)
        finally:
            for side in sides:
                side.stock.disconnect()
                side.typed.disconnect()


def _clear(setup: Setup) -> None:
    for side in setup.sides:
        side.stock_got.clear()
        side.typed_got.clear()


def _assert_received(setup: Setup, receivers: list[Side]) -> None:
    for side in receivers:
        assert side.stock_got.wait(WAIT) == RAW, f"stock client of {side.role}"
        assert side.typed_got.wait(WAIT) == TYPED, f"typed client of {side.role}"


@pytest.mark.parametrize("sender", [0, 1], ids=["asgi-emits", "wsgi-emits"])
def test_server_emits_arrive_with_their_declared_arguments(setup: Setup, sender: int) -> None:
    """A server's broadcast of each shape, to its own clients and (Redis) the other
    process's: the same arguments everywhere."""
    _clear(setup)
    side = setup.sides[sender]
    assert side.stock.call("shout", timeout=WAIT) is None
    _assert_received(setup, setup.receivers(side))


def _raw_ack(client: socketio.Client, event: str, data: Any) -> tuple[Any, ...]:
    """The arguments of the server's ack, as python-socketio's client reads them."""
    got: list[tuple[Any, ...]] = []
    done = threading.Event()

    def callback(*args: Any) -> None:
        got.append(args)
        done.set()

    client.emit(event, data, callback=callback)
    assert done.wait(WAIT), f"no ack for {event}"
    return got[0]


# what python-socketio's client sends for each shape (a tuple: several arguments)
STOCK_REQUESTS = {
    "none": None,
    "scalar": 7,
    "pair": [3, 4],
    "items": [1, 2],
    "two": ("a", {"x": 1, "y": 2}),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_handler_acks_and_typed_requests_keep_their_shape(setup: Setup, shape: str) -> None:
    """A handler's ack of each shape, to both clients; the typed client's request of
    each shape, and python-socketio's, acked back in the same shape."""
    value = TYPED[shape][0] if len(TYPED[shape]) == 1 else (TYPED[shape] or None)
    for side in setup.sides:
        assert _raw_ack(side.stock, f"ack_{shape}", None) == RAW[shape], side.role
        assert side.typed.call(getattr(Shapes, f"ack_{shape}"), timeout=WAIT) == value
        request = STOCK_REQUESTS[shape]
        assert _raw_ack(side.stock, f"req_{shape}", request) == RAW[shape], side.role
        typed = side.typed.call(getattr(Shapes, f"req_{shape}"), VALUES[shape], timeout=WAIT)
        assert typed == value, side.role


CALLED = {
    "none": "NoneType null",
    "scalar": "int 7",
    "pair": "tuple [3,4]",
    "items": "list [1,2]",
    "two": 'tuple ["a",{"x":1,"y":2}]',
}
"""What a server's ``call()`` of each shape returns (type and JSON) when the typed
client answers with ``VALUES[shape]``."""


@pytest.mark.parametrize("shape", SHAPES)
def test_typed_client_acks_reach_a_servers_call(setup: Setup, shape: str) -> None:
    """A server ``call()``s a typed client (with Redis: the other process's) and gets
    its ack in the declared shape."""
    for caller, target in [(0, 1), (1, 0)] if setup.queue == "redis" else [(0, 0), (1, 1)]:
        sid = setup.sides[target].typed.get_sid("/")
        assert sid is not None
        ask = {"shape": shape, "to": sid}
        answer = setup.sides[caller].stock.call("ask", ask, timeout=WAIT)
        assert answer == CALLED[shape], (setup.sides[caller].role, setup.sides[target].role)


@pytest.mark.parametrize("setup", REDIS, ids=_id, indirect=True)
@pytest.mark.parametrize("role", ["emit", "aemit"])
def test_emitter_emits_arrive_with_their_declared_arguments(setup: Setup, role: str) -> None:
    """The write-only emitters' emit of each shape reaches every process's clients with
    its declared arguments."""
    _clear(setup)
    with emitter(role, setup.redis_url, MODULE, setup.serializer) as out:
        assert out.send({"to": None}) == {}
    _assert_received(setup, setup.sides)


@pytest.mark.parametrize("setup", REDIS, ids=_id, indirect=True)
@pytest.mark.parametrize("sender", [0, 1], ids=["asgi-emits", "wsgi-emits"])
def test_binary_arguments_cross_redis_as_emitted(setup: Setup, sender: int) -> None:
    """Undeclared emits with bytes (binary packets, or msgpack's own bytes; base64 on
    the queue): two arguments, one, one list, as emitted, on both processes."""
    for side in setup.sides:
        side.stock_bytes.clear()
    setup.sides[sender].stock.call("shout_bytes", timeout=WAIT)
    for side in setup.sides:
        wait_until(lambda side=side: len(side.stock_bytes) >= 3, WAIT, side.role)
        assert side.stock_bytes == RAW_BYTES, side.role
