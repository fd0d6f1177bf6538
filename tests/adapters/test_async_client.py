"""Every adapter behaviour, through a real ``socketio.AsyncClient`` over websocket.

Mirrors ``test_sync_client.py`` (``socketio.Client``), test for test.
"""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import AsyncIterator
from typing import Any

import pytest
import socketio

from sioschema import PayloadError, SioSchemaError
from tests import apps
from tests.adapters.cases import BAD_ARITY, INVALID_PAYLOADS, error
from tests.conftest import Running

NAMESPACES = ["/", "/lax", "/rooms", "/plain"]


class Conn:
    """A connected client and what it received besides acks."""

    def __init__(self) -> None:
        self.client = socketio.AsyncClient(reconnection=False)
        self.events: list[tuple[str, str, Any]] = []
        self.cond = asyncio.Condition()
        self.question_reply: Any = None

        @self.client.on("question")
        def question(point: Any) -> Any:
            return self.question_reply(point) if callable(self.question_reply) else None

    @classmethod
    async def open(cls, url: str, namespaces: list[str] = NAMESPACES[:3]) -> Conn:
        self = cls()
        for ns in namespaces:
            self.client.on("*", self._catch_all(ns), namespace=ns)
        await self.client.connect(
            url, transports=["websocket"], namespaces=namespaces, wait_timeout=5
        )
        return self

    def _catch_all(self, namespace: str) -> Any:
        async def on_event(event: str, *args: Any) -> None:
            async with self.cond:
                self.events.append((namespace, event, args[0] if len(args) == 1 else args))
                self.cond.notify_all()

        return on_event

    async def call(self, event: str, data: Any = None, namespace: str = "/") -> Any:
        return await self.client.call(event, data, namespace=namespace, timeout=5)

    async def emit(self, event: str, data: Any = None, namespace: str = "/") -> None:
        await self.client.emit(event, data, namespace=namespace)

    async def wait_event(self, event: str, timeout: float = 5) -> Any:
        def find() -> bool:
            return any(name == event for _, name, _ in self.events)

        async with self.cond:
            try:
                await asyncio.wait_for(self.cond.wait_for(find), timeout)
            except asyncio.TimeoutError:
                raise AssertionError(f"no {event!r} event; got {self.events!r}") from None
            for i, (_, name, data) in enumerate(self.events):
                if name == event:
                    del self.events[i]
                    return data
        raise AssertionError("unreachable")

    async def close(self) -> None:
        await self.client.disconnect()


@pytest.fixture
async def conn(server: Running) -> AsyncIterator[Conn]:
    c = await Conn.open(server.url)
    yield c
    await c.close()


# -- valid requests: typed handlers, validated acks ----------------------------------------


async def test_struct_request_and_ack(server: Running, conn: Conn) -> None:
    assert await conn.call("echo_point", {"x": 1, "y": 2}) == {"x": 1, "y": 2}
    [(name, args)] = server.recorder.calls
    assert (name, args) == ("echo_point", (apps.Point(x=1, y=2),))


async def test_handler_receives_typed_objects(server: Running, conn: Conn) -> None:
    data = (
        {"x": 1, "y": 2},
        {"room": "r", "text": "hi"},
        {"player": "p", "points": 3},
        {"name": "gold"},
    )
    assert await conn.call("kinds", data) == ["Point", "Chat", "dict", "Badge"]
    [(_, args)] = server.recorder.calls
    assert args == (
        apps.Point(1, 2),
        apps.Chat("r", "hi"),
        {"player": "p", "points": 3},
        apps.Badge("gold", 1),
    )


async def test_multi_argument_request_and_ack(conn: Conn) -> None:
    assert await conn.call("pair", ({"x": 2, "y": 3}, 10)) == (20, 30)


async def test_no_argument_event(conn: Conn) -> None:
    assert await conn.call("no_args") == 42


async def test_ack_none_is_empty_ack(conn: Conn) -> None:
    assert await conn.call("no_ack", {"x": 1, "y": 1}) is None


async def test_event_name_override(conn: Conn) -> None:
    assert await conn.call("chat:say", {"room": "a", "text": "hey"}) == {"room": "a", "text": "hey"}
    assert await conn.wait_event("chat:said") == {"room": "a", "text": "HEY"}


async def test_tagged_union(conn: Conn) -> None:
    assert await conn.call("area", {"type": "square", "side": 3.0}) == 9.0
    assert await conn.call("area", {"type": "circle", "r": 1.0}) == 3.0


