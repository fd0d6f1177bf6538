"""Application errors without sockets: the checks of ``errors=``, the envelope the core
builds for a ``Reject``, and the ``Rejected[T]`` exceptions."""

from __future__ import annotations

import logging
import pickle
from typing import Annotated, Any, Generic

import msgspec
import pytest
from socketio.packet import Packet
from typing_extensions import TypeVar

from sioschema import (
    Emit,
    Event,
    EventRegistry,
    PayloadError,
    RegistryError,
    Reject,
    Rejected,
    RequestRejected,
)
from sioschema._core import Core, Deliver, Reply
from sioschema.errors import MAX_MESSAGE, PROTOCOL_CODES
from sioschema.inspect import info


class NotYourTurn(msgspec.Struct, tag="not_your_turn"):
    """It is not your turn.

    The other player moves first."""

    expected: str


class GameOver(msgspec.Struct, tag="game_over", tag_field="kind"):
    winner: str


class Banned(msgspec.Struct, tag="banned"):
    """You are banned."""

    until: Annotated[int, msgspec.Meta(ge=0)]


class Move(msgspec.Struct):
    x: int


class Game(EventRegistry, errors=[Banned]):
    move = Event(request=Move, ack=int, errors=[NotYourTurn, GameOver])
    plain = Event(request=Move, ack=int)
    again = Event(request=Move, ack=int, errors=[Banned])
    ask = Emit(int, ack=int, errors=[NotYourTurn])


# -- the checks of errors= ------------------------------------------------------------


def registry_error(**event: Any) -> str:
    with pytest.raises(RegistryError) as caught:

        class Broken(EventRegistry):
            e = Event(request=int, ack=int, **event)

    return str(caught.value)


def test_the_declared_errors_of_an_event_then_the_registrys() -> None:
    assert [e.code for e in Game.move.errors] == ["not_your_turn", "game_over", "banned"]
    assert [e.code for e in Game.plain.errors] == ["banned"]
    assert Game.move.error_types[NotYourTurn].code == "not_your_turn"
    assert Game.move.error_codes["game_over"].type is GameOver
    found = Game.move.error_codes["not_your_turn"]
    assert found.description == "It is not your turn.\n\nThe other player moves first."
    assert found.message == "It is not your turn."
    assert Game.move.error_codes["game_over"].message == "game_over"  # no docstring
    assert [e.code for e in Game.ask.errors] == ["not_your_turn"]  # emits: their own only
    assert [e.type for e in info(Game).errors] == [Banned]


def test_an_untagged_struct_is_refused() -> None:
    class Untagged(msgspec.Struct):
        reason: str

    assert "has no string tag" in registry_error(errors=[Untagged])


def test_an_int_tag_is_refused() -> None:
    class Numbered(msgspec.Struct, tag=7):
        reason: str

    assert "has no string tag" in registry_error(errors=[Numbered])


@pytest.mark.parametrize("entry", [int, dict[str, int], "not_your_turn"])
def test_an_entry_that_is_not_a_struct_is_refused(entry: Any) -> None:
    assert "is not a msgspec Struct" in registry_error(errors=[entry])


@pytest.mark.parametrize("code", ["internal_error", "forbidden", "invalid_payload"])
def test_a_protocol_code_is_refused(code: str) -> None:
    assert code in PROTOCOL_CODES
    clash = msgspec.defstruct("Clash", [("x", int)], tag=code)
    assert f"uses the code `{code}`" in registry_error(errors=[clash])


def test_a_code_used_twice_in_an_event_is_refused() -> None:
    class Other(msgspec.Struct, tag="not_your_turn"):
        pass

    assert "declared by both" in registry_error(errors=[NotYourTurn, Other])
    assert "NotYourTurn twice" in registry_error(errors=[NotYourTurn, NotYourTurn])


