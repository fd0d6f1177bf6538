"""The contenders: one module each, exposing the same few functions.

Every module defines ``NAME``, ``ABOUT``, ``VALIDATES`` (whether its server rejects an
invalid request) and any of:

- ``micro(payload) -> {label: Codec}``: the payload alone, JSON bytes -> typed object
  (``decode``) and typed object -> JSON bytes (``encode``);
- ``packet(payload) -> {label: Codec}``: the whole Socket.IO packet, the EVENT string
  ``21["bench",{...}]`` -> validated arguments, and an ack value -> the ACK string;
- ``server(kind, payload, **options)``: a server whose ``bench`` handler acks with the
  object it received; ``kind`` is ``"async"`` (``socketio.AsyncServer``), ``"sync"``
  (``socketio.Server``) or ``"flask"`` (returns ``(flask_app, socketio)``); ``None``
  when the contender does not run on that kind.

Adding a contender (the packet codec, say) is adding one module here and its name to
``MODULES``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

MODULES = {
    "stock": "benchmarks.contenders.stock",
    "msgspec": "benchmarks.contenders.msgspec_",
    "pydantic": "benchmarks.contenders.pydantic_handler",
    "sio-asyncapi": "benchmarks.contenders.sio_asyncapi",
    "sioschema": "benchmarks.contenders.sioschema_",
}


@dataclass(frozen=True)
class Codec:
    """One way in and out: ``decode(wire) -> typed``, ``encode(obj) -> wire``."""

    decode: Callable[[Any], Any]
    encode: Callable[[Any], Any]
    obj: Any  # the typed value ``encode`` is timed on (the decoded payload)
    # what ``decode`` raises on an invalid payload; empty for an untyped row, which
    # must pass it through (checked before every run, see ``benchmarks._proof``)
    rejects: tuple[type[BaseException], ...] = ()


def load(names: Iterable[str] | None = None) -> tuple[dict[str, ModuleType], dict[str, str]]:
    """The contender modules that import, and why the others did not."""
    found: dict[str, ModuleType] = {}
    missing: dict[str, str] = {}
    for name in names or MODULES:
        if name not in MODULES:
            msg = f"unknown contender {name!r}; choose from {', '.join(MODULES)}"
            raise SystemExit(msg)
        try:
            found[name] = importlib.import_module(MODULES[name])
        except ImportError as exc:
            missing[name] = str(exc)
    return found, missing