async def test_datetime_bytes_enum_literal_typeddict_attrs(conn: Conn) -> None:
    assert await conn.call("later", "2024-02-28T10:00:00Z") == "2024-02-29T10:00:00Z"
    assert await conn.call("blob", b"\x00\x01\x02") == 3  # a binary attachment
    assert await conn.call("blob", "AAEC") == 3  # or base64, as msgspec's JSON form
    assert await conn.call("color", "red") == "blue"
    assert await conn.call("mode", "fast") == "FAST"
    assert await conn.call("score", {"player": "p", "points": 1}) == {"player": "p", "points": 2}
    assert await conn.call("badge", {"name": "b", "level": 2}) == {"name": "b", "level": 3}


async def test_plain_string_handler_is_not_validated(server: Running, conn: Conn) -> None:
    assert await conn.call("legacy", {"anything": [1, "x"]}) == {"got": [{"anything": [1, "x"]}]}


async def test_class_based_namespace_is_validated(server: Running, conn: Conn) -> None:
    assert await conn.call("count", 4, namespace="/rooms") == 5
    assert await conn.call("count", -1, namespace="/rooms") == error(
        "invalid_payload", "Expected `int` >= 0", "$", "count"
    )
    assert "lobby" in await conn.call("join", "lobby", namespace="/rooms")
    assert server.recorder.names() == ["count", "join"]


async def test_lax_registry_coerces(conn: Conn) -> None:
    assert await conn.call("echo_point", {"x": "5", "y": "6"}, namespace="/lax") == {"x": 5, "y": 6}


# -- invalid requests: the pinned error ack, handler never runs -----------------------------


@pytest.mark.parametrize(("event", "data", "reply"), INVALID_PAYLOADS)
async def test_invalid_payload(
    server: Running, conn: Conn, event: str, data: Any, reply: dict[str, Any]
) -> None:
    assert await conn.call(event, data) == reply
    assert server.recorder.calls == []


@pytest.mark.parametrize(("event", "data", "message"), BAD_ARITY)
async def test_bad_arity(server: Running, conn: Conn, event: str, data: Any, message: str) -> None:
    assert await conn.call(event, data) == error("bad_arity", message, "$", event)
    assert server.recorder.calls == []


async def test_unknown_event(server: Running, conn: Conn) -> None:
    assert await conn.call("nope", 1) == error(
        "unknown_event", "Unknown event `nope`", None, "nope"
    )
    assert await conn.call("nope", namespace="/rooms") == error(
        "unknown_event", "Unknown event `nope`", None, "nope"
    )


async def test_declared_event_without_handler_is_unknown(conn: Conn) -> None:
    assert await conn.call("unhandled", 1) == error(
        "unknown_event", "Unknown event `unhandled`", None, "unhandled"
    )


async def test_handler_exception_is_internal_error(
    server: Running, conn: Conn, caplog: pytest.LogCaptureFixture
) -> None:
    assert await conn.call("boom", 7) == error(
        "internal_error", "Internal server error", None, "boom"
    )
    assert "secret server detail 7" in caplog.text  # logged server side, never sent


async def test_invalid_ack_from_handler_is_internal_error(
    conn: Conn, caplog: pytest.LogCaptureFixture
) -> None:
    assert await conn.call("bad_ack") == error(
        "internal_error", "Internal server error", None, "bad_ack"
    )
    assert "Expected `int` >= 0 - at `$.x`" in caplog.text


async def test_invalid_emit_in_handler_sends_nothing(conn: Conn) -> None:
    assert await conn.call("emit_bad") == error(
        "internal_error", "Internal server error", None, "emit_bad"
    )
    await conn.call("no_args")  # the connection still answers, and no chat:said arrived
    assert [e for e in conn.events if e[1] == "chat:said"] == []


async def test_no_ack_requested_sends_one_error_event(server: Running, conn: Conn) -> None:
    await conn.emit("echo_point", {"x": "bad", "y": 1})
    assert await conn.wait_event("error") == error(
        "invalid_payload", "Expected `int`, got `str` - at `$.x`", "$.x", "echo_point"
    )
    await conn.emit("nope")
    assert await conn.wait_event("error") == error(
        "unknown_event", "Unknown event `nope`", None, "nope"
    )
    assert await conn.call("no_args") == 42
    assert [e for e in conn.events if e[1] == "error"] == []
    assert server.recorder.names() == ["no_args"]


