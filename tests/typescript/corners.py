"""Registries whose types and names exercise every corner of the TypeScript mapping.

- type names TypeScript reserves or the contract uses (``string``, ``Socket``,
  ``ErrorAck``), and a name that would collide with a registry's event map;
- every JSON Schema shape msgspec writes: optional and nullable fields, literals and
  enums, tuples (fixed, variadic, ``array_like``), sets, dicts with every kind of key,
  tagged unions, bytes, dates, UUIDs, decimals, ``Any``, constraints;
- a doc comment that contains ``*/``; property and event names that are not identifiers;
- several arguments, no argument, an empty ack, a multi-value ack, an emit that expects
  a client ack, and an ``auth`` type.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from typing import Annotated, Any, Literal

import msgspec
from typing_extensions import NotRequired, TypedDict

from sioschema import Emit, Event, EventRegistry


class string(msgspec.Struct):  # noqa: N801 - a name TypeScript reserves
    """Named like a TypeScript keyword."""

    value: str


class Socket(msgspec.Struct):
    """Named like the socket.io-client type the contract imports."""

    id: str


class ErrorAck(msgspec.Struct):
    """Named like sioschema's error ack."""

    reason: str


class ShapesServerToClientEvents(msgspec.Struct):
    """Named like the event map of the registry ``Shapes``."""

    n: int


class Color(enum.Enum):
    """A color; the comment ends */ early if not escaped."""

    RED = "red"
    GREEN = "green"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Pair(msgspec.Struct, array_like=True):
    """Sent as a JSON array."""

    left: int
    right: str = ""


class Circle(msgspec.Struct, tag="circle"):
    radius: Annotated[float, msgspec.Meta(gt=0)]


class Square(msgspec.Struct, tag="square"):
    side: float


Options = TypedDict(
    "Options", {"verbose": bool, "level": NotRequired[Level], "max-depth": NotRequired[int]}
)
Options.__doc__ = "A TypedDict with a key that is no identifier."


class Everything(msgspec.Struct, forbid_unknown_fields=True, rename={"kebab": "kebab-case"}):
    """Every shape at once.

    Second paragraph.
    """

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=8, pattern=r"^[a-z]+\Z")]
    maybe: int | None
    kebab: int = 0
    optional: str | None = None
    color: Color = Color.RED
    level: Level = Level.LOW
    mode: Literal["b", "a"] | None = "a"
    odd: Literal[3, 1] = 1
    fixed: tuple[int, str] = (0, "")
    many: tuple[float, ...] = ()
    tags: frozenset[str] = frozenset()
    pair: Pair | None = None
    by_name: dict[str, int] = {}
    by_number: dict[int, str] = {}
    by_letter: dict[Literal["x", "y"], bool] = {}
    shape: Circle | Square | None = None
    blob: bytes = b""
    when: datetime.datetime | None = None
    day: datetime.date | None = None
    key: uuid.UUID | None = None
    amount: decimal.Decimal | None = None
    anything: Any = None
    grid: list[list[Annotated[int, msgspec.Meta(ge=0)]]] = []
    options: Options | None = None
    rest: Annotated[
        dict[str, int],
        msgspec.Meta(
            extra_json_schema={
                "properties": {"a": {"type": "integer", "minimum": 1}},
                "required": ["a"],
                "not": {"required": ["b"]},
            }
        ),
    ] = {}


Room = Annotated[str, msgspec.Meta(title="room", description="The room's id.")]


def Named(title: str) -> Any:  # noqa: N802 (a type, as it is used)
    return Annotated[str, msgspec.Meta(title=title)]


class Token(msgspec.Struct):
    token: Annotated[str, msgspec.Meta(min_length=8)]


class Shapes(EventRegistry, namespace="/shapes", title="Shapes", auth=Token):
    """The corner cases."""

    drawn = Emit(Everything, description="An emit of every shape.")
    nothing = Emit()
    two = Emit((int, str), name="two:args")
    ask = Emit(str, ack=int, description="The client answers with a number.")
    ask_empty = Emit(str, ack=None)
    weird = Emit((string, Socket, ErrorAck, ShapesServerToClientEvents))

    draw = Event(request=Everything, ack=Everything, emits=[drawn])
    ping = Event()
    pair = Event(request=(Pair, Color), ack=(int, Level), name="pair:up")
    shape = Event(request=Circle | Square, ack=Literal["ok"])
    # arguments named by their titles; a title that cannot name a parameter (a reserved
    # word, "ack", one used twice) leaves the default name
    seat = Event(
        request=(Room, Annotated[int, msgspec.Meta(title="seat", ge=0)], Named("ack"), str),
        ack=(Named("class"), Named("class")),
        name="seat:take",
    )


class Bulletin(EventRegistry, namespace="/", title="Bulletin"):
    """A namespace the server only broadcasts on: no client event, so no error ack
    (only the error event); listed first, its channel comes first."""

    posted = Emit(Room)
