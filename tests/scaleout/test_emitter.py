"""The write-only emitters in one process: what they publish (python-socketio's own
message, pinned whole), what they refuse before publishing, how they are built, and the
Flask adapter's channel default. The cross-process behaviour is in test_redis.py."""

from __future__ import annotations

import inspect
import logging
from typing import Any

import flask
import msgspec
import pytest
import socketio
from socketio.async_pubsub_manager import AsyncPubSubManager

from sioschema import PayloadError, SioSchemaError
from sioschema._packet import CodecPacket
from sioschema.emitter import AsyncEmitter, Emitter, PublishError, _manager_class
from sioschema.flask import SocketIO
from sioschema.socketio import AsyncServer, Server
from tests.apps import Api
from tests.scaleout.brokers import RedisServer
from tests.scaleout.harness import Subscriber, published_args, subscribers, wait_until
from tests.scaleout.lobby import Lobby, Note, Question


class Recording(socketio.PubSubManager):  # type: ignore[misc]
    """python-socketio's pub/sub manager with ``_publish`` keeping the messages."""

    name = "recording"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(write_only=True, **kwargs)
        self.published: list[str] = []

    def _publish(self, data: Any) -> None:
        self.published.append(msgspec.json.encode(data).decode())


class AsyncRecording(AsyncPubSubManager):  # type: ignore[misc]
    name = "recording"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(write_only=True, **kwargs)
        self.published: list[str] = []

    async def _publish(self, data: Any) -> None:
        self.published.append(msgspec.json.encode(data).decode())


def messages(manager: Any) -> list[dict[str, Any]]:
    found = [msgspec.json.decode(m) for m in manager.published]
    for message in found:
        message.pop("host_id")  # random per manager
        message["data"] = published_args(message)
    return found


def test_an_emit_is_python_socketios_message() -> None:
    manager = Recording()
    emitter = Emitter(Lobby, manager=manager)
    # a dict that converts is sent in its validated form
    assert emitter.emit(Lobby.note, {"seq": 1, "text": "hi"}, to="sid1") is None
    emitter.emit("note", Note(seq=2, text="by name"), room=["a", "b"], skip_sid="sid2")
    emitter.emit("free-form", {"any": [1]})  # undeclared names are not checked, as on servers
    assert messages(manager) == [
        {
            "method": "emit",
            "event": "note",
            "data": [{"seq": 1, "text": "hi"}],
            "binary": False,
            "namespace": "/",
            "room": "sid1",
            "skip_sid": None,
            "callback": None,
        },
        {
            "method": "emit",
            "event": "note",
            "data": [{"seq": 2, "text": "by name"}],
            "binary": False,
            "namespace": "/",
            "room": ["a", "b"],
            "skip_sid": "sid2",
            "callback": None,
        },
        {
            "method": "emit",
            "event": "free-form",
            "data": [{"any": [1]}],
            "binary": False,
            "namespace": "/",
            "room": None,
            "skip_sid": None,
            "callback": None,
        },
    ]


async def test_the_async_emitter_publishes_the_same() -> None:
    manager = AsyncRecording()
    emitter = AsyncEmitter(Lobby, manager=manager)
    assert await emitter.emit(Lobby.note, Note(seq=1, text="hi"), to="sid1") is None
    with pytest.raises(PayloadError):
        await emitter.emit(Lobby.note, {"seq": "1", "text": "hi"})
    assert [m["data"] for m in messages(manager)] == [[{"seq": 1, "text": "hi"}]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"seq": "1", "text": "x"}, "Expected `int`, got `str` - at `$.seq`"),
        ({"seq": 1}, "Object missing required field `text`"),
        ({"seq": 1, "text": "x", "extra": 0}, "Object contains unknown field `extra`"),
        (Question(text="x"), "Object missing required field `seq`"),
        (None, "Expected `object`, got `null`"),
    ],
)
def test_invalid_emits_raise_and_publish_nothing(data: Any, message: str) -> None:
    manager = Recording()
    emitter = Emitter(Lobby, manager=manager)
    with pytest.raises(PayloadError) as caught:
        emitter.emit(Lobby.note, data, to="sid1")
    assert str(caught.value) == f"Invalid emit for `note` on `/`: {message}"
    assert (caught.value.code, caught.value.event, caught.value.kind) == (
        "invalid_payload",
        "note",
        "emit",
    )
    with pytest.raises(PayloadError):
        emitter.emit("note", data)  # the declared name is checked too
    assert manager.published == []


def test_declarations_the_emitter_does_not_know_are_refused() -> None:
    emitter = Emitter(Lobby, manager=Recording())
    with pytest.raises(SioSchemaError, match="not bound to this server"):
        emitter.emit(Api.ticked, 1)
    with pytest.raises(SioSchemaError, match="client -> server event"):
        emitter.emit(Lobby.join, "lobby")  # type: ignore[call-overload]
    with pytest.raises(SioSchemaError, match="declared for namespace `/`, not `/other`"):
        emitter.emit(Lobby.note, Note(seq=1, text="x"), namespace="/other")
    with pytest.raises(TypeError, match="callback"):
        emitter.emit(Lobby.ask, Question(text="?"), to="sid", callback=print)  # type: ignore[call-overload]