async def test_rejection_logs_one_warning_without_payload(
    conn: Conn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("WARNING", logger="sioschema")
    await conn.call("color", "SECRET-VALUE")
    records = [r for r in caplog.records if r.name == "sioschema"]
    assert len(records) == 1
    assert records[0].levelname == "WARNING"
    assert "SECRET-VALUE" not in records[0].getMessage()
    sid = conn.client.get_sid("/")
    assert records[0].getMessage() == (f"rejected 'color' from {sid} on /: invalid_payload at $")


async def test_bad_client_does_not_disturb_others(server: Running) -> None:
    good, bad = await Conn.open(server.url), await Conn.open(server.url)
    try:
        for _ in range(20):
            reply = await bad.call("echo_point", {"x": -1, "y": 0})
            assert reply["error"]["code"] == "invalid_payload"
            assert await good.call("echo_point", {"x": 1, "y": 0}) == {"x": 1, "y": 0}
        assert good.events == []
    finally:
        await good.close()
        await bad.close()


# -- outgoing: emits and server -> client calls ---------------------------------------------


async def test_emit_outside_handler_is_validated(server: Running, conn: Conn) -> None:
    sid = conn.client.get_sid("/")
    emit = server.server.emit
    server.run(emit(apps.Api.ticked, 5, to=sid))
    assert await conn.wait_event("ticked") == 5
    with pytest.raises(PayloadError) as info:
        server.run(emit(apps.Api.ticked, "five", to=sid))
    assert str(info.value) == "Invalid emit for `ticked` on `/`: Expected `int`, got `str`"
    assert (info.value.code, info.value.path, info.value.event) == (
        "invalid_payload",
        "$",
        "ticked",
    )
    # a declared emit named by string is validated too
    with pytest.raises(PayloadError):
        server.run(emit("chat:said", {"room": "r"}, to=sid))
    # dict payloads are validated and normalised to the declared fields
    server.run(emit(apps.Api.said, {"room": "r", "text": "t", "extra": 1}, to=sid))
    assert await conn.wait_event("chat:said") == {"room": "r", "text": "t"}
    # undeclared string events stay unvalidated
    server.run(emit("free", {"any": "thing"}, to=sid))
    assert await conn.wait_event("free") == {"any": "thing"}


async def test_emit_checks_namespace_and_direction(server: Running) -> None:
    with pytest.raises(SioSchemaError, match="declared for namespace `/`, not `/lax`"):
        server.run(server.server.emit(apps.Api.ticked, 1, namespace="/lax"))
    with pytest.raises(SioSchemaError, match="client -> server event"):
        server.run(server.server.emit(apps.Api.echo_point, {"x": 1, "y": 1}))


async def test_server_call_validates_client_ack(server: Running, conn: Conn) -> None:
    conn.question_reply = lambda point: point["x"] * 2
    assert await conn.call("ask", 4) == 4
    assert server.recorder.asked == [8]
    conn.question_reply = lambda point: "not an int"
    assert await conn.call("ask", 5) == 5
    [exc] = server.recorder.asked[1:]
    assert isinstance(exc, PayloadError)
    assert exc.code == "invalid_ack"
    assert str(exc) == "Invalid ack for `question` on `/`: Expected `int`, got `str`"


async def test_typed_datetime_ack_round_trip(conn: Conn) -> None:
    sent = datetime.datetime(2024, 12, 31, 23, 0, tzinfo=datetime.timezone.utc)
    assert await conn.call("later", sent.isoformat()) == "2025-01-01T23:00:00Z"


async def test_error_hook_replaces_reply() -> None:
    from tests.conftest import run_server

    seen: list[tuple[str, str]] = []

    def hook(err: PayloadError, sid: str) -> Any:
        seen.append((err.code, err.event))
        return {"oops": err.code} if err.code == "bad_arity" else None

    with run_server("asgi", on_payload_error=hook) as srv:
        c = await Conn.open(srv.url)
        try:
            assert await c.call("echo_point", ({}, {})) == {"oops": "bad_arity"}
            assert (await c.call("echo_point", {}))["error"]["code"] == "invalid_payload"
        finally:
            await c.close()
    assert seen == [("bad_arity", "echo_point"), ("invalid_payload", "echo_point")]
