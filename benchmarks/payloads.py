"""The payloads every benchmark sends, declared twice: msgspec types and pydantic models.

Three sizes, each one Socket.IO event ``bench`` whose single argument is the payload
and whose ack echoes it (so every event is validated on the way in and on the way out):

- ``small``: a tic-tac-toe move (~30 B of JSON);
- ``medium``: a player update with nested vectors, constraints and a list of inputs
  (~180 B);
- ``large``: a world snapshot of 200 entities (~20 KB).

The msgspec Structs form one sioschema registry per payload; the pydantic models carry
the same constraints (pydantic's default lax mode, as sio-asyncapi users run it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import msgspec

from sioschema import Event, EventRegistry

EVENT = "bench"
SIZES = ("small", "medium", "large")

Kind = Literal["player", "npc", "projectile", "pickup"]
State = Literal["idle", "walk", "run", "jump"]


# -- msgspec ----------------------------------------------------------------------------


class MakeMove(msgspec.Struct, forbid_unknown_fields=True):
    game_id: Annotated[int, msgspec.Meta(ge=1)]
    x: Annotated[int, msgspec.Meta(ge=0, le=2)]
    y: Annotated[int, msgspec.Meta(ge=0, le=2)]


class Vec3(msgspec.Struct, forbid_unknown_fields=True):
    x: float
    y: float
    z: float


class Input(msgspec.Struct, forbid_unknown_fields=True):
    key: Annotated[str, msgspec.Meta(min_length=1, max_length=16)]
    down: bool


class PlayerUpdate(msgspec.Struct, forbid_unknown_fields=True):
    player_id: Annotated[int, msgspec.Meta(ge=1)]
    seq: Annotated[int, msgspec.Meta(ge=0)]
    position: Vec3
    velocity: Vec3
    heading: Annotated[float, msgspec.Meta(ge=-180, le=180)]
    health: Annotated[int, msgspec.Meta(ge=0, le=100)]
    state: State
    inputs: Annotated[list[Input], msgspec.Meta(max_length=8)]


class Entity(msgspec.Struct, forbid_unknown_fields=True):
    id: Annotated[int, msgspec.Meta(ge=1)]
    kind: Kind
    position: Vec3
    velocity: Vec3
    health: Annotated[int, msgspec.Meta(ge=0, le=100)]


class WorldSnapshot(msgspec.Struct, forbid_unknown_fields=True):
    tick: Annotated[int, msgspec.Meta(ge=0)]
    entities: Annotated[list[Entity], msgspec.Meta(max_length=1000)]


# -- pydantic ---------------------------------------------------------------------------


def _pydantic_models() -> dict[str, Any]:
    """Built on first use, so benchmarks without pydantic never import it."""
    from pydantic import BaseModel, ConfigDict, Field

    class PMakeMove(BaseModel):
        model_config = ConfigDict(extra="forbid")
        game_id: int = Field(ge=1)
        x: int = Field(ge=0, le=2)
        y: int = Field(ge=0, le=2)

    class PVec3(BaseModel):
        model_config = ConfigDict(extra="forbid")
        x: float
        y: float
        z: float

    class PInput(BaseModel):
        model_config = ConfigDict(extra="forbid")
        key: str = Field(min_length=1, max_length=16)
        down: bool

    class PPlayerUpdate(BaseModel):
        model_config = ConfigDict(extra="forbid")
        player_id: int = Field(ge=1)
        seq: int = Field(ge=0)
        position: PVec3
        velocity: PVec3
        heading: float = Field(ge=-180, le=180)
        health: int = Field(ge=0, le=100)
        state: State
        inputs: list[PInput] = Field(max_length=8)

    class PEntity(BaseModel):
        model_config = ConfigDict(extra="forbid")
        id: int = Field(ge=1)
        kind: Kind
        position: PVec3
        velocity: PVec3
        health: int = Field(ge=0, le=100)

    class PWorldSnapshot(BaseModel):
        model_config = ConfigDict(extra="forbid")
        tick: int = Field(ge=0)
        entities: list[PEntity] = Field(max_length=1000)

    return {"small": PMakeMove, "medium": PPlayerUpdate, "large": PWorldSnapshot}


_PYDANTIC: dict[str, Any] = {}


def pydantic_model(size: str) -> Any:
    """The pydantic model class of a payload size."""
    if not _PYDANTIC:
        _PYDANTIC.update(_pydantic_models())
    return _PYDANTIC[size]


# -- values -----------------------------------------------------------------------------


def _vec(i: int, scale: float) -> dict[str, float]:
    return {"x": round(i * scale + 0.5, 1), "y": round(-i * scale, 1), "z": 1.5}


def _value(size: str) -> dict[str, Any]:
    if size == "small":
        return {"game_id": 1, "x": 1, "y": 2}
    if size == "medium":
        return {
            "player_id": 42,
            "seq": 7,
            "position": {"x": 12.5, "y": -3.2, "z": 0.0},
            "velocity": {"x": 1.0, "y": 0.5, "z": 0.0},
            "heading": 90.5,
            "health": 87,
            "state": "run",
            "inputs": [{"key": "w", "down": True}, {"key": "a", "down": False}],
        }
    kinds = ("player", "npc", "projectile", "pickup")
    return {
        "tick": 123456,
        "entities": [
            {
                "id": i,
                "kind": kinds[i % 4],
                "position": _vec(i, 1.5),
                "velocity": _vec(i, 0.01),
                "health": i % 101,
            }
            for i in range(1, 201)
        ],
    }


def _invalid(size: str) -> dict[str, Any]:
    """The payload with one constraint broken (deep inside for the large one): an int
    out of range, which every validating contender must reject, pydantic's lax mode
    included, and the unvalidated ones pass through."""
    value = _value(size)
    if size == "small":
        value["x"] = 3  # 0 <= x <= 2
    elif size == "medium":
        value["health"] = 101  # 0 <= health <= 100
    else:
        value["entities"][-1]["health"] = 101
    return value


STRUCTS: dict[str, type[msgspec.Struct]] = {
    "small": MakeMove,
    "medium": PlayerUpdate,
    "large": WorldSnapshot,
}


@dataclass(frozen=True)
class Payload:
    """One payload size: its types, its value and its wire forms."""

    size: str
    struct: type[msgspec.Struct]
    registry: type[EventRegistry]
    value: dict[str, Any]
    json: bytes  # the payload alone, as a client would serialise it
    packet: str  # the Socket.IO EVENT packet with ack id 1: 21["bench",{...}]
    invalid: dict[str, Any]  # ``value`` with one constraint broken
    invalid_json: bytes
    invalid_packet: str

    @property
    def event(self) -> Event:
        return self.registry.bench  # type: ignore[attr-defined, no-any-return]

    @property
    def model(self) -> Any:
        return pydantic_model(self.size)


def _registry(size: str, struct: type[msgspec.Struct]) -> type[EventRegistry]:
    # one registry per size, so each server declares exactly one event ``bench``
    return type(  # type: ignore[return-value]
        f"Bench{size.title()}", (EventRegistry,), {"bench": Event(request=struct, ack=struct)}
    )


def _make(size: str) -> Payload:
    value = _value(size)
    body = json.dumps(value, separators=(",", ":"))
    invalid = _invalid(size)
    bad = json.dumps(invalid, separators=(",", ":"))
    return Payload(
        size=size,
        struct=STRUCTS[size],
        registry=_registry(size, STRUCTS[size]),
        value=value,
        json=body.encode(),
        packet=f'21["{EVENT}",{body}]',
        invalid=invalid,
        invalid_json=bad.encode(),
        invalid_packet=f'21["{EVENT}",{bad}]',
    )


PAYLOADS: dict[str, Payload] = {size: _make(size) for size in SIZES}

if __name__ == "__main__":
    for p in PAYLOADS.values():
        print(f"{p.size:7} {len(p.json):6} B  {p.json[:70]!r}")
