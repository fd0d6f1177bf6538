"""The server of the soak test, run in its own process so it has a core and an RSS of
its own::

    python -m tests.soak_server asgi|flask

It binds 127.0.0.1 on a free port and prints ``port <n>`` once it accepts connections.
Every handler counts its call per ``(client, seq)``; the declared ``stats`` event
reports the counts of the round and resets them, along with the server-side
disconnects and the log lines written so far, after a ``gc.collect()`` so that the
test reads a settled RSS from ``/proc/<pid>/status`` right after it.
"""

from __future__ import annotations

import asyncio
import collections
import gc
import logging
import socket
import sys
import threading
from typing import Annotated, Any, Literal

import msgspec

from sioschema import Event, EventRegistry, Limits

HOST = "127.0.0.1"

# The soak's oversized events are a few kB, not 100 kB: the same check, less traffic.
LIMITS = Limits(max_payload_bytes=4096)


class Move(msgspec.Struct, forbid_unknown_fields=True):
    client: int
    seq: int
    x: Annotated[int, msgspec.Meta(ge=0, le=100)]
    y: int


class Say(msgspec.Struct, forbid_unknown_fields=True):
    client: int
    seq: int
    room: Literal["lobby", "game"]
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]


class Ref(msgspec.Struct, array_like=True):
    client: int
    seq: int


class Circle(msgspec.Struct, tag="circle"):
    r: Annotated[float, msgspec.Meta(ge=0)]


class Square(msgspec.Struct, tag="square"):
    side: Annotated[float, msgspec.Meta(ge=0)]


class Stats(msgspec.Struct):
    handled: int
    """Handler calls since the last ``stats``."""
    distinct: int
    """Distinct ``(client, seq)`` among them."""
    key_sum: int
    """Sum of ``client * 1_000_000 + seq`` over the calls."""
    duplicates: list[tuple[int, int]]
    disconnects: list[str]
    """Reasons of every disconnect so far."""
    warnings: int
    """WARNING lines of the ``sioschema`` logger since the last ``stats``."""
    errors: int
    """ERROR lines (or worse) of any logger, since the start."""
    objects: int
    """Objects the garbage collector tracks, after ``gc.collect()``."""


class Soak(EventRegistry, title="Soak", version="1"):
    """What the soak's clients send."""

    move = Event(request=Move, ack=(int, int))
    say = Event(request=Say, ack=str)
    shape = Event(request=(Ref, Circle | Square), ack=float)
    stats = Event(ack=Stats)


class Counts:
    """Handler calls per ``(client, seq)`` and everything ``stats`` reports."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: collections.Counter[tuple[int, int]] = collections.Counter()
        self.disconnects: list[str] = []
        self.levels: collections.Counter[int] = collections.Counter()

    def hit(self, client: int, seq: int) -> None:
        with self.lock:
            self.calls[(client, seq)] += 1

    def stats(self) -> Stats:
        with self.lock:
            calls, self.calls = self.calls, collections.Counter()
            warnings = self.levels.pop(logging.WARNING, 0)
            errors = sum(n for level, n in self.levels.items() if level > logging.WARNING)
        handled = sum(calls.values())
        distinct = len(calls)
        key_sum = sum(n * (c * 1_000_000 + s) for (c, s), n in calls.items())
        duplicates = sorted(key for key, n in calls.items() if n > 1)
        del calls
        gc.collect()
        return Stats(
            handled=handled,
            distinct=distinct,
            key_sum=key_sum,
            duplicates=duplicates,
            disconnects=list(self.disconnects),
            warnings=warnings,
            errors=errors,
            objects=len(gc.get_objects()),
        )


class CountLines(logging.Handler):
    """Counts log records by level (sioschema writes one WARNING per rejected frame)."""

    def __init__(self, counts: Counts) -> None:
        super().__init__(logging.WARNING)
        self.counts = counts

    def emit(self, record: logging.LogRecord) -> None:
        with self.counts.lock:
            self.counts.levels[record.levelno] += 1


def handlers(counts: Counts) -> dict[str, Any]:
    """The handler bodies, the same on both servers."""

    def move(m: Move) -> tuple[int, int]:
        counts.hit(m.client, m.seq)
        return m.seq, m.x + m.y

    def say(s: Say) -> str:
        counts.hit(s.client, s.seq)
        return f"{s.room}:{s.text.upper()}"

    def shape(ref: Ref, s: Circle | Square) -> float:
        counts.hit(ref.client, ref.seq)
        return 3.0 * s.r * s.r if isinstance(s, Circle) else s.side * s.side

    return {"move": move, "say": say, "shape": shape, "stats": counts.stats}


def asgi(counts: Counts) -> Any:
    from sioschema.socketio import ASGIApp, AsyncServer

    sio = AsyncServer(registry=Soak, async_mode="asgi", limits=LIMITS)
    for name, body in handlers(counts).items():

        def bind(body: Any) -> Any:
            async def handler(sid: str, *args: Any) -> Any:
                return body(*args)

            return handler

        sio.on(name, bind(body))

    @sio.on("disconnect")
    async def disconnect(sid: str, reason: Any) -> None:
        counts.disconnects.append(str(reason))

    return ASGIApp(sio)


def flask(counts: Counts) -> Any:
    import flask

    from sioschema.flask import SocketIO

    app = flask.Flask(__name__)
    sio = SocketIO(app, registry=Soak, async_mode="threading", limits=LIMITS)
    for name, body in handlers(counts).items():
        sio.on(name)(body)

    @sio.on("disconnect")
    def disconnect(reason: Any) -> None:
        counts.disconnects.append(str(reason))

    return app


def main(kind: str) -> None:
    counts = Counts()
    count_lines = CountLines(counts)
    for name in ("sioschema", ""):  # the others propagate to the root logger
        logging.getLogger(name).addHandler(count_lines)
    logging.getLogger("sioschema").propagate = False  # one WARNING per rejected frame
    errors = logging.StreamHandler(sys.stderr)
    errors.setLevel(logging.ERROR)
    logging.getLogger().addHandler(errors)
    logging.getLogger().setLevel(logging.WARNING)

    sock = socket.socket()
    sock.bind((HOST, 0))
    sock.listen(1024)
    port = sock.getsockname()[1]
    if kind == "asgi":
        import uvicorn

        config = uvicorn.Config(asgi(counts), log_level="warning", lifespan="off", access_log=False)
        server = uvicorn.Server(config)

        async def serve() -> None:
            task = asyncio.ensure_future(server.serve(sockets=[sock]))
            while not server.started:
                await asyncio.sleep(0.01)
            print(f"port {port}", flush=True)
            await task

        try:
            from uvloop import run  # what uvicorn picks when it is installed
        except ImportError:  # pragma: no cover
            run = asyncio.run
        run(serve())
    else:
        from werkzeug.serving import make_server

        wsgi = make_server(HOST, 0, flask(counts), threaded=True, fd=sock.fileno())
        print(f"port {port}", flush=True)
        wsgi.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
