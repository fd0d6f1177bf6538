"""Numbers the receiving side refuses never reach Redis: the write-only ``Emitter`` and
``AsyncEmitter``, each in a process of its own, refuse an integer beyond int64 and a NaN
in a plain ``int`` field with ``invalid_number`` before publishing, while a server process
on the same real redis-server and its client see only the valid emits that follow."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest

from tests.scaleout.brokers import RedisServer
from tests.scaleout.harness import (
    Listener,
    Subscriber,
    emitter,
    server_node,
    subscribers,
    wait_until,
)

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def listener(redis: RedisServer) -> Iterator[Listener]:
    with server_node("asgi", redis.url) as (url, _):
        client = Listener("asgi-client", url)
        try:
            wait_until(lambda: subscribers(redis.url) == 1, 30, "the server subscribed")
            yield client
        finally:
            client.close()


@pytest.mark.parametrize("role", ["emit", "aemit"])
@pytest.mark.parametrize(
    ("seq", "message"),
    [
        (2**70, "Integer out of the int64 range - at `$.seq`"),
        (-(2**63) - 1, "Integer out of the int64 range - at `$.seq`"),
        (math.nan, "NaN and Infinity are not JSON - at `$.seq`"),
    ],
    ids=["2**70", "below int64", "NaN"],
)
def test_an_emitter_refuses_what_no_receiver_accepts_before_publishing(
    redis: RedisServer, listener: Listener, role: str, seq: float, message: str
) -> None:
    subscriber = Subscriber(redis.url)
    try:
        with emitter(role, redis.url) as node:
            data = {"seq": seq, "text": "refused"}
            answer = node.send({"op": "emit", "event": "note", "declared": True, "data": data})
            assert answer["error"] == "PayloadError"
            assert answer["code"] == "invalid_number"
            assert answer["message"] == f"Invalid emit for `note` on `/`: {message}"
            marker = 7_000 + len(listener.notes)
            # published to both subscribers: the server process and ours
            assert node.note(marker, text="after") == {"result": 2}
            wait_until(lambda: listener.has(marker), 30, "the valid note after the refused one")
        # the refused note reached neither Redis nor the server's client
        assert all(note["text"] != "refused" for note in subscriber.notes())
        assert [n for n in subscriber.notes() if n["seq"] == marker] == [
            {"seq": marker, "text": "after"}
        ]
        assert all(text != "refused" for _, text in listener.notes)
    finally:
        subscriber.close()