def test_stock_write_only_managers_cannot_wait_for_acks() -> None:
    """What python-socketio itself answers a write-only ``callback=``: a RuntimeError.
    sioschema's emitters take no callback at all (a TypeError, and a mypy error)."""
    manager = socketio.RedisManager("redis://127.0.0.1:1/0", write_only=True)
    with pytest.raises(RuntimeError, match="Callbacks can only be issued from the context"):
        manager.emit("ask", {"text": "?"}, room="sid", callback=print)


def test_emitters_build_python_socketios_managers() -> None:
    redis_emitter = Emitter(Lobby, "redis://127.0.0.1:1/0")
    assert type(redis_emitter.manager) is socketio.RedisManager
    assert redis_emitter.manager.write_only is True
    assert redis_emitter.channel == "socketio"
    # msgspec writes the message, where the manager takes json= (python-socketio 5.16.1+)
    takes_json = "json" in inspect.signature(socketio.RedisManager).parameters
    assert (getattr(redis_emitter.manager, "json", None) is CodecPacket.json) is takes_json
    assert redis_emitter.registries == {"/": Lobby}
    kombu = Emitter(Lobby, "amqp://guest:guest@127.0.0.1:1//", channel="game")
    assert type(kombu.manager) is socketio.KombuManager
    assert (kombu.channel, kombu.manager.write_only) == ("game", True)
    kombu.close()
    options = {"socket_timeout": 3}
    async_redis = AsyncEmitter(Lobby, "redis://127.0.0.1:1/0", redis_options=options)
    assert type(async_redis.manager) is socketio.AsyncRedisManager
    assert async_redis.manager.redis_options == options
    # (building it needs aio_pika, which python-socketio asks for with a RuntimeError)
    assert _manager_class("amqp://127.0.0.1:1//", True) is socketio.AsyncAioPikaManager


def test_emitters_refuse_what_cannot_publish() -> None:
    with pytest.raises(TypeError, match="needs a message queue URL or manager="):
        Emitter(Lobby)
    with pytest.raises(ValueError, match="build it with write_only=True"):
        Emitter(Lobby, manager=socketio.RedisManager("redis://127.0.0.1:1/0"))
    with pytest.raises(TypeError, match="needs a PubSubManager of python-socketio"):
        Emitter(Lobby, manager=AsyncRecording())
    with pytest.raises(TypeError, match="needs a AsyncPubSubManager"):
        AsyncEmitter(Lobby, manager=Recording())
    with pytest.raises(TypeError, match="either a URL"):
        Emitter(Lobby, "redis://127.0.0.1:1/0", manager=Recording())
    with pytest.raises(ValueError, match="no asyncio manager of python-socketio takes kafka://"):
        AsyncEmitter(Lobby, "kafka://127.0.0.1:1")


def test_a_dropped_publish_raises_publish_error() -> None:
    """Nothing listens on port 1: python-socketio's RedisManager tries twice, logs, and
    gives up; the emitter says so instead of returning as if it had sent."""
    emitter = Emitter(Lobby, "redis://127.0.0.1:1/0")
    with pytest.raises(PublishError) as caught:
        emitter.emit(Lobby.note, Note(seq=1, text="x"), to="sid")
    assert str(caught.value) == (
        "Could not publish `note` on `/` to the redis message queue (channel `socketio`): "
        "nothing was sent"
    )
    assert isinstance(caught.value, ConnectionError)
    assert (caught.value.event, caught.value.namespace) == ("note", "/")


def test_a_manager_that_raises_raises_publish_error() -> None:
    class Broken(Recording):
        def _publish(self, data: Any) -> None:
            raise OSError("the queue is gone")

    emitter = Emitter(Lobby, manager=Broken())
    with pytest.raises(PublishError) as caught:
        emitter.emit(Lobby.note, Note(seq=1, text="x"))
    assert isinstance(caught.value.__cause__, OSError)


def test_redis_says_how_many_servers_got_an_emit(redis: RedisServer) -> None:
    with Emitter(Lobby, redis.url) as emitter:
        assert emitter.emit(Lobby.note, Note(seq=1, text="nobody listens")) == 0
        watch = Subscriber(redis.url)
        try:
            wait_until(lambda: emitter.emit("note", Note(seq=2, text="one")) == 1, 10, "subscribed")
            wait_until(lambda: len(watch.notes()) >= 1, 10, "the note")
        finally:
            watch.close()
        assert watch.notes()[0] == {"seq": 2, "text": "one"}


