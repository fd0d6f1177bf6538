"""Registries that exercise every corner of the AsyncAPI mapping.

- event names that are not identifiers (``chat:message``) or that sanitise to another
  event's key (``chat_message``);
- a client event and an emit with the same name (``ping``);
- two payload types named ``Point`` (and ``Status``) from different modules;
- several arguments, no argument, an empty ack, an emit that expects a client ack;
- tagged unions, generics, optionals, bytes, enums, datetimes, constraints, examples;
- two namespaces whose events share names.
"""

from __future__ import annotations

import datetime
import enum
from typing import Annotated, Generic, Literal, TypeVar

import msgspec

from sioschema import Emit, Event, EventRegistry
from tests.asyncapi import other_types

T = TypeVar("T")


class Point(msgspec.Struct):
    """A point on the board, in cells."""

    x: Annotated[int, msgspec.Meta(ge=0, le=99, examples=[3])]
    y: Annotated[int, msgspec.Meta(ge=0, le=99)]


class Status(enum.Enum):
    ONLINE = "online"
    AWAY = "away"


class Walk(msgspec.Struct, tag="walk"):
    """Walk to a point."""

    to: Point


class Teleport(msgspec.Struct, tag="teleport"):
    """Jump to a point on the map."""

    to: other_types.Point
    charge: Annotated[float, msgspec.Meta(gt=0.0, description="Energy spent")] = 1.0


Action = Walk | Teleport


class Page(msgspec.Struct, Generic[T]):
    """One page of results."""

    items: list[T]
    next: str | None = None


class Profile(msgspec.Struct, forbid_unknown_fields=True):
    """A player's public profile."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=32, pattern=r"^[a-z]+\Z")]
    status: Status
    since: datetime.datetime
    avatar: bytes | None = None
    tags: Annotated[frozenset[str], msgspec.Meta(max_length=8)] = frozenset()
    scores: dict[str, int] = {}
    home: Point | None = None
    mood: other_types.Status | None = None
    window: tuple[int, int] = (0, 0)


RoomId = Annotated[str, msgspec.Meta(min_length=1, examples=["lobby"])]
Text = Annotated[str, msgspec.Meta(max_length=500)]


class Game(
    EventRegistry,
    title="Tricky API",
    version="2.3.4",
    id="urn:example:tricky",
    servers={
        "prod": {"url": "game.example.org/socket.io", "protocol": "wss"},
        "local": {"host": "localhost:8000", "pathname": "/socket.io", "protocol": "ws"},
    },
    contact={"name": "Team", "url": "https://example.org", "email": "team@example.org"},
    license={"name": "Apache-2.0", "url": "https://www.apache.org/licenses/LICENSE-2.0"},
    tags=[{"name": "game"}, {"name": "chat", "description": "Talking"}],
    external_docs={"url": "https://example.org/docs", "description": "Guide"},
):
    """Everything a Socket.IO API can declare, in one place."""

    chat_colon = Emit((RoomId, Text), name="chat:message", description="A line said in a room.")
    chat_underscore = Emit(Text, name="chat_message", description="A line said to everyone.")
    ping = Emit(int, description="The server's ping; the client answers with its time.", ack=float)
    profile = Emit(
        Profile, examples=[{"name": "ada", "status": "online", "since": "2024-01-01T00:00:00Z"}]
    )
    poke = Emit()
    points = Emit(Page[Point])

    say = Event(
        request=(RoomId, Text),
        ack=None,
        emits=[chat_colon],
        name="chat:message",
        examples=[("lobby", "hello")],
        description="Say something in a room (two arguments).",
    )
    say_all = Event(request=Text, name="chat_message", emits=[chat_underscore])
    ping_back = Event(request=int, ack=(int, float), name="ping", description="Client ping.")
    act = Event(
        request=Action, ack=Page[Point], examples=[{"type": "walk", "to": {"x": 1, "y": 2}}]
    )
    whoami = Event(ack=Profile)
    locate = Event(request=other_types.Point, ack=Point)
    mood = Event(request=other_types.Status, ack=Literal["ok"])


class Session(msgspec.Struct):
    """Who is connecting."""

    token: Annotated[str, msgspec.Meta(min_length=8)]


class Chat(EventRegistry, namespace="/chat/v1", title="Chat", auth=Session):
    """A second namespace; its event names repeat the first one's."""

    chat = Emit(Text, name="chat:message")
    say = Event(request=Text, ack=bool, name="chat:message", emits=[chat])
