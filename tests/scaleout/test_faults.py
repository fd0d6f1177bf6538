"""Redis stopped in the middle of a run and started again on the same port, and Redis
paused (SIGSTOP) under an emitter with and without a ``socket_timeout``.

What each side sees, measured on real processes:

- the write-only emitter: ``emit`` raises ``PublishError`` at once while Redis is down
  (python-socketio's manager tried twice and logged ``Cannot publish to redis...``);
  nothing was published, so nothing arrives later either;
- a server's own emit while Redis is down: no exception, python-socketio logs
  ``Cannot publish to redis... giving up`` and drops it for the other processes; its own
  clients still get it (python-socketio delivers locally before publishing);
- the servers: their subscription breaks; python-socketio reconnects by itself, waiting
  1 s, 2 s, 4 s ... (at most 60 s) between tries, so for a while after Redis is back a
  server may not be subscribed yet. PUBLISH answers how many servers got an emit, and the
  emitter returns that number: an emit that returned 1 reached the clients of one server
  only, 0 none. Redis pub/sub keeps nothing for a subscriber that is away.
- then delivery resumes by itself: exactly once per client again.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter
from typing import Any

import pytest

from sioschema.emitter import Emitter, PublishError
from tests.scaleout.brokers import RedisServer
from tests.scaleout.harness import Listener, emitter, server_node, subscribers, wait_until
from tests.scaleout.lobby import Lobby, Note

K = 50

pytestmark = pytest.mark.timeout(300)


def test_redis_down_and_back(redis: RedisServer) -> None:
    with (
        server_node("asgi", redis.url) as (asgi_url, asgi),
        server_node("flask", redis.url) as (flask_url, flask),
    ):
        a = Listener("asgi-client", asgi_url)
        b = Listener("flask-client", flask_url)
        try:
            wait_until(lambda: subscribers(redis.url) == 2, 30, "both servers subscribed")
            with emitter("emit", redis.url) as out:
                assert out.note(900_000, room="lobby") == {"result": 2}
                before = out.send(
                    {"op": "batch", "k": K, "room": "lobby", "sids": [a.sid, b.sid]}, timeout=60
                )
                assert before == {"results": [{"result": 2}] * (3 * K)}
                wait_until(lambda: len(a.seqs(0, 900_000)) == 2 * K, 30, "the first batch")
                wait_until(lambda: len(b.seqs(0, 900_000)) == 2 * K, 30, "the first batch")

                redis.stop()
                started = time.monotonic()
                down = [out.note(1_000_000 + i, room="lobby") for i in range(3)]
                took = time.monotonic() - started
                assert (
                    down
                    == [
                        {
                            "error": "PublishError",
                            "message": "Could not publish `note` on `/` to the redis message "
                            "queue (channel `socketio`): nothing was sent",
                        }
                    ]
                    * 3
                )
                assert took < 10, f"emits while Redis is down took {took:.1f} s"
                assert "Cannot publish to redis... giving up" in out.log()

                # a server's emit while Redis is down: to a client of another process
                # it is logged and dropped, and the handler goes on (no exception); to
                # its own client it is delivered (python-socketio hands an emit to its
                # own clients before it publishes it)
                started = time.monotonic()
                relays = [
                    a.client.call("relay", {"to": b.sid, "seq": 950_000}, timeout=20),
                    b.client.call("relay", {"to": a.sid, "seq": 950_001}, timeout=20),
                    a.client.call("relay", {"to": a.sid, "seq": 950_002}, timeout=20),
                    b.client.call("relay", {"to": b.sid, "seq": 950_003}, timeout=20),
                    a.client.call("relay", {"seq": 950_004}, timeout=20),  # broadcasts
                    b.client.call("relay", {"seq": 950_005}, timeout=20),
                ]
                relayed = time.monotonic() - started
                assert relays == [None] * 6
                assert relayed < 10, f"the servers' emits while Redis is down took {relayed} s"
                wait_until(
                    lambda: (
                        a.seqs(950_000, 960_000) == Counter([950_002, 950_004])
                        and b.seqs(950_000, 960_000) == Counter([950_003, 950_005])
                    ),
                    20,
                    "the notes to the servers' own clients",
                )
                for node in (asgi, flask):  # three emits each, each dropped once
                    assert node.log().count("Cannot publish to redis... giving up") == 3

                redis.start()
                # emit until both servers are subscribed again; each result is the
                # number of servers that got that emit
                results: dict[int, int] = {}
                restarted = time.monotonic()
                seq = 2_000_000
                while time.monotonic() - restarted < 120:
                    answer = out.note(seq, room="lobby")
                    results[seq] = answer.get("result", -1)
                    seq += 1
                    if results[seq - 1] == 2:
                        break
                    time.sleep(0.1)
                recovered = time.monotonic() - restarted
                assert results[seq - 1] == 2, f"not resubscribed in {recovered:.1f} s"

                after = out.send(
                    {
                        "op": "batch",
                        "k": K,
                        "room": "lobby",
                        "sids": [a.sid, b.sid],
                        "base": 3_000_000,
                    },
                    timeout=60,
                )
                assert after == {"results": [{"result": 2}] * (3 * K)}
                wait_until(lambda: len(a.seqs(3_000_000)) == 2 * K, 30, "the last batch")
                wait_until(lambda: len(b.seqs(3_000_000)) == 2 * K, 30, "the last batch")
                last = seq - 1
                wait_until(lambda: a.has(last) and b.has(last), 30, "the first note after")
            time.sleep(0.5)  # late duplicates, if any, would arrive by now

            # before and after: exactly once each; while down: nothing, ever
            rooms = Counter(range(K))
            assert a.seqs(0, 900_000) == rooms + Counter(100_000 + i for i in range(K))
            assert b.seqs(0, 900_000) == rooms + Counter(200_000 + i for i in range(K))
            assert a.seqs(1_000_000, 2_000_000) + b.seqs(1_000_000, 2_000_000) == Counter()
            # the servers' emits while down: their own clients only, once
            assert a.seqs(900_001, 1_000_000) == Counter([950_002, 950_004])
            assert b.seqs(900_001, 1_000_000) == Counter([950_003, 950_005])
            rooms = Counter(3_000_000 + i for i in range(K))
            assert a.seqs(3_000_000) == rooms + Counter(3_100_000 + i for i in range(K))
            assert b.seqs(3_000_000) == rooms + Counter(3_200_000 + i for i in range(K))
            # while the servers came back: each emit reached as many clients as PUBLISH
            # said servers got it (one client per server in the room)
            copies = a.seqs(2_000_000, 3_000_000) + b.seqs(2_000_000, 3_000_000)
            assert {s: copies[s] for s in results} == results
            print(
                f"\nemits while down: 3 PublishError in {took:.2f} s; 6 server emits (to "
                f"their own clients only) in {relayed:.2f} s; servers back after "
                f"{recovered:.1f} s; emits during recovery by servers reached: "
                f"{dict(Counter(results.values()))}"
            )
            for node in (asgi, flask):
                assert "Cannot receive from redis" in node.log()
        finally:
            a.close()
            b.close()


def _emit(emitter: Emitter, seq: int) -> Any:
    try:
        return emitter.emit(Lobby.note, Note(seq=seq, text="hung"))
    except PublishError as error:
        return error


def test_redis_hung_with_a_socket_timeout(redis: RedisServer) -> None:
    """Redis paused with SIGSTOP (its sockets stay open, nothing answers): with
    redis-py's default ``socket_timeout`` (none before redis-py 8, 5 s from 8) an emit
    during a 1 s pause waits until Redis answers again; with
    ``redis_options={"socket_timeout": ...}`` python-socketio's manager gives up after
    its two tries and the emitter raises ``PublishError``; once Redis runs again, the
    same emitter publishes."""
    assert redis.process is not None
    pid = redis.process.pid
    bounded = Emitter(Lobby, redis.url, redis_options={"socket_timeout": 0.3})
    unbounded = Emitter(Lobby, redis.url)
    try:
        assert (_emit(bounded, 1), _emit(unbounded, 2)) == (0, 0)  # connected, no server
        os.kill(pid, signal.SIGSTOP)
        try:
            refused = _emit(bounded, 3)
            # the unbounded emit answers once Redis runs again
            resume = threading.Timer(1.0, os.kill, (pid, signal.SIGCONT))
            resume.start()
            waited = _emit(unbounded, 4)
            resume.join()
        finally:
            os.kill(pid, signal.SIGCONT)
        assert isinstance(refused, PublishError), refused
        assert str(refused) == (
            "Could not publish `note` on `/` to the redis message queue (channel `socketio`): "
            "nothing was sent"
        )
        assert waited == 0
        assert _emit(bounded, 5) == 0
    finally:
        bounded.close()
        unbounded.close()
