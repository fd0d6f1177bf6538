"""Validated write-only emitters: :class:`Emitter` and :class:`AsyncEmitter`.

A process that serves no clients (a match-making worker, a cron job) emits registry
events to the clients of every server process through python-socketio's own
message-queue managers (``socketio.RedisManager``, ``KombuManager``, ...), built with
``write_only=True``. The servers forward whatever comes off the queue without checking
it, so the emitting process must: every declared emit is validated and encoded here,
exactly as ``Server.emit`` does it, before anything is published::

    from sioschema.emitter import Emitter

    emitter = Emitter(TicTacToe, "redis://127.0.0.1:6379/0")
    emitter.emit(TicTacToe.move_made, MoveMade(board=board, turn="O"), to=sid)

What goes on the queue is python-socketio's own message (``{"method": "emit", ...}``
on the channel, ``"socketio"`` by default): no protocol of sioschema's own, so stock
python-socketio and Flask-SocketIO servers on the same channel receive it too.

The two classes mirror each other: :class:`AsyncEmitter` takes the asyncio managers
(``socketio.AsyncRedisManager``, ``AsyncAioPikaManager``) and its ``emit`` is a
coroutine.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeAlias, overload

import socketio
from socketio.async_pubsub_manager import AsyncPubSubManager

from . import _seams
from ._core import Core
from ._packet import CodecPacket, writes_raw
from ._registry import Emit, Event, EventRegistry, P
from ._typing import Registries
from .errors import SioSchemaError

__all__ = ["DEFAULT_CHANNEL", "AsyncEmitter", "Emitter", "PublishError"]

_seams.check("socketio")

DEFAULT_CHANNEL = "socketio"
"""The channel every python-socketio manager, sioschema's Flask adapter and the emitters
use unless told otherwise (Flask-SocketIO's own default is ``"flask-socketio"``)."""

Rooms: TypeAlias = "str | list[str] | None"
"""A client's sid, a room name, or a list of room names (``None``: every client of the
namespace), as python-socketio's ``to=`` / ``room=`` take them."""

_REDIS_SCHEMES = ("redis://", "rediss://", "valkey://", "valkeys://", "unix://")
_UNSET: Any = object()
_published: ContextVar[Any] = ContextVar("sioschema_published", default=_UNSET)
"""What the manager's last ``_publish`` returned, in this thread or task."""


class PublishError(SioSchemaError, ConnectionError):
    """The message queue did not take a validated emit: it was not sent to anyone.

    Raised by :meth:`Emitter.emit` / :meth:`AsyncEmitter.emit` after python-socketio's
    manager gave up (the Redis managers try twice and log ``Cannot publish to redis...``
    each time) or raised. ``event`` and ``namespace`` name the emit; the manager's own
    exception, when there is one, is the ``__cause__``. Nothing was published, so
    emitting again once the queue is back sends it once.
    """

    event: str
    namespace: str

    def __init__(self, event: str, namespace: str, manager: str, channel: str) -> None:
        self.event = event
        self.namespace = namespace
        super().__init__(
            f"Could not publish `{event}` on `{namespace}` to the {manager} message queue "
            f"(channel `{channel}`): nothing was sent"
        )


def _manager_class(url: str, asynchronous: bool) -> Any:
    """python-socketio's manager for a queue URL, chosen as Flask-SocketIO chooses."""
    if url.startswith(_REDIS_SCHEMES):
        return socketio.AsyncRedisManager if asynchronous else socketio.RedisManager
    if asynchronous:
        if url.startswith(("amqp://", "amqps://")):
            return socketio.AsyncAioPikaManager
        msg = (
            f"no asyncio manager of python-socketio takes {url.split(':', 1)[0]}:// URLs "
            "(redis:// and amqp:// do); pass manager= instead"
        )
        raise ValueError(msg)
    if url.startswith("kafka://"):
        return socketio.KafkaManager
    if url.startswith("zmq"):
        return socketio.ZmqManager
    return socketio.KombuManager


def _bind_manager(
    owner: str,
    base: type[Any],
    url: str | None,
    channel: str,
    manager: Any,
    options: dict[str, Any],
    asynchronous: bool,
) -> Any:
    """The write-only manager an emitter publishes with: built from ``url``, or given."""
    if manager is None:
        if url is None:
            msg = f"{owner} needs a message queue URL or manager="
            raise TypeError(msg)
        cls = _manager_class(url, asynchronous)
        writes_json = cls in (
            socketio.RedisManager,
            socketio.AsyncRedisManager,
            socketio.KombuManager,
        )
        if writes_json and "json" in inspect.signature(cls).parameters:
            # python-socketio's JSON interface on msgspec: the validated emit is written
            # as sioschema encoded it (these managers write messages with ``json``; they
            # take ``json=`` from python-socketio 5.16.1 on, older ones use stdlib json)
            options.setdefault("json", CodecPacket.json)
        return cls(url, channel=channel, write_only=True, **options)
    if url is not None or options or channel != DEFAULT_CHANNEL:
        msg = f"{owner}: pass either a URL (with channel= and manager options) or manager="
        raise TypeError(msg)
    if not isinstance(manager, base):
        msg = f"{owner} needs a {base.__name__} of python-socketio, got {type(manager).__name__}"
        raise TypeError(msg)
    if not manager.write_only:
        msg = f"{owner} needs a write-only manager: build it with write_only=True"
        raise ValueError(msg)
    return manager


class _EmitterBase:
    """What both emitters share; no I/O here."""

    __slots__ = ("_core", "_reports", "manager")

    manager: Any
    """The python-socketio manager that publishes (``write_only=True``)."""

    def __init__(self, registry: Registries, manager: Any) -> None:
        self._core = Core(registry)
        # msgspec-encoded JSON goes out as it is when the manager writes with msgspec
        self._core.raw_out = writes_raw(manager)
        self.manager = manager
        # Redis managers return what PUBLISH answered (the subscribers that got it) or
        # ``None`` when they gave up; other managers return nothing
        self._reports = isinstance(manager, (socketio.RedisManager, socketio.AsyncRedisManager))

    @property
    def channel(self) -> str:
        """The channel (Redis) or exchange (kombu) the emits are published on."""
        channel: str = self.manager.channel
        return channel

    @property
    def registries(self) -> dict[str, type[EventRegistry]]:
        """The registries whose emits are validated, by namespace."""
        return {ns: found.registry for ns, found in self._core.namespaces.items()}

    def _outgoing(
        self, event: Emit[Any, Any] | str, data: Any, namespace: str | None
    ) -> tuple[str, Any, str]:
        if not isinstance(event, (Emit, Event, str)):
            msg = f"an emitter emits an Emit declaration or an event name, not {event!r}"
            raise SioSchemaError(msg)
        name, data, namespace, _ = self._core.outgoing(event, data, namespace)
        return name, data, namespace

    def _result(self, name: str, namespace: str, result: Any) -> int | None:
        if not self._reports:
            return None
        if type(result) is not int:  # the manager logged its error and gave up
            raise PublishError(name, namespace, self.manager.name, self.channel)
        return result

    def _failed(self, name: str, namespace: str, exc: Exception) -> PublishError:
        error = PublishError(name, namespace, self.manager.name, self.channel)
        error.__cause__ = exc
        return error


def _keep_result(publish: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def publish_and_keep(data: Any) -> Any:
        result = publish(data)
        _published.set(result)
        return result

    return publish_and_keep


def _keep_result_async(publish: Callable[[Any], Any]) -> Callable[[Any], Any]:
    async def publish_and_keep(data: Any) -> Any:
        result = await publish(data)
        _published.set(result)
        return result

    return publish_and_keep


class Emitter(_EmitterBase):
    """Emit validated registry events from a process that serves no clients.

    :param registry: the :class:`~sioschema.EventRegistry` (or several, one per
        namespace) whose emits are validated, as on the servers.
    :param url: the message queue, as python-socketio's managers take it:
        ``redis://host:6379/0`` (also ``rediss://``, ``valkey://``, ``unix://``) builds
        a ``socketio.RedisManager``, ``kafka://`` a ``KafkaManager``, ``zmq+tcp://`` a
        ``ZmqManager``, anything else (``amqp://...``) a ``KombuManager``; always with
        ``write_only=True``.
    :param channel: the channel the servers listen on; ``"socketio"`` (python-socketio's
        default, and sioschema's Flask adapter's) unless given.
    :param manager: instead of ``url``: a ``socketio.PubSubManager`` built with
        ``write_only=True`` (for options ``url`` cannot carry). The emitter owns it.
    :param options: more keyword arguments for the manager built from ``url``
        (``redis_options=``, ``connection_options=``, ...).

    Raises ``TypeError`` / ``ValueError`` for a missing or unsuitable queue, and
    ``RuntimeError`` (python-socketio's) when the queue's client package is not
    installed.
    """

    __slots__ = ()

    def __init__(
        self,
        registry: Registries,
        url: str | None = None,
        *,
        channel: str = DEFAULT_CHANNEL,
        manager: Any = None,
        **options: Any,
    ) -> None:
        manager = _bind_manager(
            "Emitter", socketio.PubSubManager, url, channel, manager, options, False
        )
        super().__init__(registry, manager)
        manager._publish = _keep_result(manager._publish)

    @overload
    def emit(
        self,
        event: Emit[P, Any],
        data: P,
        to: Rooms = None,
        room: Rooms = None,
        skip_sid: Rooms = None,
        namespace: str | None = None,
    ) -> int | None: ...

    @overload
    def emit(
        self,
        event: str,
        data: Any = None,
        to: Rooms = None,
        room: Rooms = None,
        skip_sid: Rooms = None,
        namespace: str | None = None,
    ) -> int | None: ...

    def emit(
        self,
        event: Emit[Any, Any] | str,
        data: Any = None,
        to: Rooms = None,
        room: Rooms = None,
        skip_sid: Rooms = None,
        namespace: str | None = None,
    ) -> int | None:
        """Validate an emit and publish it for every server process to deliver.

        ``event`` is an :class:`~sioschema.Emit` of a bound registry (its namespace is
        the registry's) or an event name: a name the namespace declares is validated
        too, any other name is sent unchecked, as on the servers. ``to`` / ``room``
        address a client's sid, a room or a list of rooms (default: every client of
        the namespace); ``skip_sid`` leaves out one sid or a list of them.

        Returns, on Redis, how many server processes were subscribed to the channel and
        received the message (``0``: none was listening, nobody gets it); ``None`` on
        queues that do not tell.

        Raises :class:`~sioschema.PayloadError` when ``data`` breaks the declared type
        (nothing is published); :class:`~sioschema.SioSchemaError` for an ``Emit`` of a
        registry this emitter does not know, or a namespace that is not its own;
        :class:`PublishError` when the queue did not take it (Redis down: nothing was
        published, emitting again later sends it once).

        A write-only emitter cannot wait for a client's ack (python-socketio keeps no
        callbacks for it): an ``Emit`` that declares an ack is sent without asking for
        one. Use ``call()`` on a server process for that.
        """
        name, data, namespace = self._outgoing(event, data, namespace)
        _published.set(_UNSET)
        try:
            self.manager.emit(name, data, namespace=namespace, room=to or room, skip_sid=skip_sid)
        except Exception as exc:
            raise self._failed(name, namespace, exc) from exc
        return self._result(name, namespace, _published.get())

    def close(self) -> None:
        """Release the manager's connection to the queue (emitting again reconnects)."""
        _close_connections(self.manager)

    def __enter__(self) -> Emitter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncEmitter(_EmitterBase):
    """The asyncio mirror of :class:`Emitter`, with the same arguments; ``emit`` and
    ``aclose`` are coroutines.

    ``url`` builds python-socketio's asyncio managers: ``redis://...`` (and the other
    Redis schemes) a ``socketio.AsyncRedisManager``, ``amqp://...`` an
    ``AsyncAioPikaManager``; ``manager=`` takes a ``socketio.AsyncPubSubManager`` built
    with ``write_only=True``. Other URLs raise ``ValueError``: python-socketio has no
    asyncio manager for them.
    """

    __slots__ = ()

    def __init__(
        self,
        registry: Registries,
        url: str | None = None,
        *,
        channel: str = DEFAULT_CHANNEL,
        manager: Any = None,
        **options: Any,
    ) -> None:
        manager = _bind_manager(
            "AsyncEmitter", AsyncPubSubManager, url, channel, manager, options, True
        )
        super().__init__(registry, manager)
        manager._publish = _keep_result_async(manager._publish)

    @overload
    async def emit(
        self,
        event: Emit[P, Any],
        data: P,
        to: Rooms = None,
        room: Rooms = None,
        skip_sid: Rooms = None,
        namespace: str | None = None,
    ) -> int | None: ...

    @overload
    async def emit(
        self,
        event: str,
        data: Any = None,
        to: Rooms = None,
        room: Rooms = None,
        skip_sid: Rooms = None,
        namespace: str | None = None,
    ) -> int | None: ...

    async def emit(
        self,
        event: Emit[Any, Any] | str,
        data: Any = None,
        to: Rooms = None,
        room: Rooms = None,
        skip_sid: Rooms = None,
        namespace: str | None = None,
    ) -> int | None:
        """Validate an emit and publish it; see :meth:`Emitter.emit` (same arguments,
        return value and errors)."""
        name, data, namespace = self._outgoing(event, data, namespace)
        _published.set(_UNSET)
        try:
            await self.manager.emit(
                name, data, namespace=namespace, room=to or room, skip_sid=skip_sid
            )
        except Exception as exc:
            raise self._failed(name, namespace, exc) from exc
        return self._result(name, namespace, _published.get())

    async def aclose(self) -> None:
        """Release the manager's connection to the queue (emitting again reconnects)."""
        manager = self.manager
        redis = getattr(manager, "redis", None)
        if redis is not None:  # AsyncRedisManager
            await redis.aclose()
            manager.connected = False
        connection = getattr(manager, "publisher_connection", None)
        if connection is not None:  # AsyncAioPikaManager
            # forgotten first: its next publish connects again, as on its first one
            manager.publisher_connection = None
            manager.publisher_channel = None
            manager.publisher_exchange = None
            await connection.close()

    async def __aenter__(self) -> AsyncEmitter:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def _close_connections(manager: Any) -> None:
    redis = getattr(manager, "redis", None)
    if redis is not None:  # RedisManager
        redis.close()
        manager.connected = False
    connection = getattr(manager, "publisher_connection", None)
    if connection is not None:  # KombuManager
        connection.release()
