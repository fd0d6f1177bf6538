"""Declaration checks: every mistake fails at class creation with a precise message."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypedDict

import attrs
import msgspec
import pytest

import sioschema
from sioschema import Emit, Event, EventRegistry, PayloadError, RegistryError, SioSchemaError
from sioschema.inspect import by_namespace, info


class Move(msgspec.Struct):
    x: Annotated[int, msgspec.Meta(ge=0, le=2)]


def test_public_surface_is_pinned() -> None:
    assert sioschema.__all__ == [
        "DeclaredError",
        "Emit",
        "Event",
        "EventRegistry",
        "Limits",
        "PayloadError",
        "RegistryError",
        "Reject",
        "Rejected",
        "RequestRejected",
        "Several",
        "SioSchemaError",
    ]
    assert issubclass(sioschema.RequestRejected, PayloadError)
    assert issubclass(sioschema.Rejected, sioschema.RequestRejected)
    assert issubclass(sioschema.Reject, SioSchemaError)
    assert issubclass(RegistryError, SioSchemaError)
    assert issubclass(PayloadError, SioSchemaError)
    assert issubclass(PayloadError, ValueError)


def test_declaration_is_read_back() -> None:
    class Game(EventRegistry, namespace="/game", title="Game", version="2.0.0"):
        """The game.

        More text."""

        moved = Emit(Move)
        move = Event(request=Move, ack=Move, emits=[moved])
        say = Event(request=(str, int), name="chat:say")

    found = info(Game)
    assert (found.namespace, found.title, found.version) == ("/game", "Game", "2.0.0")
    assert found.description == "The game.\n\nMore text."
    assert list(found.events) == ["move", "chat:say"]
    assert list(found.emits) == ["moved"]
    assert Game.say.name == "chat:say"
    assert Game.say.request == (str, int)
    assert Game.move.emits == (Game.moved,)
    assert Game.moved.namespace == "/game"
    assert Game.moved.ack is None


def fails(body: dict[str, Any], message: str, **options: Any) -> None:
    with pytest.raises(RegistryError) as exc_info:
        type("Bad", (EventRegistry,), body, **options)
    assert str(exc_info.value) == message


def test_reserved_names() -> None:
    for name in [
        "connect",
        "disconnect",
        "connect_error",
        "disconnecting",
        "newListener",
        "removeListener",
    ]:
        fails({"e": Event(name=name)}, f"Bad.e: `{name}` is reserved by Socket.IO")
    fails({"connect": Emit(int)}, "Bad.connect: `connect` is reserved by Socket.IO")


def test_duplicate_names() -> None:
    fails(
        {"a": Event(request=int), "b": Event(name="a")},
        "Bad.b: duplicate client event name `a` (also a)",
    )
    fails({"a": Emit(int), "b": Emit(str, name="a")}, "Bad.b: duplicate emit name `a` (also a)")


def test_event_and_emit_may_share_a_name() -> None:
    class Echo(EventRegistry):
        ping = Event(request=int)
        pong = Emit(int, name="ping")

    assert info(Echo).events["ping"] is Echo.ping
    assert info(Echo).emits["ping"] is Echo.pong


class Other(EventRegistry):
    elsewhere = Emit(int)


def test_emits_must_be_declared_here() -> None:
    fails(
        {"e": Event(emits=[Other.elsewhere])},
        "Bad.e: emits entry <Emit Other.elsewhere 'elsewhere'> is not an Emit declared in Bad",
    )
    fails(
        {"e": Event(emits=["nope"])},  # type: ignore[list-item]
        "Bad.e: emits entry 'nope' is not an Emit declared in Bad",
    )


def test_unsupported_type() -> None:
    class NotSerialisable:
        pass

    with pytest.raises(
        RegistryError,
        match=r"^Bad.e request: unsupported type: type <class "
        r"'.*NotSerialisable'> is not supported$",
    ):
        type("Bad", (EventRegistry,), {"e": Event(request=NotSerialisable)})


@pytest.mark.parametrize("big", ["literal", "enum"])
def test_literal_and_enum_values_beyond_int64(big: str) -> None:
    # msgspec cannot decode them (it raises NotImplementedError when it plans the type)
    declared: Any = Literal[2**70] if big == "literal" else enum.IntEnum("Huge", {"x": 2**70})
    with pytest.raises(RegistryError, match=r"^Bad.e request: unsupported type: Integer values"):
        type("Bad", (EventRegistry,), {"e": Event(request=declared)})


def test_unresolvable_forward_reference() -> None:
    class Late(msgspec.Struct):
        other: Missing  # type: ignore[name-defined]  # noqa: F821

    with pytest.raises(RegistryError, match=r"^Bad.e ack: unsupported type: "):
        type("Bad", (EventRegistry,), {"e": Event(ack=Late)})


def test_bad_namespace_and_subclassing() -> None:
    fails({}, "Bad: namespace must start with '/' (got 'game')", namespace="game")

    class Base(EventRegistry):
        e = Event()

    with pytest.raises(RegistryError) as exc_info:
        type("Child", (Base,), {})
    assert str(exc_info.value) == (
        "Child: a registry cannot subclass another registry; declare a new one"
    )


def test_one_declaration_one_registry() -> None:
    shared = Emit(int)

    class First(EventRegistry):
        e = shared

    with pytest.raises(RegistryError, match=r"^Bad.e: this declaration already belongs to "):
        type("Bad", (EventRegistry,), {"e": shared})
    assert shared.registry is First


def test_registry_is_not_instantiated() -> None:
    class Api(EventRegistry):
        pass

    with pytest.raises(RegistryError):
        Api()


def test_one_registry_per_namespace() -> None:
    class A(EventRegistry, namespace="/x"):
        pass

    class B(EventRegistry, namespace="/x"):
        pass

    with pytest.raises(RegistryError) as exc_info:
        by_namespace([A, B])
    assert str(exc_info.value) == (
        "test_one_registry_per_namespace.<locals>.B and "
        "test_one_registry_per_namespace.<locals>.A both declare namespace `/x`; "
        "one registry per namespace"
    )
    with pytest.raises(RegistryError, match="is not an EventRegistry subclass"):
        info(int)  # type: ignore[arg-type]


@dataclass
class DC:
    a: int


class TD(TypedDict):
    a: int


@attrs.define
class AT:
    a: int


class Color(enum.Enum):
    RED = 1


class Cat(msgspec.Struct, tag=True):
    lives: int


class Dog(msgspec.Struct, tag=True):
    good: bool


@pytest.mark.parametrize(
    "tp",
    [
        Move,
        DC,
        TD,
        AT,
        Color,
        Literal["a", "b"],
        Cat | Dog,
        list[Move],
        dict[str, int],
        tuple[int, str],
        bytes,
        datetime.datetime,
        Annotated[str, msgspec.Meta(max_length=3)],
        int | None,
    ],
)
def test_supported_types(tp: Any) -> None:
    type("Ok", (EventRegistry,), {"e": Event(request=tp, ack=tp), "m": Emit(tp, ack=tp)})


def test_future_annotations_in_user_module() -> None:
    from tests.unit import future_types

    assert future_types.Api.move.request_codec.decode(({"to": {"x": 1}},), "move", "/") == (
        future_types.Jump(to=future_types.Spot(x=1)),
    )


# -- examples ----------------------------------------------------------------------------


class Sized(msgspec.Struct):
    n: Annotated[int, msgspec.Meta(ge=1, examples=[1, 2])]


def local(error: pytest.ExceptionInfo[RegistryError]) -> str:
    """The message without the ``test_x.<locals>.`` of a class made in a test."""
    return str(error.value).rsplit("<locals>.", 1)[-1]


def test_examples_are_kept_in_json_form() -> None:
    class Api(EventRegistry):
        told = Emit((int, Sized), examples=[(1, Sized(n=2))])
        ask = Event(request=Sized, examples=[Sized(n=3), {"n": 4}])

    assert Api.ask.examples == ({"n": 3}, {"n": 4})
    assert Api.told.examples == ([1, {"n": 2}],)


@pytest.mark.parametrize(
    ("example", "message"),
    [
        ({"n": 0}, "Api.ask request: example {'n': 0} is invalid: Expected `int` >= 1 - at `$.n`"),
        (
            {"n": "1"},
            "Api.ask request: example {'n': '1'} is invalid: Expected `int`, got `str` - at `$.n`",
        ),
        ({}, "Api.ask request: example {} is invalid: Object missing required field `n`"),
    ],
)
def test_a_wrong_event_example_fails_the_registry(example: Any, message: str) -> None:
    with pytest.raises(RegistryError) as info:

        class Api(EventRegistry):
            ask = Event(request=Sized, examples=[example])

    assert local(info) == message


def test_a_wrong_emit_example_fails_the_registry() -> None:
    with pytest.raises(RegistryError) as info:

        class Api(EventRegistry):
            told = Emit((int, str), examples=[(1,)])

    assert local(info) == "Api.told payload: example (1,) is invalid: Expected 2 arguments, got 1"


def test_a_wrong_meta_example_fails_the_registry() -> None:
    class Bad(msgspec.Struct):
        n: Annotated[int, msgspec.Meta(ge=1, examples=[0])]

    with pytest.raises(RegistryError) as info:

        class Api(EventRegistry):
            ask = Event(ack=list[dict[str, Bad]])

    assert local(info) == "Api.ask ack: example 0 of `int` is invalid: Expected `int` >= 1"


def test_meta_examples_are_checked_in_every_kind_of_class() -> None:
    @dataclass
    class InDataclass:
        n: Annotated[int, msgspec.Meta(le=9, examples=[10])]

    class InTypedDict(TypedDict):
        n: Annotated[str, msgspec.Meta(max_length=1, examples=["ab"])]

    @attrs.define
    class InAttrs:
        n: Annotated[float, msgspec.Meta(gt=0, examples=[0.0])]

    for cls in (InDataclass, InTypedDict, InAttrs):
        with pytest.raises(RegistryError, match="example .* is invalid"):

            class Api(EventRegistry):
                ask = Event(request=cls)


def test_asyncapi_public_surface_is_pinned() -> None:
    from sioschema import asyncapi

    assert asyncapi.__all__ == [
        "VERSIONS",
        "AsyncAPIVersion",
        "render",
        "render_html",
        "to_json",
        "to_yaml",
    ]
