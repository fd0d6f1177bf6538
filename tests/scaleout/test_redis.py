"""Scale-out over a real redis-server: an ASGI server process (``AsyncServer`` with
``AsyncRedisManager``), a Flask-SocketIO server process (``message_queue=``), a sync
``Server`` process (``RedisManager``, under a WSGI server) and write-only emitter
processes, every channel left at its default.

Each client sits on one server; an emit from any process (to a sid, a room, or every
client) reaches the clients of every server exactly once, and an invalid one never
reaches Redis.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.scaleout.brokers import RedisServer
from tests.scaleout.harness import (
    Listener,
    Node,
    Subscriber,
    emitter,
    server_node,
    subscribers,
    valid_note,
    wait_until,
)

K = 200  # room emits, and direct emits to each of the three clients, per emitter
SERVERS = 3

pytestmark = pytest.mark.timeout(300)


@dataclass
class Cluster:
    redis: RedisServer
    asgi: Listener  # a client of the ASGI server process
    flask: Listener  # a client of the Flask-SocketIO server process
    wsgi: Listener  # a client of the sync Server process
    nodes: dict[str, Node]  # the server processes, for their logs

    @property
    def clients(self) -> list[Listener]:
        return [self.asgi, self.flask, self.wsgi]


@pytest.fixture(scope="module")
def cluster(redis: RedisServer) -> Iterator[Cluster]:
    with (
        server_node("asgi", redis.url) as (asgi_url, asgi),
        server_node("flask", redis.url) as (flask_url, flask),
        server_node("wsgi", redis.url) as (wsgi_url, wsgi),
    ):
        clients: list[Listener] = []
        try:
            for name, url in [("asgi", asgi_url), ("flask", flask_url), ("wsgi", wsgi_url)]:
                clients.append(Listener(f"{name}-client", url))
            # a server subscribes when its first client connects
            wait_until(lambda: subscribers(redis.url) == SERVERS, 30, "every server subscribed")
            yield Cluster(redis, *clients, nodes={"asgi": asgi, "flask": flask, "wsgi": wsgi})
        finally:
            for client in clients:
                client.close()


@pytest.mark.parametrize("role", ["emit", "aemit"])
def test_emitter_room_and_direct_emits_cross_exactly_once(cluster: Cluster, role: str) -> None:
    base = 1_000_000 if role == "emit" else 2_000_000  # this test's own seq numbers
    a, b, c = cluster.clients
    everyone = SERVERS + 1
    watch = Subscriber(cluster.redis.url)
    try:
        wait_until(lambda: subscribers(cluster.redis.url) == everyone, 10, "subscribed")
        with emitter(role, cluster.redis.url) as out:
            # PUBLISH's answer, the emitter's return value: the processes subscribed to
            # the channel (the three servers and this test's subscriber) got the message
            assert out.note(base + 2, room="lobby") == {"result": everyone}
            wait_until(lambda: all(x.has(base + 2) for x in (a, b, c)), 20, "the first note")

            batch = out.send(
                {"op": "batch", "k": K, "room": "lobby", "sids": [a.sid, b.sid, c.sid]},
                timeout=120,
            )
            assert batch == {"results": [{"result": everyone}] * (4 * K)}

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
            assert out.note(base + 1, room="lobby") == {"result": everyone}  # still emitting

        def arrived() -> bool:
            return all(len(x.seqs(0, base)) >= 2 * K for x in (a, b, c))

        wait_until(arrived, 60, "every note")
        wait_until(lambda: all(x.has(base + 1) for x in (a, b, c)), 20, "the last note")
    finally:
        watch.close()

    rooms = Counter(range(K))
    for n, client in enumerate((a, b, c), 1):
        assert client.seqs(0, base) == rooms + Counter(n * 100_000 + i for i in range(K))
        client.notes.clear()
    # what went through Redis: the valid emits, once each, and nothing else
    published = watch.notes()
    assert all(valid_note(note) for note in published)
    assert sorted(n["seq"] for n in published if n["seq"] < base) == sorted(
        [*range(K), *(n * 100_000 + i for n in (1, 2, 3) for i in range(K))]
    )
    assert [n for n in published if n["seq"] == base] == []


def test_servers_emit_and_call_across_processes(cluster: Cluster) -> None:
    """A server's emit reaches a client of another server, and ``call()`` gets the ack
    of a client connected to another process (python-socketio routes it back through
    Redis), validated against the declared ack."""
    a, b, c = cluster.clients
    a.client.call("relay", {"to": b.sid, "seq": 3_000_001}, timeout=20)
    b.client.call("relay", {"to": c.sid, "seq": 3_000_002}, timeout=20)
    c.client.call("relay", {"to": a.sid, "seq": 3_000_003}, timeout=20)
    b.client.call("relay", {"to": "lobby", "seq": 3_000_004}, timeout=20)
    c.client.call("relay", {"to": "lobby", "seq": 3_000_005}, timeout=20)
    wait_until(lambda: b.has(3_000_001) and c.has(3_000_002) and a.has(3_000_003), 20, "relayed")
    room = Counter({3_000_004: 1, 3_000_005: 1})
    wait_until(
        lambda: all(x.seqs(3_000_004, 3_000_006) == room for x in (a, b, c)),
        20,
        "the relayed room notes",
    )

    assert a.client.call("ask_other", b.sid, timeout=30) == {"ok": True, "by": "flask-client"}
    assert b.client.call("ask_other", c.sid, timeout=30) == {"ok": True, "by": "wsgi-client"}
    assert c.client.call("ask_other", a.sid, timeout=30) == {"ok": True, "by": "asgi-client"}
    assert (a.questions[-1], b.questions[-1], c.questions[-1]) == (
        "wsgi asks",
        "asgi asks",
        "flask asks",
    )

    # a client on another process answers with an ack that breaks its type: the
    # asking server's call() raises PayloadError (invalid_ack), so the handler fails
    for asker, target in [(b, a), (c, b)]:
        target.answer_invalid = True
        try:
            reply: Any = asker.client.call("ask_other", target.sid, timeout=30)
        finally:
            target.answer_invalid = False
        assert reply["error"]["code"] == "internal_error"

    assert a.seqs(3_000_000, 4_000_000) == Counter({3_000_003: 1}) + room
    assert b.seqs(3_000_000, 4_000_000) == Counter({3_000_001: 1}) + room
    assert c.seqs(3_000_000, 4_000_000) == Counter({3_000_002: 1}) + room


def test_a_refused_ack_fails_the_call_in_another_process_at_once(cluster: Cluster) -> None:
    """A client answers another process's ``call()`` with an integer beyond int64: its
    own server refuses the ack and sends the refusal back through Redis, so the asking
    server's ``call()`` (timeout 10 s) raises ``invalid_ack`` at once, naming the reason.
    An ``emit(callback=)`` across processes is reported, once, by the emitting process."""
    a, b, c = cluster.clients
    names = {id(a): "asgi", id(b): "flask", id(c): "wsgi"}
    for asker, target in [(a, b), (b, c), (c, a)]:
        node = cluster.nodes[names[id(asker)]]
        before = node.log().count("Integer out of the int64 range")
        target.answer_refused = True
        started = time.monotonic()
        try:
            reply: Any = asker.client.call("ask_other", target.sid, timeout=30)
        finally:
            target.answer_refused = False
        elapsed = time.monotonic() - started
        print(f"\n{names[id(asker)]} asks {names[id(target)]}: refused in {elapsed * 1000:.0f} ms")
        assert reply["error"]["code"] == "internal_error"  # the handler's call() raised
        # the asking handler's traceback (logged before its error ack was sent): the
        # refusal, not a TimeoutError
        log = node.log()
        assert log.count("Integer out of the int64 range") > before
        assert "PayloadError: Invalid ack for `ask` on `/`: Integer out of the int64 range" in log
    asgi = cluster.nodes["asgi"]
    b.answer_refused = True
    try:
        a.client.emit("ask_room", b.sid)  # the ASGI server emits to b's sid with a callback
        line = f"dropped the ack of 'ask' from {b.sid} on /: invalid_ack"
        wait_until(lambda: line in asgi.log(), 10, "the refused ack reported by the emitter")
    finally:
        b.answer_refused = False
    assert asgi.log().count(line) == 1


def test_broadcasts_cross_exactly_once(cluster: Cluster) -> None:
    """An emit with neither ``to`` nor ``room``, from each server and from each emitter,
    reaches every connected client of every process once."""
    clients = cluster.clients
    for n, client in enumerate(clients):  # a broadcast from each server
        assert client.client.call("relay", {"seq": 4_000_000 + n}, timeout=20) is None
    for role, seq in [("emit", 4_000_010), ("aemit", 4_000_020)]:
        with emitter(role, cluster.redis.url) as out:
            assert out.note(seq) == {"result": SERVERS}
            assert out.note(seq + 1, text="no room, no sid", to=None) == {"result": SERVERS}
            bad = out.note(seq + 2, text=5)  # type: ignore[arg-type]
            assert (bad["error"], bad["code"]) == ("PayloadError", "invalid_payload")
    sent = [4_000_000, 4_000_001, 4_000_002, 4_000_010, 4_000_011, 4_000_020, 4_000_021]

    def arrived() -> bool:
        return all(len(x.seqs(4_000_000, 5_000_000)) >= len(sent) for x in clients)

    wait_until(arrived, 30, "every broadcast")
    time.sleep(0.3)  # a duplicate, if any, would arrive by now
    for client in clients:
        assert client.seqs(4_000_000, 5_000_000) == Counter(sent)


def test_a_room_emit_with_a_callback_takes_the_first_ack(cluster: Cluster) -> None:
    """``emit(..., room=..., callback=...)`` on a server whose room has clients on three
    processes: every client gets the event and answers, python-socketio calls the
    callback once (the first ack to come back) and logs the others as unknown."""
    a, b, c = cluster.clients
    asgi = cluster.nodes["asgi"]
    ignored = asgi.log().count("Unknown callback received, ignoring.")
    answers = a.client.call("ask_room", "lobby", timeout=30)  # the ASGI server asks
    assert len(answers) == 1 and answers[0]["ok"] is True
    assert answers[0]["by"] in {"asgi-client", "flask-client", "wsgi-client"}
    assert (a.questions[-1], b.questions[-1], c.questions[-1]) == ("asgi asks the room",) * 3
    wait_until(
        lambda: asgi.log().count("Unknown callback received, ignoring.") == ignored + 2,
        20,
        "the two other acks ignored",
    )
