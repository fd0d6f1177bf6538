"""Scale-out over a real redis-server: an ASGI server process, a Flask-SocketIO server
process and write-only emitter processes, every channel left at its default.

Each client sits on one server; an emit from any process reaches the clients of every
server exactly once, and an invalid one never reaches Redis.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.scaleout.brokers import RedisServer
from tests.scaleout.harness import (
    Listener,
    Subscriber,
    emitter,
    server,
    valid_note,
    wait_until,
)

K = 200  # room emits, and direct emits to each of the two clients, per emitter

pytestmark = pytest.mark.timeout(300)


@dataclass
class Cluster:
    redis: RedisServer
    asgi: Listener  # a client of the ASGI server process
    flask: Listener  # a client of the Flask-SocketIO server process


def subscribers(url: str) -> int:
    import redis

    with redis.Redis.from_url(url) as client:
        return int(dict(client.pubsub_numsub("socketio"))[b"socketio"])


@pytest.fixture(scope="module")
def cluster(redis: RedisServer) -> Iterator[Cluster]:
    with server("asgi", redis.url) as asgi_url, server("flask", redis.url) as flask_url:
        a = Listener("asgi-client", asgi_url)
        b = Listener("flask-client", flask_url)
        try:
            # a server subscribes when its first client connects
            wait_until(lambda: subscribers(redis.url) == 2, 30, "both servers subscribed")
            yield Cluster(redis, a, b)
        finally:
            a.close()
            b.close()


@pytest.mark.parametrize("role", ["emit", "aemit"])
def test_emitter_room_and_direct_emits_cross_exactly_once(cluster: Cluster, role: str) -> None:
    base = 1_000_000 if role == "emit" else 2_000_000  # this test's own seq numbers
    a, b = cluster.asgi, cluster.flask
    watch = Subscriber(cluster.redis.url)
    try:
        with emitter(role, cluster.redis.url) as out:
            # PUBLISH's answer, the emitter's return value: the processes subscribed to
            # the channel (the two servers and this test's subscriber) got the message
            assert out.note(base + 2, room="lobby") == {"result": 3}
            wait_until(lambda: a.has(base + 2) and b.has(base + 2), 20, "the first note")

            batch = out.send(
                {"op": "batch", "k": K, "room": "lobby", "sids": [a.sid, b.sid]}, timeout=120
            )
            assert batch == {"results": [{"result": 3}] * (3 * K)}

            invalid = [
                out.note(base, text=5, room="lobby"),  # type: ignore[arg-type]
                out.send({"op": "emit", "event": "note", "data": {"seq": "1"}, "room": "lobby"}),
                out.send(
                    {
                        "op": "emit",
                        "event": "note",
                        "declared": True,
                        "data": {"seq": base, "text": "x", "extra": True},
                        "to": a.sid,
                    }
                ),
            ]
            assert [(answer["error"], answer["code"]) for answer in invalid] == [
                ("PayloadError", "invalid_payload")
            ] * 3
            assert invalid[0]["message"] == (
                "Invalid emit for `note` on `/`: Expected `str`, got `int` - at `$.text`"
            )
            assert out.note(base + 1, room="lobby") == {"result": 3}  # still emitting

        def arrived() -> bool:
            return len(a.seqs(0, base)) >= 2 * K and len(b.seqs(0, base)) >= 2 * K

        wait_until(arrived, 60, "every note")
        wait_until(lambda: a.has(base + 1) and b.has(base + 1), 20, "the last note")
    finally:
        watch.close()

    rooms = Counter(range(K))
    assert a.seqs(0, base) == rooms + Counter(100_000 + i for i in range(K))
    assert b.seqs(0, base) == rooms + Counter(200_000 + i for i in range(K))
    a.notes.clear()
    b.notes.clear()
    # what went through Redis: the valid emits, once each, and nothing else
    published = watch.notes()
    assert all(valid_note(note) for note in published)
    assert sorted(n["seq"] for n in published if n["seq"] < base) == sorted(
        [*range(K), *range(100_000, 100_000 + K), *range(200_000, 200_000 + K)]
    )
    assert [n for n in published if n["seq"] == base] == []


def test_servers_emit_and_call_across_processes(cluster: Cluster) -> None:
    """A server's emit reaches a client of the other server, and ``call()`` gets the ack
    of a client connected to another process (python-socketio routes it back through
    Redis), validated against the declared ack."""
    a, b = cluster.asgi, cluster.flask
    a.client.call("relay", {"to": b.sid, "seq": 3_000_001}, timeout=20)
    b.client.call("relay", {"to": a.sid, "seq": 3_000_002}, timeout=20)
    b.client.call("relay", {"to": "lobby", "seq": 3_000_003}, timeout=20)
    wait_until(lambda: b.has(3_000_001) and a.has(3_000_002), 20, "the relayed notes")
    wait_until(lambda: a.has(3_000_003) and b.has(3_000_003), 20, "the relayed room note")

    assert a.client.call("ask_other", b.sid, timeout=30) == {"ok": True, "by": "flask-client"}
    assert b.client.call("ask_other", a.sid, timeout=30) == {"ok": True, "by": "asgi-client"}
    assert b.questions[-1] == "asgi asks" and a.questions[-1] == "flask asks"

    # a client on another process answers with an ack that breaks its type: the
    # asking server's call() raises PayloadError (invalid_ack), so the handler fails
    a.answer_invalid = True
    try:
        reply: Any = b.client.call("ask_other", a.sid, timeout=30)
    finally:
        a.answer_invalid = False
    assert reply["error"]["code"] == "internal_error"

    assert a.seqs(3_000_000, 4_000_000) == Counter({3_000_002: 1, 3_000_003: 1})
    assert b.seqs(3_000_000, 4_000_000) == Counter({3_000_001: 1, 3_000_003: 1})
