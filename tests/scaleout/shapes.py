"""Argument shapes on every path: the registry, and its processes, run as
``python -m tests.scaleout.shapes ROLE SERIALIZER QUEUE``.

- ``asgi`` / ``wsgi``: a ``sioschema.socketio.AsyncServer`` under uvicorn / a sync
  ``Server`` under werkzeug, with ``serializer=`` SERIALIZER (``codec``: sioschema's
  own default, or python-socketio's ``default`` / ``msgpack``) and, unless QUEUE is
  ``memory``, python-socketio's Redis manager on QUEUE (``wsgi`` also takes an
  ``amqp://`` QUEUE: a ``KombuManager``); prints ``port <n>``.
- ``emit`` / ``aemit``: a write-only ``Emitter`` / ``AsyncEmitter`` on QUEUE that emits
  every shape once per line read on stdin (``{"to": ...}``) and answers ``{}``.

One emit, one request, one ack and one server ``call()`` per shape: no argument, one
scalar, one tuple-typed argument, one list-typed argument, two arguments.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import threading
from typing import Any

import msgspec

from sioschema import Emit, Event, EventRegistry, PayloadError


class Pos(msgspec.Struct, forbid_unknown_fields=True):
    x: int
    y: int


class Ask(msgspec.Struct, forbid_unknown_fields=True):
    shape: str
    to: str


SHAPES = ("none", "scalar", "pair", "items", "two")
TYPES: dict[str, Any] = {
    "none": None,
    "scalar": int,
    "pair": tuple[int, int],
    "items": list[int],
    "two": (str, Pos),
}
VALUES: dict[str, Any] = {
    "none": None,
    "scalar": 7,
    "pair": (3, 4),
    "items": [1, 2],
    "two": ("a", Pos(1, 2)),
}
BYTES: list[Any] = [(b"abc", {"n": 1}), b"one", [b"x", 2]]
"""The data of the undeclared ``bytes`` emits: two arguments, one, one list."""
RAW_BYTES = [(b"abc", {"n": 1}), (b"one",), ([b"x", 2],)]
RAW: dict[str, tuple[Any, ...]] = {
    "none": (),
    "scalar": (7,),
    "pair": ([3, 4],),
    "items": ([1, 2],),
    "two": ("a", {"x": 1, "y": 2}),
}
"""The arguments python-socketio's own client receives for each shape."""
TYPED: dict[str, tuple[Any, ...]] = {
    "none": (),
    "scalar": (7,),
    "pair": ((3, 4),),
    "items": ([1, 2],),
    "two": ("a", Pos(1, 2)),
}
"""The arguments a typed client's handler receives for each shape."""


def _registry() -> type[EventRegistry]:
    emits = {f"put_{s}": Emit(TYPES[s]) for s in SHAPES}
    asks = {f"ask_{s}": Emit(None, ack=TYPES[s]) for s in SHAPES}
    events = {
        "shout": Event(emits=list(emits.values())),
        # undeclared emits of bytes (binary packets; base64 on the queue)
        "shout_bytes": Event(),
        "ask": Event(request=Ask, ack=str, emits=list(asks.values())),
        **{f"ack_{s}": Event(ack=TYPES[s]) for s in SHAPES},
        **{f"req_{s}": Event(request=TYPES[s], ack=TYPES[s]) for s in SHAPES},
    }
    namespace = {**emits, **asks, **events}
    return type(EventRegistry)("Shapes", (EventRegistry,), namespace, title="Shapes")


Shapes: Any = _registry()


def called(result: Any) -> str:
    """What a server's ``call()`` got, as the ``ask`` ack: its type and JSON."""
    return f"{type(result).__name__} {msgspec.json.encode(result).decode()}"


def _value(args: tuple[Any, ...]) -> Any:
    """A handler's arguments as its return value (the ack of the same shape)."""
    return args[0] if len(args) == 1 else (args or None)


def _server_options(serializer: str) -> dict[str, Any]:
    return {} if serializer == "codec" else {"serializer": serializer}


