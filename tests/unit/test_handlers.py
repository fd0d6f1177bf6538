"""``on()`` refuses, when the handler is registered, one whose signature or annotations
contradict its declaration, naming both; what it cannot judge it accepts. The servers'
``on()`` judges handlers of events, the clients' ``on()`` handlers of emits."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from typing import Annotated, Any, NamedTuple, Protocol, TypedDict, TypeVar

import msgspec
import pytest

from sioschema import Emit, Event, EventRegistry, SioSchemaError
from sioschema._handlers import check_handler
from sioschema.client import AsyncClient, Client
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


# -- return annotations against the declared ack ----------------------------------------


class Ok(msgspec.Struct):
    ok: bool


class Sub(Ok):
    pass


class Row(msgspec.Struct, array_like=True):
    a: int


@dataclasses.dataclass
class Record:
    ok: bool


class Pair(NamedTuple):
    n: int
    s: str


class OkDict(TypedDict):
    ok: bool


class HasOk(Protocol):
    ok: bool


T = TypeVar("T")


class Acks(EventRegistry, namespace="/acks"):
    ok = Event(request=Move, ack=Ok)
    row = Event(request=Move, ack=Row)
    stamp = Event(request=Annotated[int, msgspec.Meta(ge=0)], ack=datetime.datetime)
    ratio = Event(request=int, ack=float)
    whole = Event(request=float, ack=int)
    both = Event(request=(int, str), ack=(int, str))
    quiet = Event(request=int, ack=None)


def _refused(event: Event, handler: Any) -> str:
    with pytest.raises(SioSchemaError) as caught:
        check_handler(event, handler, skip=1)
    return str(caught.value)


def str_for_ok(sid: str, m: Move) -> str:
    return ""


def int_for_ok(sid: str, m: Move) -> int:
    return 0


def move_for_ok(sid: str, m: Move) -> Move:
    return m


def record_for_ok(sid: str, m: Move) -> Record:
    return Record(ok=True)


def list_for_ok(sid: str, m: Move) -> list:  # type: ignore[type-arg]
    return []


def annotated_str_for_ok(sid: str, m: Move) -> Annotated[str, "why"]:
    return ""


async def coroutine_str_for_ok(sid: str, m: Move) -> str:
    return ""


def dict_for_row(sid: str, m: Move) -> dict:  # type: ignore[type-arg]
    return {}


def int_for_stamp(sid: str, n: int) -> int:
    return n


def float_for_whole(sid: str, n: float) -> float:
    return n


def int_for_both(sid: str, n: int, s: str) -> int:
    return n


def list_for_both(sid: str, n: int, s: str) -> list:  # type: ignore[type-arg]
    return [n, s]


def three_for_both(sid: str, n: int, s: str) -> tuple[int, str, int]:
    return n, s, 1


def swapped_for_both(sid: str, n: int, s: str) -> tuple[int, Move]:
    return n, Move(x=1)


def ok_for_none(sid: str, n: int) -> Ok:
    return Ok(ok=True)


def str_parameter(sid: str, n: str) -> datetime.datetime:
    return datetime.datetime.now()


def second_parameter(sid: str, n: int, s: bytes) -> tuple[int, str]:
    return n, ""


REFUSED: list[tuple[Event, Any, str]] = [
    (
        Acks.ok,
        str_for_ok,
        "handler `str_for_ok` of <Event Acks.ok 'ok'> is annotated to return `str`, "
        "but the ack is declared `Ok`",
    ),
    (
        Acks.ok,
        int_for_ok,
        "handler `int_for_ok` of <Event Acks.ok 'ok'> is annotated to return `int`, "
        "but the ack is declared `Ok`",
    ),
    (
        Acks.ok,
        move_for_ok,
        "handler `move_for_ok` of <Event Acks.ok 'ok'> is annotated to return `Move`, "
        "but the ack is declared `Ok`",
    ),
    (
        Acks.ok,
        record_for_ok,
        "handler `record_for_ok` of <Event Acks.ok 'ok'> is annotated to return `Record`, "
        "but the ack is declared `Ok`",
    ),
    (
        Acks.ok,
        list_for_ok,
        "handler `list_for_ok` of <Event Acks.ok 'ok'> is annotated to return `list`, "
        "but the ack is declared `Ok`",
    ),
    (
        Acks.ok,
        annotated_str_for_ok,
        "handler `annotated_str_for_ok` of <Event Acks.ok 'ok'> is annotated to return "
        "`str`, but the ack is declared `Ok`",
    ),
    (
        Acks.ok,
        coroutine_str_for_ok,
        "handler `coroutine_str_for_ok` of <Event Acks.ok 'ok'> is annotated to return "
        "`str`, but the ack is declared `Ok`",
    ),
    (
        Acks.row,
        dict_for_row,
        "handler `dict_for_row` of <Event Acks.row 'row'> is annotated to return `dict`, "
        "but the ack is declared `Row`",
    ),
    (
        Acks.stamp,
        int_for_stamp,
        "handler `int_for_stamp` of <Event Acks.stamp 'stamp'> is annotated to return "
        "`int`, but the ack is declared `datetime`",
    ),
    (
        Acks.whole,
        float_for_whole,
        "handler `float_for_whole` of <Event Acks.whole 'whole'> is annotated to return "
        "`float`, but the ack is declared `int`",
    ),
    (
        Acks.both,
        int_for_both,
        "handler `int_for_both` of <Event Acks.both 'both'> is annotated to return `int`, "
        "but the ack is declared `int`, `str` (several values: a tuple)",
    ),
    (
        Acks.both,
        list_for_both,
        "handler `list_for_both` of <Event Acks.both 'both'> is annotated to return "
        "`list`, but the ack is declared `int`, `str` (several values: a tuple)",
    ),
    (
        Acks.both,
        three_for_both,
        "handler `three_for_both` of <Event Acks.both 'both'> is annotated to return "
        "`tuple[int, str, int]`, but the ack is declared `int`, `str` (2 values)",
    ),
    (
        Acks.both,
        swapped_for_both,
        "handler `swapped_for_both` of <Event Acks.both 'both'> is annotated to return "
        "`tuple[int, Move]`, but the ack is declared `int`, `str`",
    ),
    (
        Acks.quiet,
        ok_for_none,
        "handler `ok_for_none` of <Event Acks.quiet 'quiet'> is annotated to return `Ok`, "
        "but the event declares no ack (`ack=None`): declare the ack, or return nothing",
    ),
    (
        Acks.stamp,
        str_parameter,
        "handler `str_parameter` of <Event Acks.stamp 'stamp'>: parameter `n` is annotated "
        "`str`, but the request is declared `Annotated[int, msgspec.Meta(ge=0)]`",
    ),
    (
        Acks.both,
        second_parameter,
        "handler `second_parameter` of <Event Acks.both 'both'>: parameter `s` is "
        "annotated `bytes`, but the request is declared `str`",
    ),
]


@pytest.mark.parametrize(
    ("event", "handler", "message"), REFUSED, ids=[h.__name__ for _, h, _ in REFUSED]
)
def test_a_contradicting_annotation_is_refused_naming_both(
    event: Event, handler: Any, message: str
) -> None:
    assert _refused(event, handler) == message


def test_the_servers_refuse_through_on() -> None:
    for server in [Server(registry=Acks), AsyncServer(registry=Acks)]:
        with pytest.raises(SioSchemaError, match="return `str`, but the ack is declared `Ok`"):
            server.on(Acks.ok, str_for_ok)
    socketio = SocketIO(registry=Acks)
    with pytest.raises(SioSchemaError, match="return `str`, but the ack is declared `Ok`"):

        @socketio.on(Acks.ok)
        def flask_str(m: Move) -> str:
            return ""


def dict_for_ok(sid: str, m: Move) -> dict:  # type: ignore[type-arg]
    return {"ok": True}


def typeddict_for_ok(sid: str, m: Move) -> OkDict:
    return {"ok": True}


def subclass_for_ok(sid: str, m: Move) -> Sub:
    return Sub(ok=True)


def any_for_ok(sid: str, m: Move) -> Any:
    return {"ok": True}


def object_for_ok(sid: str, m: Move) -> object:
    return {"ok": True}


def optional_for_ok(sid: str, m: Move) -> Ok | None:
    return None


def union_for_ok(sid: str, m: Move) -> Ok | str:
    return Ok(ok=True)


def annotated_ok(sid: str, m: Annotated[Move, "why"]) -> Annotated[Ok, "why"]:
    return Ok(ok=True)


def typevar_for_ok(sid: str, m: T) -> T:
    return m


def protocol_for_ok(sid: str, m: Move) -> HasOk:
    return Ok(ok=True)


def mapping_for_ok(sid: str, m: Move) -> Mapping[str, bool]:
    return {"ok": True}


async def coroutine_ok(sid: str, m: Move) -> Ok:
    return Ok(ok=True)


def list_for_row(sid: str, m: Move) -> list:  # type: ignore[type-arg]
    return [1]


def str_for_stamp(sid: str, n: int) -> str:  # msgspec reads a datetime from a string
    return "2024-01-01T00:00:00Z"


def int_for_ratio(sid: str, n: float) -> int:  # an int is a float to a type checker
    return 1


def pair_for_both(sid: str, n: int, s: str) -> tuple[int, str]:
    return n, s


def tuple_for_both(sid: str, n: int, s: str) -> tuple:  # type: ignore[type-arg]
    return n, s


def namedtuple_for_both(sid: str, n: int, s: str) -> Pair:
    return Pair(n, s)


def varargs_for_both(sid: str, *args: Any) -> tuple[Any, ...]:
    return args


def none_for_none(sid: str, n: int) -> None: ...


def any_for_none(sid: str, n: int) -> Any: ...


def bool_parameter(sid: str, n: bool) -> float:  # a subclass of the declared `int`
    return 1.0


def generic_for_ok(sid: str, m: Move) -> dict[str, bool]:
    return {"ok": True}


ACCEPTED: list[tuple[Event, Any]] = [
    (Acks.ok, dict_for_ok),
    (Acks.ok, typeddict_for_ok),
    (Acks.ok, subclass_for_ok),
    (Acks.ok, any_for_ok),
    (Acks.ok, object_for_ok),
    (Acks.ok, optional_for_ok),
    (Acks.ok, union_for_ok),
    (Acks.ok, annotated_ok),
    (Acks.ok, typevar_for_ok),
    (Acks.ok, protocol_for_ok),
    (Acks.ok, mapping_for_ok),
    (Acks.ok, coroutine_ok),
    (Acks.ok, generic_for_ok),
    (Acks.row, list_for_row),
    (Acks.stamp, str_for_stamp),
    (Acks.ratio, int_for_ratio),
    (Acks.ratio, bool_parameter),
    (Acks.both, pair_for_both),
    (Acks.both, tuple_for_both),
    (Acks.both, namedtuple_for_both),
    (Acks.both, varargs_for_both),
    (Acks.quiet, none_for_none),
    (Acks.quiet, any_for_none),
]


@pytest.mark.parametrize(("event", "handler"), ACCEPTED, ids=[h.__name__ for _, h in ACCEPTED])
def test_what_is_not_plainly_contradictory_is_accepted(event: Event, handler: Any) -> None:
    check_handler(event, handler, skip=1)


# -- a client's handlers against the declared emit ----------------------------------------


class Game(EventRegistry, namespace="/game"):
    moved = Emit(Move, ack=Ok)
    told = Emit(Move)
    heard = Emit(Move, ack=None)
    paired = Emit((int, str))


def clients() -> list[Any]:
    return [Client(registry=Game), AsyncClient(registry=Game)]


@pytest.mark.parametrize("client", clients(), ids=["sync", "async"])
def test_a_client_handler_that_contradicts_its_emit_is_refused(client: Any) -> None:
    with pytest.raises(SioSchemaError) as caught:

        @client.on(Game.moved)
        def bad(m: str) -> None: ...

    assert str(caught.value) == (
        "handler `test_a_client_handler_that_contradicts_its_emit_is_refused.<locals>.bad` "
        "of <Emit Game.moved 'moved'>: parameter `m` is annotated `str`, but the payload is "
        "declared `Move`"
    )

    def returns_none(m: Move) -> None: ...

    with pytest.raises(SioSchemaError) as caught:
        client.on(Game.moved, returns_none)  # the non-decorator form too
    assert str(caught.value).endswith(
        "of <Emit Game.moved 'moved'> is annotated to return `None`, but the ack is declared "
        "`Ok`: the server would get an `internal_error` after the handler ran"
    )

    async def returns_str(m: Move) -> str:
        return ""

    with pytest.raises(SioSchemaError) as caught:
        client.on(Game.moved, returns_str)
    assert str(caught.value).endswith(
        "of <Emit Game.moved 'moved'> is annotated to return `str`, but the ack is declared `Ok`"
    )

    def returns_ok(m: Move) -> Ok:
        return Ok(ok=True)

    with pytest.raises(SioSchemaError) as caught:
        client.on(Game.heard, returns_ok)
    assert str(caught.value).endswith(
        "of <Emit Game.heard 'heard'> is annotated to return `Ok`, but the event declares no "
        "ack (`ack=None`): declare the ack, or return nothing"
    )

    with pytest.raises(SioSchemaError) as caught:
        client.on(Game.paired, lambda n: None)
    assert str(caught.value).endswith(
        "of <Emit Game.paired 'paired'> cannot take 2 payload argument(s) "
        "(declared payload: `int`, `str`)"
    )
    assert client.handlers == {}  # nothing refused was registered


@pytest.mark.parametrize("client", clients(), ids=["sync", "async"])
def test_a_client_handler_that_fits_its_emit_is_registered(client: Any) -> None:
    @client.on(Game.moved)
    def moved(m: Move) -> Ok:
        return Ok(ok=True)

    @client.on(Game.moved)
    async def moved_async(m: Annotated[Move, "why"]) -> dict[str, bool]:
        return {"ok": True}

    def told(m: Move) -> str:  # an emit without `ack=`: the return value is not judged
        return "anything"

    client.on(Game.told, told)

    @client.on(Game.heard)
    def heard(m: Any) -> None: ...

    @client.on(Game.paired)
    def paired(n: int, s: str) -> None: ...

    @client.on("free-form")
    def free(*args: Any) -> int:
        return 1

    assert client.handlers["/game"]["told"] is told
    assert client.handlers["/game"]["paired"] is paired
