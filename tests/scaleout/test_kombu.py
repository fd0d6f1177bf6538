"""A second engine: python-socketio's KombuManager over a real RabbitMQ (Debian's
``rabbitmq-server``), with two Flask-SocketIO server processes (``message_queue=
"amqp://..."``), a write-only :class:`~sioschema.emitter.Emitter` process, and the
:class:`~sioschema.emitter.AsyncEmitter` on python-socketio's AsyncAioPikaManager."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
import socketio

from sioschema.emitter import DEFAULT_CHANNEL, AsyncEmitter
from tests.scaleout.brokers import RabbitMQ, rabbitmq
from tests.scaleout.harness import (
    Listener,
    emitter,
    published_args,
    server,
    server_node,
    wait_until,
)
from tests.scaleout.lobby import Lobby, Note
from tests.scaleout.shapes import RAW, SHAPES, Recorder

K = 100

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RabbitMQ]:
    folder: Path = tmp_path_factory.mktemp("rabbitmq")
    with rabbitmq(folder) as running:
        yield running


def test_kombu_emits_cross_exactly_once(broker: RabbitMQ) -> None:
    with server("flask", broker.url) as first, server("flask", broker.url) as second:
        a = Listener("first-client", first)
        b = Listener("second-client", second)
        try:
            with emitter("emit", broker.url) as out:
                # each server declares its queue when its first client connects: emit
                # until both receive (kombu's publish does not say who got it: None)
                deadline = time.monotonic() + 60
                while not (a.has(900_000) and b.has(900_000)):
                    assert out.note(900_000, room="lobby") == {"result": None}
                    assert time.monotonic() < deadline, "the servers never got the first note"
                    time.sleep(0.1)
                a.notes.clear()
                b.notes.clear()

                batch = out.send(
                    {"op": "batch", "k": K, "room": "lobby", "sids": [a.sid, b.sid]}, timeout=120
                )
                assert batch == {"results": [{"result": None}] * (3 * K)}
                bad = out.note(1, text=5, room="lobby")  # type: ignore[arg-type]
                assert (bad["error"], bad["code"]) == ("PayloadError", "invalid_payload")

                a.client.call("relay", {"to": b.sid, "seq": 500_000}, timeout=20)
                assert a.client.call("ask_other", b.sid, timeout=30) == {
                    "ok": True,
                    "by": "second-client",
                }

            wait_until(lambda: len(a.seqs(0, 900_000)) == 2 * K, 60, "the notes")
            wait_until(lambda: len(b.seqs(0, 900_000)) == 2 * K + 1, 60, "the notes")
        finally:
            a.close()
            b.close()
    rooms = Counter(range(K))
    assert a.seqs(0, 900_000) == rooms + Counter(100_000 + i for i in range(K))
    assert b.seqs(0, 900_000) == rooms + Counter(200_000 + i for i in range(K)) + Counter([500_000])


def test_kombu_keeps_argument_shapes(broker: RabbitMQ) -> None:
    """Each argument shape (see ``tests/scaleout/test_shapes.py``) from a sync server's
    emit and from the ``Emitter`` reaches both servers' clients as declared."""
    shapes = "tests.scaleout.shapes"
    with (
        server_node("wsgi", broker.url, shapes, "codec") as (first, _),
        server_node("wsgi", broker.url, shapes, "codec") as (second, _),
    ):
        got = [Recorder(), Recorder()]
        clients: list[Any] = []
        try:
            for url, recorder in zip([first, second], got, strict=True):
                client = socketio.Client(reconnection=False)
                for shape in SHAPES:
                    client.on(f"put_{shape}", recorder.handler(shape))
                client.connect(url, transports=["websocket"], wait_timeout=20)
                clients.append(client)
            # each server declares its queue when its first client connects: shout until
            # the other server's client hears it
            deadline = time.monotonic() + 60
            while len(got[1].wait(0.2)) < len(SHAPES):
                clients[0].call("shout", timeout=20)
                assert time.monotonic() < deadline, "the second server never got a shout"
            for recorder in got:
                recorder.clear()
            clients[1].call("shout", timeout=20)
            assert [recorder.wait(20) for recorder in got] == [RAW, RAW]
            for recorder in got:
                recorder.clear()
            with emitter("emit", broker.url, shapes, "codec") as out:
                assert out.send({"to": None}) == {}
            assert [recorder.wait(20) for recorder in got] == [RAW, RAW]
        finally:
            for client in clients:
                client.disconnect()


async def test_the_async_emitter_on_amqp_releases_its_connection(broker: RabbitMQ) -> None:
    """``aclose()`` closes the connection python-socketio's AsyncAioPikaManager opened
    to publish, and the next emit opens a new one; a queue bound to the channel's
    exchange receives both emits."""
    import aio_pika

    watcher = await aio_pika.connect_robust(broker.url)
    try:
        channel = await watcher.channel()
        exchange = await channel.declare_exchange(DEFAULT_CHANNEL, aio_pika.ExchangeType.FANOUT)
        queue = await channel.declare_queue(exclusive=True)
        await queue.bind(exchange)
        emitter = AsyncEmitter(Lobby, broker.url)
        assert type(emitter.manager) is socketio.AsyncAioPikaManager
        await emitter.emit(Lobby.note, Note(seq=1, text="a"))
        first = emitter.manager.publisher_connection
        assert first is not None and not first.is_closed
        await emitter.aclose()
        assert first.is_closed and emitter.manager.publisher_connection is None
        await emitter.aclose()  # nothing left to release
        async with emitter:
            await emitter.emit(Lobby.note, Note(seq=2, text="b"))
            second = emitter.manager.publisher_connection
            assert second is not None and second is not first and not second.is_closed
        assert second.is_closed
        seqs = []
        for _ in range(2):
            message = await queue.get(timeout=10, no_ack=True)
            seqs.append(published_args(msgspec.json.decode(message.body))[0]["seq"])
        assert seqs == [1, 2]
    finally:
        await watcher.close()