def test_a_code_of_the_registry_used_by_an_event_is_refused() -> None:
    class Other(msgspec.Struct, tag="banned"):
        pass

    with pytest.raises(RegistryError, match="the error code `banned` is declared by both"):

        class Broken(EventRegistry, errors=[Banned]):
            e = Event(request=int, ack=int, errors=[Other])


def test_a_registry_error_listed_again_by_an_event_is_fine() -> None:
    assert [e.type for e in Game.again.errors] == [Banned]


def test_a_registry_error_listed_twice_by_the_registry_is_refused() -> None:
    with pytest.raises(RegistryError, match="Banned twice"):

        class Broken(EventRegistry, errors=[Banned, Banned]):
            e = Event()


def test_errors_must_be_a_list_not_a_bare_type() -> None:
    assert "errors= takes a list of error types" in registry_error(errors=NotYourTurn)
    with pytest.raises(RegistryError, match="errors= takes a list"):

        class Broken(EventRegistry, errors=Banned):  # type: ignore[arg-type]
            e = Event()


def test_an_emit_with_errors_needs_an_ack() -> None:
    with pytest.raises(RegistryError, match="errors= answer an ack"):

        class Broken(EventRegistry):
            told = Emit(int, errors=[NotYourTurn])


def test_a_bigint_in_an_error_type_is_refused() -> None:
    class Huge(msgspec.Struct, tag="huge"):
        n: Annotated[int, msgspec.Meta(extra={"bigint": True})]

    assert "bigint" in registry_error(errors=[Huge])


# -- the envelope of a Reject ---------------------------------------------------------


def core_for(registry: type[EventRegistry] = Game, **kwargs: Any) -> Core:
    class Sessions:
        def sid(self, eio_sid: str, namespace: str) -> str | None:
            return "s1"

        def awaits_ack(self, sid: str, id: int) -> bool:
            return False

        def handles(self, namespace: str, name: str) -> bool:
            return True

    core = Core(registry, side="server", **kwargs)
    core.attach(Sessions(), Packet.reconstruct_binary, raw_out=False)
    return core


def deliver(declared: Event | None = Game.move, id: int | None = 4) -> Deliver:
    name = "move" if declared is None else declared.name
    return Deliver("s1", "/", id, name, declared, (Move(1),))


