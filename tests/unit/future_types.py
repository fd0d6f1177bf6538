"""A user module written with postponed annotations."""

from __future__ import annotations

import msgspec

from sioschema import Event, EventRegistry


class Jump(msgspec.Struct):
    to: Spot


class Spot(msgspec.Struct):
    x: int


class Api(EventRegistry):
    move = Event(request=Jump, ack=Spot)