def asgi_server(serializer: str, queue: str) -> None:
    import socketio

    from sioschema.socketio import AsyncServer
    from tests.servers import serve_asgi

    manager = {} if queue == "memory" else {"client_manager": socketio.AsyncRedisManager(queue)}
    sio = AsyncServer(async_mode="asgi", registry=Shapes, **_server_options(serializer), **manager)

    @sio.on(Shapes.shout)
    async def shout(sid: str) -> None:
        for shape in SHAPES:  # to every client of the namespace
            await sio.emit(getattr(Shapes, f"put_{shape}"), VALUES[shape])

    @sio.on(Shapes.shout_bytes)
    async def shout_bytes(sid: str) -> None:
        for data in BYTES:
            await sio.emit("bytes", data)

    @sio.on(Shapes.ask)
    async def ask(sid: str, ask: Ask) -> str:
        try:
            result = await sio.call(getattr(Shapes, f"ask_{ask.shape}"), to=ask.to, timeout=10)
        except PayloadError as error:
            return f"error {error.code}"
        return called(result)

    for shape in SHAPES:

        async def ack(sid: str, shape: str = shape) -> Any:
            return VALUES[shape]

        async def req(sid: str, *args: Any) -> Any:
            return _value(args)

        sio.on(getattr(Shapes, f"ack_{shape}"))(ack)
        sio.on(getattr(Shapes, f"req_{shape}"))(req)

    with serve_asgi(socketio.ASGIApp(sio)) as (address, _):
        _serve(address)


def wsgi_server(serializer: str, queue: str) -> None:
    import socketio

    from sioschema.socketio import Server
    from tests.servers import serve_wsgi

    managers = {"memory": None, "amqp": socketio.KombuManager, "redis": socketio.RedisManager}
    kind = managers[queue.partition(":")[0]]
    manager = {} if kind is None else {"client_manager": kind(queue)}
    sio = Server(async_mode="threading", registry=Shapes, **_server_options(serializer), **manager)

    @sio.on(Shapes.shout)
    def shout(sid: str) -> None:
        for shape in SHAPES:  # to every client of the namespace
            sio.emit(getattr(Shapes, f"put_{shape}"), VALUES[shape])

    @sio.on(Shapes.shout_bytes)
    def shout_bytes(sid: str) -> None:
        for data in BYTES:
            sio.emit("bytes", data)

    @sio.on(Shapes.ask)
    def ask(sid: str, ask: Ask) -> str:
        try:
            result = sio.call(getattr(Shapes, f"ask_{ask.shape}"), to=ask.to, timeout=10)
        except PayloadError as error:
            return f"error {error.code}"
        return called(result)

    for shape in SHAPES:

        def ack(sid: str, shape: str = shape) -> Any:
            return VALUES[shape]

        def req(sid: str, *args: Any) -> Any:
            return _value(args)

        sio.on(getattr(Shapes, f"ack_{shape}"))(ack)
        sio.on(getattr(Shapes, f"req_{shape}"))(req)

    with serve_wsgi(socketio.WSGIApp(sio)) as address:
        _serve(address)


def _serve(address: str) -> None:
    print(f"port {address.rsplit(':', 1)[1]}", flush=True)
    sys.stdin.read()  # until the test closes it


def emitter(serializer: str, queue: str) -> None:
    from sioschema.emitter import Emitter

    with Emitter(Shapes, queue) as out:
        for line in sys.stdin:
            to = json.loads(line).get("to")
            for shape in SHAPES:
                out.emit(getattr(Shapes, f"put_{shape}"), VALUES[shape], to=to)
            print("{}", flush=True)


def async_emitter(serializer: str, queue: str) -> None:
    from sioschema.emitter import AsyncEmitter

    async def main() -> None:
        async with AsyncEmitter(Shapes, queue) as out:
            loop = asyncio.get_running_loop()
            while line := await loop.run_in_executor(None, sys.stdin.readline):
                to = json.loads(line).get("to")
                for shape in SHAPES:
                    await out.emit(getattr(Shapes, f"put_{shape}"), VALUES[shape], to=to)
                print("{}", flush=True)

    asyncio.run(main())


class Recorder:
    """What a client's handlers received: the arguments of each ``put_*`` emit."""

    def __init__(self) -> None:
        self.got: dict[str, tuple[Any, ...]] = {}
        self.done = threading.Event()
        self._lock = threading.Lock()

    def handler(self, shape: str) -> Any:
        def record(*args: Any) -> None:
            with self._lock:
                self.got[shape] = args
                if len(self.got) == len(SHAPES):
                    self.done.set()

        return record

    def wait(self, timeout: float) -> dict[str, tuple[Any, ...]]:
        self.done.wait(timeout)
        with self._lock:
            return dict(self.got)

    def clear(self) -> None:
        with self._lock:
            self.got.clear()
            self.done.clear()


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(name)s %(levelname)s %(message)s")
    role, serializer, queue = sys.argv[1:4]
    roles = {"asgi": asgi_server, "wsgi": wsgi_server, "emit": emitter, "aemit": async_emitter}
    roles[role](serializer, queue)
