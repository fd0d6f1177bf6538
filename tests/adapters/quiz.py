"""What both typed-client test files share (``test_typed_client.py`` and its asyncio
mirror ``test_typed_async_client.py``): a registry a stock python-socketio server breaks."""

from __future__ import annotations

import msgspec

from sioschema import Emit, Event, EventRegistry

TIMEOUT = 5


class Question(msgspec.Struct):
    text: str


class Answer(msgspec.Struct):
    value: int


class Quiz(EventRegistry):
    asked = Emit(Question, ack=Answer)
    told = Emit(Question)
    hello = Event(request=str, ack=str)
