"""``on()`` refuses, when the handler is registered, one whose signature or annotations
contradict its declaration, naming both; what it cannot judge it accepts."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from sioschema import Event, EventRegistry, SioSchemaError
from sioschema.flask import SocketIO
from sioschema.socketio import AsyncServer, Server


class Move(msgspec.Struct):
    x: int


class Ack(msgspec.Struct):
    ok: bool


class Api(EventRegistry):
    move = Event(request=Move, ack=Ack)
    maybe = Event(request=Move, ack=Ack | None)
    fire = Event(request=int)
    pair = Event(request=(int, str), ack=int)
    count = Event(request=int, ack=float)


def servers() -> list[Any]:
    return [Server(registry=Api), AsyncServer(registry=Api)]


@pytest.mark.parametrize("server", servers(), ids=["sync", "async"])
def test_returning_none_for_a_declared_ack_is_refused(server: Any) -> None:
    with pytest.raises(SioSchemaError) as caught:

        @server.on(Api.move)
        def move(sid: str, m: Move) -> None: ...

    message = str(caught.value)
    assert "move" in message and "<Event Api.move 'move'>" in message
    assert "return `None`, but the ack is declared `Ack`" in message


def test_returning_none_for_an_optional_ack_is_accepted() -> None:
    server = Server(registry=Api)

    @server.on(Api.maybe)
    def maybe(sid: str, m: Move) -> None: ...


def test_a_request_parameter_of_another_class_is_refused() -> None:
    server = Server(registry=Api)
    with pytest.raises(SioSchemaError, match=r"parameter `m` is annotated `.*Ack`"):

        @server.on(Api.move)
        def move(sid: str, m: Ack) -> Ack:
            return m


def test_a_handler_that_cannot_take_the_arguments_is_refused() -> None:
    server = Server(registry=Api)
    with pytest.raises(SioSchemaError, match="cannot take sid and 2 request argument"):
        server.on(Api.pair, lambda sid, a: 1)


def test_a_value_returned_for_an_event_without_ack_is_refused() -> None:
    server = AsyncServer(registry=Api)
    with pytest.raises(SioSchemaError, match="declares no ack"):

        @server.on(Api.fire)
        async def fire(sid: str, n: int) -> int:
            return n


def test_flask_handlers_take_no_sid() -> None:
    socketio = SocketIO(registry=Api)

    @socketio.on(Api.move)
    def move(m: Move) -> Ack:
        return Ack(ok=True)

    with pytest.raises(SioSchemaError, match="cannot take 1 request argument"):

        @socketio.on(Api.move)
        def with_sid(sid: str, m: Move) -> Ack:
            return Ack(ok=True)

    with pytest.raises(SioSchemaError, match="annotated to return `None`"):

        @socketio.on(Api.move)
        def returns_none(m: Move) -> None: ...


def test_what_cannot_be_judged_is_accepted() -> None:
    server = Server(registry=Api)

    @server.on(Api.move)
    def untyped(sid, m):  # type: ignore[no-untyped-def]
        return {"ok": True}

    @server.on(Api.move)
    def loose(sid: str, m: Any) -> dict[str, bool]:
        return {"ok": True}

    @server.on(Api.move)
    def unresolvable(sid: str, m: NotDefinedAnywhere) -> Ack:  # type: ignore[name-defined]  # noqa: F821
        return Ack(ok=True)

    @server.on(Api.count)
    def widened(sid: str, n: float) -> int:  # an int is a float to a type checker
        return 1

    @server.on(Api.pair)
    def spread(sid: str, *args: Any) -> int:
        return 1

    @server.on("free-form")
    def free(sid: str) -> None: ...


class Lists(EventRegistry, namespace="/lists"):
    count = Event(request=list[Any], ack=int)
    total = Event(request=list[int], ack=int)


def test_generic_annotations_are_accepted() -> None:
    """``list[int]`` is an instance of ``type`` on Python 3.10; ``issubclass`` refuses
    it, so it is not judged there either."""
    server = AsyncServer(registry=Lists)

    @server.on(Lists.count)
    async def count(sid: str, items: list[Any]) -> int:
        return len(items)

    @server.on(Lists.total)
    async def total(sid: str, items: list[int]) -> int:
        return sum(items)