def test_a_declared_error_is_the_envelope_with_its_data(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[PayloadError] = []
    core = core_for(on_payload_error=lambda error, sid: seen.append(error))
    with caplog.at_level(logging.DEBUG, logger="sioschema"):
        reply = core.failed(deliver(), Reject(NotYourTurn(expected="O")))
    assert reply == Reply(
        "/",
        4,
        {
            "error": {
                "code": "not_your_turn",
                "message": "It is not your turn.",
                "path": None,
                "event": "move",
                "data": {"type": "not_your_turn", "expected": "O"},
            }
        },
    )
    assert seen == []  # an answer of the application, not a bad message
    assert [r.levelno for r in caplog.records if r.name == "sioschema"] == [logging.DEBUG]
    # the data is what msgspec writes for the tagged struct: a custom tag field too
    over = core.failed(deliver(), Reject(GameOver(winner="X"), "The game is over"))
    assert over.reply["error"]["data"] == {"kind": "game_over", "winner": "X"}
    assert over.reply["error"]["message"] == "The game is over"
    assert over.reply["error"]["code"] == "game_over"
    # no docstring: the message is the code
    assert core.failed(deliver(), Reject(GameOver(winner="O"))).reply["error"]["message"] == (
        "game_over"
    )
    # a registry-wide error
    banned = core.failed(deliver(Game.plain), Reject(Banned(until=3)))
    assert banned.reply["error"]["data"] == {"type": "banned", "until": 3}
    assert banned.reply["error"]["event"] == "plain"


def test_the_message_is_written_free_of_markup_and_capped() -> None:
    core = core_for()
    reply = core.failed(deliver(), Reject(NotYourTurn("O"), "<script>alert(1)</script> a <= b"))
    assert reply.reply["error"]["message"] == ("\\u003cscript>alert(1)\\u003c/script> a <= b")
    long = core.failed(deliver(), Reject(NotYourTurn("O"), "<b>" + "x" * 5000))
    message = long.reply["error"]["message"]
    assert message.startswith("\\u003cb>xxx")
    assert len(message) == MAX_MESSAGE + 1
    assert message.endswith("\u2026")


def test_a_message_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(TypeError, match="must be a str or None"):
        Reject(NotYourTurn("O"), 3)  # type: ignore[arg-type]


def internal(reply: Reply, event: str = "move") -> None:
    assert reply.reply == {
        "error": {
            "code": "internal_error",
            "message": "Internal server error",
            "path": None,
            "event": event,
        }
    }


def test_an_undeclared_error_is_internal_error_logged(caplog: pytest.LogCaptureFixture) -> None:
    class Unlisted(msgspec.Struct, tag="unlisted"):
        pass

    seen: list[PayloadError] = []
    core = core_for(on_payload_error=lambda error, sid: seen.append(error))
    with caplog.at_level(logging.ERROR, logger="sioschema"):
        reply = core.failed(deliver(), Reject(Unlisted()))
    assert reply.id == 4
    internal(reply)
    (record,) = [r for r in caplog.records if r.name == "sioschema"]
    assert record.levelno == logging.ERROR
    text = record.getMessage()
    assert "`move`" in text
    assert "Unlisted" in text
    assert "not_your_turn, game_over, banned" in text
    assert [e.code for e in seen] == ["internal_error"]
    assert isinstance(seen[0].__cause__, Reject)


def test_an_error_of_a_plain_type_is_internal_error() -> None:
    internal(core_for().failed(deliver(), Reject({"type": "not_your_turn", "expected": "O"})))


def test_invalid_data_is_internal_error(caplog: pytest.LogCaptureFixture) -> None:
    core = core_for()
    with caplog.at_level(logging.ERROR, logger="sioschema"):
        internal(core.failed(deliver(Game.plain), Reject(Banned(until=-1))), "plain")
        internal(core.failed(deliver(), Reject(NotYourTurn(expected=5))))  # type: ignore[arg-type]
    messages = [r.getMessage() for r in caplog.records if r.name == "sioschema"]
    assert len(messages) == 2
    assert all("breaks its type" in m for m in messages)
    assert "`plain`" in messages[0]
    assert "Banned" in messages[0]


def test_a_reject_from_an_undeclared_handler_is_internal_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="sioschema"):
        internal(core_for().failed(deliver(None), Reject(NotYourTurn("O"))))
    assert "it declares no errors" in caplog.text


def test_without_an_ack_the_error_event_carries_the_envelope() -> None:
    reply = core_for().failed(deliver(id=None), Reject(NotYourTurn("X")))
    assert reply.id is None
    assert reply.reply["error"]["code"] == "not_your_turn"
    assert reply.reply["error"]["data"] == {"type": "not_your_turn", "expected": "X"}


def test_a_subclass_of_reject_is_a_failure_of_the_handler() -> None:
    """Only ``Reject`` itself answers with a declared error (``type(exc) is Reject``)."""

    class Mine(Reject):
        pass

    internal(core_for().failed(deliver(), Mine(NotYourTurn("O"))))


# -- the rejections received ----------------------------------------------------------


def envelope(code: str, data: Any) -> dict[str, Any]:
    body = {"code": code, "message": "m", "path": None, "event": "ask", "data": data}
    return {"error": body}


