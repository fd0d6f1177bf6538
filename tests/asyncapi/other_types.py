"""A second ``Point`` and ``Status``, with the same class names as in ``tricky``."""

from __future__ import annotations

import msgspec


class Point(msgspec.Struct):
    """A point on a map, in degrees."""

    lat: float
    lon: float


class Status(msgspec.Struct):
    """A player's status line."""

    text: str