async def test_the_async_emitter_on_redis(redis: RedisServer) -> None:
    async with AsyncEmitter(Lobby, redis.url) as emitter:
        assert await emitter.emit(Lobby.note, Note(seq=1, text="x")) == 0
    async with AsyncEmitter(Lobby, "redis://127.0.0.1:1/0") as emitter:
        with pytest.raises(PublishError):
            await emitter.emit(Lobby.note, Note(seq=1, text="x"))


def test_flask_message_queue_uses_python_socketios_channel(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="sioschema"):
        sio = SocketIO(
            flask.Flask(__name__),
            registry=Lobby,
            message_queue="redis://user:secret@127.0.0.1:1/0",
        )
    assert sio.server.manager.channel == "socketio"
    assert [r.getMessage() for r in caplog.records] == [
        "message_queue='redis://user:***@127.0.0.1:1/0' uses channel 'socketio', the default "
        "of python-socketio and sioschema (Flask-SocketIO's own is 'flask-socketio'); pass "
        "channel= to choose one and silence this warning"
    ]
    # the same channel as python-socketio's managers, the servers' and the emitters'
    assert socketio.RedisManager("redis://127.0.0.1:1/0").channel == "socketio"
    assert Server(client_manager=socketio.RedisManager("redis://")).manager.channel == "socketio"
    assert AsyncServer(client_manager=socketio.AsyncRedisManager()).manager.channel == "socketio"

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="sioschema"):
        chosen = SocketIO(
            flask.Flask(__name__),
            registry=Lobby,
            message_queue="redis://127.0.0.1:1/0",
            channel="flask-socketio",
        )
        plain = SocketIO(flask.Flask(__name__), registry=Lobby)
    assert chosen.server.manager.channel == "flask-socketio"
    assert type(plain.server.manager) is socketio.Manager
    assert caplog.records == []


def test_a_flask_write_only_socketio_validates_too() -> None:
    """Flask-SocketIO's own write-only form, ``SocketIO(message_queue=url)`` without an
    app, is sioschema's Server too: its emits are checked before they are published."""
    sio = SocketIO(registry=Lobby, message_queue="redis://127.0.0.1:1/0", channel="socketio")
    assert sio.server.manager.write_only is True
    with pytest.raises(PayloadError):
        sio.emit(Lobby.note, {"seq": "x", "text": "y"}, to="sid")


async def test_an_async_server_on_redis_publishes_no_invalid_emit(redis: RedisServer) -> None:
    """``AsyncServer(client_manager=socketio.AsyncRedisManager(url))``: an invalid emit
    raises ``PayloadError`` before python-socketio publishes it; a subscriber on the
    channel sees only the valid emit that follows."""
    sio = AsyncServer(registry=Lobby, client_manager=socketio.AsyncRedisManager(redis.url))
    watch = Subscriber(redis.url)
    try:
        wait_until(lambda: subscribers(redis.url) == 1, 10, "subscribed")
        with pytest.raises(PayloadError) as caught:
            await sio.emit(Lobby.note, {"seq": "1", "text": "x"}, to="sid1")
        assert caught.value.code == "invalid_payload"
        with pytest.raises(PayloadError):
            await sio.emit("note", {"seq": 1}, room="lobby")
        with pytest.raises(PayloadError):
            await sio.emit(Lobby.note, Question(text="broadcast"))
        await sio.emit(Lobby.note, Note(seq=2, text="valid"), room="lobby")
        wait_until(lambda: len(watch.notes()) >= 1, 10, "the valid note")
    finally:
        watch.close()
        if getattr(sio.manager, "redis", None) is not None:
            await sio.manager.redis.aclose()
    assert watch.notes() == [{"seq": 2, "text": "valid"}]


def test_a_flask_app_on_redis_publishes_no_invalid_emit(redis: RedisServer) -> None:
    """``SocketIO(app, message_queue=url)``: the same, from the Flask adapter."""
    app = flask.Flask(__name__)
    sio = SocketIO(app, registry=Lobby, message_queue=redis.url, channel="socketio")
    watch = Subscriber(redis.url)
    try:
        wait_until(lambda: subscribers(redis.url) == 1, 10, "subscribed")
        with pytest.raises(PayloadError) as caught:
            sio.emit(Lobby.note, {"seq": "1", "text": "x"}, to="sid1")
        assert caught.value.code == "invalid_payload"
        with pytest.raises(PayloadError):
            sio.emit("note", {"seq": 1}, to="lobby")
        with pytest.raises(PayloadError):
            sio.emit(Lobby.note, Question(text="broadcast"))
        sio.emit(Lobby.note, Note(seq=2, text="valid"), to="lobby")
        wait_until(lambda: len(watch.notes()) >= 1, 10, "the valid note")
    finally:
        watch.close()
        if getattr(sio.server.manager, "redis", None) is not None:
            sio.server.manager.redis.close()
    assert watch.notes() == [{"seq": 2, "text": "valid"}]
