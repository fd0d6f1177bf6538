"""The registries and servers the adapter tests talk to.

One table of handler bodies (``IMPLS``) is mounted on every server kind: Flask-SocketIO,
a plain ``sioschema.socketio.Server`` under WSGI, and an ``AsyncServer`` under ASGI.
Each body records what it received in ``Recorder``, so tests can check that a handler
ran exactly when it should, with typed objects.
"""

from __future__ import annotations

import asyncio
import datetime
import enum
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypedDict

import attrs
import msgspec

from sioschema import Emit, Event, EventRegistry, PayloadError


class Point(msgspec.Struct, forbid_unknown_fields=True):
    """A point on the grid."""

    x: Annotated[int, msgspec.Meta(ge=0, le=100)]
    y: int


@dataclass
class Chat:
    room: str
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]


class Score(TypedDict):
    player: str
    points: int


@attrs.define
class Badge:
    name: str
    level: int = 1


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Circle(msgspec.Struct, tag="circle"):
    r: float


class Square(msgspec.Struct, tag="square"):
    side: float


Shape = Circle | Square


class Tally(msgspec.Struct):
    """Int dict keys: JSON text has them as strings on every path."""

    scores: dict[int, int]
    memo: str = ""


class Api(EventRegistry, title="Test API", version="0.1.0"):
    """Every kind of declaration on the default namespace."""

    said = Emit(Chat, name="chat:said")
    question = Emit(Point, ack=int)
    ticked = Emit(int)

    echo_point = Event(request=Point, ack=Point)
    pair = Event(request=(Point, int), ack=(int, int))
    no_args = Event(ack=int)
    no_ack = Event(request=Point)
    say = Event(request=Chat, ack=Chat, name="chat:say", emits=[said])
    area = Event(request=Shape, ack=float)
    later = Event(request=datetime.datetime, ack=datetime.datetime)
    blob = Event(request=bytes, ack=int)
    score = Event(request=Score, ack=Score)
    badge = Event(request=Badge, ack=Badge)
    color = Event(request=Color, ack=Color)
    kinds = Event(request=(Point, Chat, Score, Badge), ack=list[str])
    mode = Event(request=Literal["fast", "slow"], ack=str)
    boom = Event(request=int, ack=int)
    bad_ack = Event(ack=Point)
    emit_bad = Event(ack=str, emits=[said])
    ask = Event(request=int, ack=int, emits=[question])
    unhandled = Event(request=int)
    measured = Emit(float)
    slow = Event(request=Annotated[float, msgspec.Meta(ge=0, le=5)], ack=float)
    big = Event(request=Annotated[int, msgspec.Meta(ge=0, extra={"bigint": True})], ack=str)
    nan_ack = Event(ack=float)
    emit_nan = Event(ack=float, emits=[measured])
    tally = Event(request=Tally, ack=Tally)


class Lax(EventRegistry, namespace="/lax", strict=False):
    """The same request, coerced."""

    echo_point = Event(request=Point, ack=Point)


class Rooms(EventRegistry, namespace="/rooms"):
    """Handled by a class-based namespace."""

    join = Event(request=str, ack=list[str])
    count = Event(request=Annotated[int, msgspec.Meta(ge=0)], ack=int)


class Token(msgspec.Struct, forbid_unknown_fields=True):
    token: Annotated[str, msgspec.Meta(min_length=3)]


class Secure(EventRegistry, namespace="/secure", auth=Token):
    """Connections must send a valid ``auth`` payload."""

    whoami = Event(ack=str)


REGISTRIES = (Api, Lax, Rooms, Secure)


