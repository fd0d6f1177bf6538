"""The registry the scale-out tests run on every process: servers, emitters, clients."""

from __future__ import annotations

import msgspec

from sioschema import Emit, Event, EventRegistry


class Note(msgspec.Struct, forbid_unknown_fields=True):
    """One numbered message; ``seq`` tells every copy apart."""

    seq: int
    text: str


class Question(msgspec.Struct, forbid_unknown_fields=True):
    text: str


class Answer(msgspec.Struct, forbid_unknown_fields=True):
    ok: bool
    by: str


class Relay(msgspec.Struct, forbid_unknown_fields=True):
    """Ask a server to emit ``note`` to ``to`` (a sid or a room), wherever it is, or to
    every client (a broadcast) when ``to`` is ``None``."""

    seq: int
    to: str | None = None


class Lobby(EventRegistry, title="Lobby", version="1.0.0"):
    """A namespace whose clients may sit on any server process."""

    note = Emit(Note)
    ask = Emit(Question, ack=Answer)

    join = Event(request=str, ack=str)
    """Enter a room; the ack is the client's sid."""
    relay = Event(request=Relay, emits=[note])
    ask_other = Event(request=str, ack=Answer, emits=[ask])
    """``call()`` the client with this sid (on any process) and answer with its ack."""
    ask_room = Event(request=str, ack=list[Answer], emits=[ask])
    """``emit(ask, room=..., callback=...)``; the ack is every answer the callback got."""