def test_a_server_reads_a_declared_error_of_an_emit_as_rejected() -> None:
    core = core_for()
    with pytest.raises(Rejected[NotYourTurn]) as caught:
        ok = {"type": "not_your_turn", "expected": "O"}
        core.read_ack(Game.ask, "/", (envelope("not_your_turn", ok),))
    assert caught.value.data == NotYourTurn(expected="O")
    # data that breaks the type, lacks the tag or carries another one
    for data in (
        {"type": "not_your_turn", "expected": 1},
        {"expected": "O"},
        {"type": "game_over", "expected": "O"},
    ):
        with pytest.raises(PayloadError) as broken:
            core.read_ack(Game.ask, "/", (envelope("not_your_turn", data),))
        assert broken.value.code == "invalid_ack"
        assert not isinstance(broken.value, RequestRejected)
    # a code the emit does not declare is the server's ack as sent, checked as the ack
    with pytest.raises(PayloadError) as other:
        core.read_ack(Game.ask, "/", (envelope("game_over", None),))
    assert other.value.code == "invalid_ack"
    assert core.read_ack(Game.ask, "/", (3,)) == (3,)
    assert broken.value.code == "invalid_ack"
    assert not isinstance(broken.value, RequestRejected)


# -- Rejected[T] ----------------------------------------------------------------------


def rejected(data: Any = None) -> Rejected[NotYourTurn]:
    typed = Rejected[NotYourTurn]
    return typed(
        "not_your_turn", "move", "It is not your turn.", path=None, namespace="/", data=data
    )


def test_rejected_of_a_type_is_one_cached_subclass() -> None:
    assert Rejected[NotYourTurn] is Rejected[NotYourTurn]
    assert Rejected[NotYourTurn] is not Rejected[GameOver]  # type: ignore[comparison-overlap]
    assert issubclass(Rejected[NotYourTurn], Rejected)
    assert issubclass(Rejected[NotYourTurn], RequestRejected)
    assert Rejected[NotYourTurn].error_type is NotYourTurn
    assert Rejected.error_type is None
    error = rejected(NotYourTurn("O"))
    with pytest.raises(Rejected) as caught:
        raise error
    assert caught.value is error
    try:
        raise error
    except Rejected[GameOver]:  # pragma: no cover
        pytest.fail("caught by the Rejected of another type")
    except Rejected[NotYourTurn] as typed:
        assert typed.data.expected == "O"
    assert (error.code, error.event, error.detail, error.kind) == (
        "not_your_turn",
        "move",
        "It is not your turn.",
        "reply",
    )


def test_rejected_and_request_rejected_pickle_with_their_data() -> None:
    error = rejected(NotYourTurn("O"))
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is Rejected[NotYourTurn]
    assert again.data == NotYourTurn("O")
    assert (again.code, again.event, again.detail, again.path, again.namespace) == (
        "not_your_turn",
        "move",
        "It is not your turn.",
        None,
        "/",
    )
    assert str(again) == str(error)
    plain = RequestRejected(
        "other", "move", "No", path="$.x", namespace="/game", data={"raw": [1, 2]}
    )
    copied = pickle.loads(pickle.dumps(plain))
    assert type(copied) is RequestRejected
    assert copied.data == {"raw": [1, 2]}
    assert (copied.code, copied.path, copied.namespace) == ("other", "$.x", "/game")
    assert str(copied) == str(plain)


def test_from_reply_keeps_the_raw_data() -> None:
    found = RequestRejected.from_reply(envelope("other", {"a": 1}), "/")
    assert found is not None
    assert type(found) is RequestRejected
    assert found.data == {"a": 1}
    no_data = RequestRejected.from_reply(envelope("other", None), "/")
    assert no_data is not None
    assert no_data.data is None


T = TypeVar("T")


class Holder(Generic[T]):
    def __init__(self, error: Rejected[T]) -> None:
        self.error = error


def test_rejected_of_a_type_variable_is_a_generic_alias() -> None:
    alias = Rejected[T]
    assert alias is not Rejected
    assert not isinstance(alias, type)
    assert alias.__origin__ is Rejected
    assert alias.__args__ == (T,)
    assert Holder(rejected()).error.error_type is NotYourTurn