class Recorder:
    """What handlers received, for the test to read (servers run in-process)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.lock = threading.Lock()
        self.asked: list[Any] = []
        self.lifecycle: list[tuple[str, tuple[Any, ...]]] = []
        """``$connect`` / ``$disconnect`` handler calls, kept apart from events."""

    def record(self, name: str, args: tuple[Any, ...]) -> None:
        with self.lock:
            (self.lifecycle if name.startswith("$") else self.calls).append((name, args))

    def names(self) -> list[str]:
        with self.lock:
            return [name for name, _ in self.calls]

    def clear(self) -> None:
        with self.lock:
            self.calls.clear()
            self.asked.clear()
            self.lifecycle.clear()


class Ctx:
    """What a handler body may do besides returning its ack."""

    def __init__(self, sid: str) -> None:
        self.sid = sid
        self.emits: list[tuple[Any, Any, dict[str, Any]]] = []
        self.calls: list[tuple[Any, Any]] = []

    def emit(self, event: Any, data: Any, **kwargs: Any) -> None:
        self.emits.append((event, data, kwargs))

    def call(self, event: Any, data: Any) -> None:
        self.calls.append((event, data))


def _kinds(p: Point, c: Chat, s: Any, b: Badge) -> list[str]:
    return [type(v).__name__ for v in (p, c, s, b)]


def _boom(ctx: Ctx, n: int) -> int:
    raise RuntimeError(f"secret server detail {n}")


def _say(ctx: Ctx, chat: Chat) -> Chat:
    ctx.emit(Api.said, Chat(room=chat.room, text=chat.text.upper()), to=ctx.sid)
    return chat


def _emit_bad(ctx: Ctx) -> str:
    ctx.emit(Api.said, Chat(room="r", text=""), to=ctx.sid)  # text too short
    return "unreachable"


def _ask(ctx: Ctx, n: int) -> int:
    ctx.call(Api.question, Point(x=n, y=n))
    return n


def _emit_nan(ctx: Ctx) -> float:
    ctx.emit(Api.measured, float("nan"), to=ctx.sid)
    return 1.0


def _area(ctx: Ctx, shape: Shape) -> float:
    return shape.r * shape.r * 3.0 if isinstance(shape, Circle) else shape.side**2


IMPLS: dict[str, Callable[..., Any]] = {
    "echo_point": lambda ctx, p: p,
    "pair": lambda ctx, p, n: (p.x * n, p.y * n),
    "no_args": lambda ctx: 42,
    "no_ack": lambda ctx, p: None,
    "chat:say": _say,
    "area": _area,
    "later": lambda ctx, t: t + datetime.timedelta(days=1),
    "blob": lambda ctx, b: len(b),
    "score": lambda ctx, s: {"player": s["player"], "points": s["points"] + 1},
    "badge": lambda ctx, b: Badge(name=b.name, level=b.level + 1),
    "color": lambda ctx, c: Color.BLUE if c is Color.RED else Color.RED,
    "kinds": lambda ctx, p, c, s, b: _kinds(p, c, s, b),
    "mode": lambda ctx, m: m.upper(),
    "boom": _boom,
    "bad_ack": lambda ctx: {"x": -1, "y": 0},
    "emit_bad": _emit_bad,
    "ask": _ask,
    "slow": lambda ctx, seconds: seconds,  # the adapters sleep first
    "big": lambda ctx, n: str(n),
    "nan_ack": lambda ctx: float("nan"),
    "emit_nan": _emit_nan,
    "tally": lambda ctx, t: t,
    # plain, undeclared handler on a registry namespace: not validated
    "legacy": lambda ctx, *args: {"got": list(args)},
}
LAX_IMPLS: dict[str, Callable[..., Any]] = {"echo_point": lambda ctx, p: p}


# -- Flask-SocketIO ------------------------------------------------------------------------


# Raw test clients answer Engine.IO pings only while they read: on a loaded machine a
# module-scoped bystander can sit unread longer than the default 25 s + 20 s, and the
# server would close it. The test servers ping every 5 minutes instead.
PATIENT: dict[str, Any] = {"ping_interval": 300, "ping_timeout": 60}


def flask_app(recorder: Recorder, **options: Any) -> tuple[Any, Any]:
    import flask
    import flask_socketio

    from sioschema.flask import SocketIO

    app = flask.Flask(__name__)
    sio = SocketIO(app, registry=REGISTRIES, async_mode="threading", **{**PATIENT, **options})

    def run_ctx(ctx: Ctx, asked_to: str) -> None:
        for event, data, kwargs in ctx.emits:
            # Flask-SocketIO's module-level emit, in handler context: validated too
            flask_socketio.emit(event, data, **kwargs)
        for event, data in ctx.calls:
            try:
                recorder.asked.append(sio.call(event, data, to=asked_to, timeout=5))
            except PayloadError as exc:
                recorder.asked.append(exc)

    def mount(name: str, impl: Callable[..., Any], namespace: str) -> None:
        def handler(*args: Any) -> Any:
            sid = flask.request.sid  # type: ignore[attr-defined]
            recorder.record(name, args)
            if name == "slow":
                time.sleep(args[0])
            ctx = Ctx(sid)
            value = impl(ctx, *args)
            run_ctx(ctx, sid)
            return value

        sio.on(name, namespace=namespace)(handler)

    for name, impl in IMPLS.items():
        mount(name, impl, "/")
    for name, impl in LAX_IMPLS.items():
        mount(name, impl, "/lax")

    class RoomsNamespace(flask_socketio.Namespace):
        def on_join(self, room: str) -> list[str]:
            recorder.record("join", (room,))
            flask_socketio.join_room(room)
            return sorted(flask_socketio.rooms())

        def on_count(self, n: int) -> int:
            recorder.record("count", (n,))
            return n + 1

    sio.on_namespace(RoomsNamespace("/rooms"))

    @sio.on("connect")
    def on_connect(auth: Any) -> None:
        recorder.record("$connect", (auth,))

    @sio.on("disconnect")
    def on_disconnect(reason: Any = None) -> None:
        recorder.record("$disconnect", ())

    @sio.on("connect", namespace="/secure")
    def on_secure(auth: Token) -> None:
        recorder.record("$connect", (auth,))
        flask.session["token"] = auth.token

    @sio.on(Secure.whoami)
    def whoami() -> str:
        return str(flask.session["token"])

    @sio.on("connect", namespace="/fragile")
    def on_fragile(auth: Any) -> None:
        raise RuntimeError("connect handler bug")

    return app, sio


# -- python-socketio Server (WSGI) ---------------------------------------------------------


def wsgi_app(recorder: Recorder, **options: Any) -> tuple[Any, Any]:
    import socketio

    from sioschema.socketio import Server, WSGIApp

    sio = Server(registry=REGISTRIES, async_mode="threading", **{**PATIENT, **options})

    def run_ctx(ctx: Ctx) -> None:
        for event, data, kwargs in ctx.emits:
            sio.emit(event, data, **kwargs)
        for event, data in ctx.calls:
            try:
                recorder.asked.append(sio.call(event, data, to=ctx.sid, timeout=5))
            except PayloadError as exc:
                recorder.asked.append(exc)

    def mount(name: str, impl: Callable[..., Any], namespace: str) -> None:
        def handler(sid: str, *args: Any) -> Any:
            recorder.record(name, args)
            if name == "slow":
                time.sleep(args[0])
            ctx = Ctx(sid)
            value = impl(ctx, *args)
            run_ctx(ctx)
            return value

        sio.on(name, handler, namespace=namespace)

    for name, impl in IMPLS.items():
        mount(name, impl, "/")
    for name, impl in LAX_IMPLS.items():
        mount(name, impl, "/lax")

    class RoomsNamespace(socketio.Namespace):
        def on_join(self, sid: str, room: str) -> list[str]:
            recorder.record("join", (room,))
            self.enter_room(sid, room)
            return sorted(self.rooms(sid))

        def on_count(self, sid: str, n: int) -> int:
            recorder.record("count", (n,))
            return n + 1

    sio.register_namespace(RoomsNamespace("/rooms"))
    tokens: dict[str, str] = {}

    @sio.on("connect")
    def on_connect(sid: str, environ: Any, auth: Any) -> None:
        recorder.record("$connect", (auth,))

    @sio.on("disconnect")
    def on_disconnect(sid: str, reason: Any = None) -> None:
        recorder.record("$disconnect", ())

    @sio.on("connect", namespace="/secure")
    def on_secure(sid: str, environ: Any, auth: Token) -> None:
        recorder.record("$connect", (auth,))
        tokens[sid] = auth.token

    @sio.on(Secure.whoami)
    def whoami(sid: str) -> str:
        return tokens[sid]

    @sio.on("connect", namespace="/fragile")
    def on_fragile(sid: str, environ: Any, auth: Any) -> None:
        raise RuntimeError("connect handler bug")

    return WSGIApp(sio), sio


# -- python-socketio AsyncServer (ASGI) ----------------------------------------------------


def asgi_app(recorder: Recorder, **options: Any) -> tuple[Any, Any]:
    import socketio

    from sioschema.socketio import ASGIApp, AsyncServer

    sio = AsyncServer(registry=REGISTRIES, async_mode="asgi", **{**PATIENT, **options})

    async def run_ctx(ctx: Ctx) -> None:
        for event, data, kwargs in ctx.emits:
            await sio.emit(event, data, **kwargs)
        for event, data in ctx.calls:
            try:
                recorder.asked.append(await sio.call(event, data, to=ctx.sid, timeout=5))
            except PayloadError as exc:
                recorder.asked.append(exc)

    def mount(name: str, impl: Callable[..., Any], namespace: str) -> None:
        async def handler(sid: str, *args: Any) -> Any:
            recorder.record(name, args)
            if name == "slow":
                await asyncio.sleep(args[0])
            ctx = Ctx(sid)
            value = impl(ctx, *args)
            await run_ctx(ctx)
            return value

        sio.on(name, handler, namespace=namespace)

    for name, impl in IMPLS.items():
        mount(name, impl, "/")
    for name, impl in LAX_IMPLS.items():
        mount(name, impl, "/lax")

    class RoomsNamespace(socketio.AsyncNamespace):
        async def on_join(self, sid: str, room: str) -> list[str]:
            recorder.record("join", (room,))
            await self.enter_room(sid, room)
            return sorted(self.rooms(sid))

        def on_count(self, sid: str, n: int) -> int:
            recorder.record("count", (n,))
            return n + 1

    sio.register_namespace(RoomsNamespace("/rooms"))
    tokens: dict[str, str] = {}

    @sio.on("connect")
    async def on_connect(sid: str, environ: Any, auth: Any) -> None:
        recorder.record("$connect", (auth,))

    @sio.on("disconnect")
    async def on_disconnect(sid: str, reason: Any = None) -> None:
        recorder.record("$disconnect", ())

    @sio.on("connect", namespace="/secure")
    async def on_secure(sid: str, environ: Any, auth: Token) -> None:
        recorder.record("$connect", (auth,))
        tokens[sid] = auth.token

    @sio.on(Secure.whoami)
    async def whoami(sid: str) -> str:
        return tokens[sid]

    @sio.on("connect", namespace="/fragile")
    async def on_fragile(sid: str, environ: Any, auth: Any) -> None:
        raise RuntimeError("connect handler bug")

    return ASGIApp(sio), sio
