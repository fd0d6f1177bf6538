"""A second engine: python-socketio's KombuManager over a real RabbitMQ (Debian's
``rabbitmq-server``), with two Flask-SocketIO server processes (``message_queue=
"amqp://..."``) and a write-only :class:`~sioschema.emitter.Emitter` process."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.scaleout.brokers import RabbitMQ, rabbitmq
from tests.scaleout.harness import Listener, emitter, server, wait_until

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
