"""The protocol core without sockets: frames in, typed actions out, both directions."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from socketio.packet import Packet

from sioschema import Emit, Event, EventRegistry, Limits, PayloadError, SioSchemaError
from sioschema._core import (
    REFUSED_ACK,
    Acked,
    AckRefused,
    Close,
    Connect,
    ConnectRefused,
    Core,
    Deliver,
    Disconnect,
    Refuse,
    Reply,
    refusal,
)
from sioschema.client import ClientLimits


class Move(msgspec.Struct, forbid_unknown_fields=True):
    x: int
    y: int


class Board(msgspec.Struct):
    cells: list[int]


class Login(msgspec.Struct):
    token: str


class Game(EventRegistry, auth=Login):
    moved = Emit(Board)
    ask = Emit(int, ack=Move)
    move = Event(request=Move, ack=Board, emits=[moved])
    files = Event(request=bytes, ack=int)
    tally = Event(request=dict[int, int], ack=int)


class FakeSessions:
    """Connections and handlers as the Socket.IO library would keep them."""

    def __init__(self, handled: set[str] | None = None) -> None:
        self.joined: dict[tuple[str, str], str] = {("e1", "/"): "s1"}
        self.awaited: set[tuple[str, int]] = set()
        self.handled = handled if handled is not None else {"move", "files", "tally"}

    def sid(self, eio_sid: str, namespace: str) -> str | None:
        return self.joined.get((eio_sid, namespace))

    def awaits_ack(self, sid: str, id: int) -> bool:
        return (sid, id) in self.awaited

    def handles(self, namespace: str, name: str) -> bool:
        return name in self.handled


def core_for(side: Any = "server", **kwargs: Any) -> tuple[Core, FakeSessions]:
    core = Core(Game, side=side, **kwargs)
    sessions = FakeSessions()
    core.attach(sessions, Packet.reconstruct_binary, raw_out=False)
    return core, sessions


def test_a_declared_event_is_delivered_typed() -> None:
    core, _ = core_for()
    (action,) = core.receive("e1", '21["move",{"x":1,"y":2}]')
    assert action == Deliver("s1", "/", 1, "move", Game.move, (Move(1, 2),))


def test_the_fast_and_the_screened_path_deliver_the_same() -> None:
    core, _ = core_for()
    fast = core.receive("e1", '2["tally",{"1":3}]')
    # a header form the one-pass codec does not split goes through screening
    screened = core.receive("e1", '2 ["tally",{"1":3}]')
    assert fast == screened == [Deliver("s1", "/", None, "tally", Game.tally, ({1: 3},))]


def test_an_invalid_payload_is_answered_not_delivered() -> None:
    core, _ = core_for()
    (action,) = core.receive("e1", '27["move",{"x":"1","y":2}]')
    assert type(action) is Reply
    assert action.id == 7
    error = action.reply["error"]
    assert (error["code"], error["path"], error["event"]) == ("invalid_payload", "$.x", "move")


def test_an_event_without_handler_is_unknown() -> None:
    core, sessions = core_for()
    sessions.handled.discard("move")
    (action,) = core.receive("e1", '23["move",{"x":1,"y":2}]')
    assert type(action) is Reply
    assert action.reply["error"]["code"] == "unknown_event"


def test_an_undeclared_handled_event_is_delivered_as_received() -> None:
    core, sessions = core_for()
    sessions.handled.add("chat")
    (action,) = core.receive("e1", '2["chat",{"a":[1]},2]')
    assert action == Deliver("s1", "/", None, "chat", None, [{"a": [1]}, 2])


def test_a_frame_of_a_namespace_not_joined_is_refused() -> None:
    core, _ = core_for()
    (action,) = core.receive("e1", '2/other,["move",{"x":1,"y":2}]')
    assert type(action) is Refuse
    assert action.namespace == "/other"
    assert action.data["data"]["error"]["code"] == "unknown_namespace"


def test_connect_auth_is_checked_and_typed() -> None:
    core, _ = core_for()
    assert core.receive("e2", '0{"token":"t"}') == [Connect("/", Login("t"))]
    (refused,) = core.receive("e2", '0{"token":5}')
    assert type(refused) is Refuse
    assert refused.data["data"]["error"]["code"] == "invalid_auth"
    (missing,) = core.receive("e2", "0")
    assert type(missing) is Refuse


def test_disconnect() -> None:
    core, _ = core_for()
    assert core.receive("e1", "1") == [Disconnect("/")]


def test_acks_are_passed_on_only_when_awaited() -> None:
    core, sessions = core_for()
    (unknown,) = core.receive("e1", '34[{"x":1,"y":2}]')
    assert type(unknown) is Reply
    assert unknown.reply["error"]["code"] == "bad_packet"
    sessions.awaited.add(("s1", 4))
    assert core.receive("e1", '34[{"x":1,"y":2}]') == [Acked("s1", "/", 4, [{"x": 1, "y": 2}])]


def test_a_binary_event_waits_for_its_attachments() -> None:
    core, _ = core_for()
    assert core.receive("e1", '51-9["files",{"_placeholder":true,"num":0}]') == []
    assert core.expects_attachment("e1")
    (action,) = core.receive("e1", b"\x00\x01")
    assert action == Deliver("s1", "/", 9, "files", Game.files, (b"\x00\x01",))
    assert not core.expects_attachment("e1")


def test_a_text_frame_where_an_attachment_was_due_is_refused_and_read() -> None:
    core, _ = core_for()
    core.receive("e1", '51-["files",{"_placeholder":true,"num":0}]')
    refused, delivered = core.receive("e1", '2["move",{"x":1,"y":2}]')
    assert type(refused) is Reply
    assert refused.reply["error"]["code"] == "bad_packet"
    assert type(delivered) is Deliver


def test_a_binary_frame_outside_a_packet_closes() -> None:
    core, _ = core_for()
    assert [type(a) for a in core.receive("e1", b"\x00")] == [Close]


def test_limits_are_answered() -> None:
    core, _ = core_for(limits=Limits(max_payload_bytes=64, max_depth=2))
    (large,) = core.receive("e1", '2["move",{"x":1,"y":2,"pad":"' + "a" * 80 + '"}]')
    (deep,) = core.receive("e1", '2["tally",[[[[1]]]]]')
    (nan,) = core.receive("e1", '2["tally",NaN]')
    codes = [a.reply["error"]["code"] for a in (large, deep, nan)]  # type: ignore[union-attr]
    assert codes == ["payload_too_large", "payload_too_deep", "invalid_number"]


def test_in_flight_is_counted_per_connection() -> None:
    core, _ = core_for(limits=Limits(max_in_flight=2))
    assert core.enter("e1") and core.enter("e1")
    assert not core.enter("e1")
    assert core.enter("e2")
    core.leave("e1")
    assert core.enter("e1")
    core.forget("e1")
    assert "e1" not in core.in_flight


def test_a_packet_another_serializer_decoded_is_screened_the_same() -> None:
    core, _ = core_for()
    (typed,) = core.receive_decoded("e1", 2, "/", 3, ["move", {"x": 1, "y": 2}])
    assert typed == Deliver("s1", "/", 3, "move", Game.move, (Move(1, 2),))
    (invalid,) = core.receive_decoded("e1", 2, "/", None, ["move", {"x": "a", "y": 2}])
    nested: Any = 1
    for _ in range(40):
        nested = [nested]
    (deep,) = core.receive_decoded("e1", 2, "/", None, ["tally", nested])
    (nan,) = core.receive_decoded("e1", 2, "/", None, ["tally", float("nan")])
    (big,) = core.receive_decoded("e1", 2, "/", None, ["tally", {1: 2**70}])
    errors = [a.reply["error"] for a in (invalid, deep, nan, big)]  # type: ignore[union-attr]
    assert [e["code"] for e in errors] == [
        "invalid_payload",
        "payload_too_deep",
        "invalid_number",
        "invalid_number",
    ]
    assert {e["event"] for e in errors} == {"move", "tally"}
    assert [type(a) for a in core.undecodable("e1", "Invalid packet")] == [Reply]


def test_ack_data_checks_a_declared_ack() -> None:
    core, _ = core_for()
    assert core.ack_data(Game.move, Board([1]), "/") == [{"cells": [1]}]
    with pytest.raises(PayloadError) as caught:
        core.ack_data(Game.move, {"cells": "x"}, "/")
    assert caught.value.code == "internal_error"
    assert core.ack_data(None, (1, 2), "/") == [1, 2]
    assert core.ack_data(None, None, "/") == []


def test_outgoing_checks_emits_on_a_server_and_events_on_a_client() -> None:
    server, _ = core_for()
    assert server.outgoing(Game.moved, Board([0]), None)[1] == {"cells": [0]}
    with pytest.raises(PayloadError):
        server.outgoing(Game.moved, {"cells": "x"}, None)
    with pytest.raises(SioSchemaError, match="client -> server"):
        server.outgoing(Game.move, Move(1, 2), None)
    client, _ = core_for("client")
    assert client.outgoing(Game.move, Move(1, 2), None)[1] == {"x": 1, "y": 2}
    assert client.outgoing("move", {"x": 1, "y": 2}, None)[3] is Game.move
    with pytest.raises(PayloadError):
        client.outgoing(Game.move, {"x": "1", "y": 2}, None)
    with pytest.raises(SioSchemaError, match="server -> client"):
        client.outgoing(Game.moved, Board([0]), None)


def test_a_client_receives_server_emits_typed() -> None:
    core, _ = core_for("client")
    (fast,) = core.receive("e1", '2["moved",{"cells":[1,2]}]')
    assert fast == Deliver("s1", "/", None, "moved", Game.moved, (Board([1, 2]),))
    (asked,) = core.receive("e1", '25["ask",3]')
    assert asked == Deliver("s1", "/", 5, "ask", Game.ask, (3,))
    (invalid,) = core.receive("e1", '2["moved",{"cells":"x"}]')
    assert type(invalid) is Reply
    assert invalid.reply["error"]["path"] == "$.cells"
    # undeclared server events reach the client's handlers as received
    assert core.receive("e1", '2["news",1]') == [Deliver("s1", "/", None, "news", None, [1])]


def test_a_client_answers_a_server_call_with_a_checked_ack() -> None:
    core, _ = core_for("client")
    assert core.ack_data(Game.ask, Move(0, 1), "/") == [{"x": 0, "y": 1}]
    with pytest.raises(PayloadError):
        core.ack_data(Game.ask, {"x": "no"}, "/")


def test_a_client_sees_connect_and_connect_error() -> None:
    core, _ = core_for("client")
    assert core.receive("e1", '0{"sid":"abc"}') == [Connect("/", {"sid": "abc"})]
    assert core.receive("e1", '4{"message":"no"}') == [ConnectRefused("/", {"message": "no"})]


def test_a_client_holds_events_sent_before_the_connect(caplog: pytest.LogCaptureFixture) -> None:
    """Events for a namespace being joined wait for its CONNECT, then come out in order,
    validated; at most ``max_early_events``, the rest refused (logged, an ack answered)."""
    core, sessions = core_for("client", limits=ClientLimits(max_early_events=3))
    del sessions.joined[("e1", "/")]
    core.joining(["/"])
    assert core.receive("e1", '2["moved",{"cells":[1]}]') == []
    assert core.receive("e1", '2["moved",{"cells":"x"}]') == []
    assert core.receive("e1", '51-["news",{"_placeholder":true,"num":0}]') == []
    assert core.receive("e1", b"\x01") == []  # its attachment: held with it
    with caplog.at_level("WARNING", logger="sioschema"):
        (over,) = core.receive("e1", '27["moved",{"cells":[2]}]')
    assert over == Reply("/", 7, over.reply)
    assert over.reply["error"]["code"] == "rate_limited"
    assert "rejected 'moved' from e1 on /: rate_limited" in caplog.text
    (other,) = core.receive("e1", '2/other,["news",1]')  # a namespace not being joined
    assert type(other) is Refuse
    assert other.data["data"]["error"]["code"] == "unknown_namespace"
    assert core.receive("e1", '0{"sid":"s1"}') == [Connect("/", {"sid": "s1"})]
    sessions.joined[("e1", "/")] = "s1"
    first, invalid, binary = core.release("e1", "/")
    assert first == Deliver("s1", "/", None, "moved", Game.moved, (Board([1]),))
    assert type(invalid) is Reply
    assert invalid.reply["error"]["path"] == "$.cells"
    assert binary == Deliver("s1", "/", None, "news", None, [b"\x01"])
    assert core.release("e1", "/") == []
    assert not core.holds("/")


def test_a_client_drops_held_events_when_refused_or_closed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    core, sessions = core_for("client")
    del sessions.joined[("e1", "/")]
    with caplog.at_level("WARNING", logger="sioschema"):
        core.joining(["/"])
        core.receive("e1", '2["news",1]')
        assert core.receive("e1", '4{"message":"no"}') == [ConnectRefused("/", {"message": "no"})]
        assert not core.holds("/")
        assert "dropped 1 events sent before / connected: the server refused it" in caplog.text
        core.joining(["/"])
        core.receive("e1", '2["news",1]')
        core.receive("e1", '2["news",2]')
        core.forget("e1")
        assert "dropped 2 events sent before / connected: the connection closed" in caplog.text
    # after the refusal, a later event for the namespace is refused again
    (late,) = core.receive("e1", '2["news",1]')
    assert type(late) is Refuse
    assert late.data["data"]["error"]["code"] == "unknown_namespace"


def test_held_events_are_bounded_in_bytes() -> None:
    core, sessions = core_for("client", limits=ClientLimits(max_payload_bytes=100))
    del sessions.joined[("e1", "/")]
    core.joining(["/"])
    assert core.receive("e1", '2["news","' + "x" * 60 + '"]') == []
    (over,) = core.receive("e1", '2["news","' + "y" * 60 + '"]')
    assert over.reply["error"]["code"] == "payload_too_large"


def test_a_client_defaults_to_client_limits() -> None:
    assert core_for("client")[0].limits == ClientLimits()
    assert ClientLimits().max_payload_bytes == 4 * 1024 * 1024
    assert core_for("server")[0].limits == Limits()


def test_a_checked_callback_types_the_ack_or_drops_it(caplog: pytest.LogCaptureFixture) -> None:
    core, _ = core_for()
    got: list[Any] = []
    callback = core.checked_callback(Game.ask, "/", lambda *args: got.append(args))
    callback({"x": 1, "y": 2})
    callback({"x": "a"})
    assert got == [(Move(1, 2),)]
    assert "dropped the ack of 'ask' from  on /: invalid_ack at $.x" in caplog.text
    assert core.read_ack(Game.ask, "/", ({"x": 1, "y": 2},)) == (Move(1, 2),)
    with pytest.raises(PayloadError) as caught:
        core.read_ack(Game.ask, "/", ({"x": "a"},))
    assert caught.value.code == "invalid_ack"


# -- refused acks: the waiter fails at once ---------------------------------------------


REFUSED_ACKS = [
    ("[1180591620717411303424]", "invalid_number", "Integer out of the int64 range"),
    ("[NaN]", "invalid_number", "NaN and Infinity are not JSON"),
    ('["' + "x" * 100_000 + '"]', "payload_too_large", "Packet larger than 100000 bytes"),
    ("[" * 40 + "]" * 40, "payload_too_deep", "Nesting deeper than 32"),
    ("[1,", "bad_packet", "Invalid JSON: Input data was truncated"),
    ('{"a":1}', "bad_packet", "Ack data must be an array"),
    (
        '[{"sioschema:refused_ack":{"code":"invalid_number","message":"forged"}}]',
        "bad_packet",
        "The ack uses the reserved key `sioschema:refused_ack`",
    ),
]


@pytest.mark.parametrize(("body", "code", "detail"), REFUSED_ACKS)
def test_a_refused_ack_we_wait_for_fails_its_waiter(
    body: str, code: str, detail: str, caplog: pytest.LogCaptureFixture
) -> None:
    """No error event for the peer, no log line here: the callback reports it."""
    core, sessions = core_for()
    sessions.awaited.add(("s1", 4))
    with caplog.at_level("DEBUG", logger="sioschema"):
        actions = core.receive("e1", "34" + body)
    assert actions == [AckRefused("s1", "/", 4, code, detail)]  # type: ignore[arg-type]
    assert caplog.records == []
    marker = actions[0].args  # type: ignore[union-attr]
    assert marker == [{REFUSED_ACK: {"code": code, "message": detail, "sid": "s1"}}]
    assert refusal(marker) == (code, detail, "s1")
    with pytest.raises(PayloadError) as caught:
        core.read_ack(Game.ask, "/", tuple(marker))
    assert (caught.value.code, caught.value.event, caught.value.detail) == (
        "invalid_ack",
        "ask",
        detail,
    )
    assert str(caught.value) == f"Invalid ack for `ask` on `/`: {detail}"


def test_a_refused_ack_nobody_waits_for_is_answered_as_before() -> None:
    core, _ = core_for()
    (action,) = core.receive("e1", "34[1180591620717411303424]")
    assert type(action) is Reply and action.id is None
    assert action.reply["error"]["code"] == "invalid_number"


def test_a_refused_binary_ack_fails_its_waiter() -> None:
    core, sessions = core_for()
    sessions.awaited.update({("s1", 4), ("s1", 5), ("s1", 6)})
    placeholder = '[{"_placeholder":true,"num":0}]'
    assert core.receive("e1", "61-4" + placeholder) == []
    too_large = AckRefused("s1", "/", 4, "payload_too_large", "Packet larger than 100000 bytes")
    assert core.receive("e1", b"x" * 100_001) == [too_large]
    assert not core.expects_attachment("e1")
    # a text frame where the attachment was due
    assert core.receive("e1", "61-5" + placeholder) == []
    refused, _ = core.receive("e1", "1")
    assert refused == AckRefused("s1", "/", 5, "bad_packet", "Expected a binary attachment")
    # more attachments than the limit: refused at once, the announced ones skipped
    assert core.receive("e1", "611-6" + placeholder) == [
        AckRefused("s1", "/", 6, "payload_too_large", "Binary packets carry 1 to 10 attachments")
    ]
    # a marker in a binary ack is refused before its attachments, which are skipped
    sessions.awaited.add(("s1", 7))
    frame = '61-7[{"sioschema:refused_ack":{"_placeholder":true,"num":0}}]'
    assert core.receive("e1", frame) == [AckRefused("s1", "/", 7, "bad_packet", _RESERVED)]
    assert core.receive("e1", b"x") == []
    assert not core.expects_attachment("e1")


_RESERVED = "The ack uses the reserved key `sioschema:refused_ack`"


def test_an_ack_another_serializer_decoded_is_refused_the_same() -> None:
    core, sessions = core_for()
    sessions.awaited.add(("s1", 4))
    assert core.receive_decoded("e1", 3, "/", 4, [float("nan")]) == [
        AckRefused("s1", "/", 4, "invalid_number", "NaN and Infinity are not JSON")
    ]


def test_every_callback_is_wrapped_and_never_gets_the_marker(
    caplog: pytest.LogCaptureFixture,
) -> None:
    seen: list[tuple[str, str, str, str]] = []
    core, _ = core_for(
        on_payload_error=lambda e, sid: seen.append((e.code, e.event, e.detail, sid))
    )
    got: list[Any] = []
    marker = AckRefused("s9", "/", 1, "invalid_number", "Integer out of the int64 range").args
    for declared, name in [(None, "free"), (Game.ask, "ask")]:
        callback = core.checked_callback(declared, "/", lambda *a: got.append(a), name=name)
        assert callback is not None
        callback(*marker)
    assert got == []
    assert seen == [
        ("invalid_ack", "free", "Integer out of the int64 range", "s9"),
        ("invalid_ack", "ask", "Integer out of the int64 range", "s9"),
    ]
    assert [r.getMessage() for r in caplog.records] == [
        "dropped the ack of 'free' from s9 on /: invalid_ack (Integer out of the int64 range)",
        "dropped the ack of 'ask' from s9 on /: invalid_ack (Integer out of the int64 range)",
    ]
    # an undeclared ack of any other shape passes as received
    callback = core.checked_callback(None, "/", lambda *a: got.append(a), name="free")
    assert callback is not None
    callback({"sioschema": 1}, 2)
    assert got == [({"sioschema": 1}, 2)]
    # call(): the failure is handed over for call_result to raise
    waiter = core.checked_callback(None, "/", lambda *a: a[0], name="free", for_call=True)
    assert waiter is not None
    with pytest.raises(PayloadError, match="Invalid ack for `free` on `/`: Integer out of"):
        core.call_result(waiter(*marker))


def test_a_malformed_marker_reads_as_the_reserved_key() -> None:
    """What a process that does not screen (stock python-socketio) forwarded."""
    assert refusal([{REFUSED_ACK: {"code": "nope", "message": "<b>x</b>"}}]) == (
        "bad_packet",
        _RESERVED,
        "",
    )
    assert refusal([{REFUSED_ACK: 1}, 2]) is None


@pytest.mark.parametrize(
    ("frame", "error"),
    [
        (
            "21" + '["move",' + ",".join(["[]"] * 30_000) + "]",
            ("bad_arity", "Expected 1 argument, got 30000", "$"),
        ),
        (
            "21" + '["move",[' + ",".join(["{}"] * 30_000) + "]]",
            ("invalid_payload", "Expected `object`, got `array`", "$"),
        ),
        (
            "21" + '["tally",{"1":[' + ",".join(["[]"] * 30_000) + "]}]",
            ("invalid_payload", "Expected `int`, got `array` - at `$[...]`", "$[...]"),
        ),
        (
            "21" + '["files",[' + ",".join(["{}"] * 30_000) + "]]",
            ("invalid_payload", "Expected `bytes`, got `array`", "$"),
        ),
    ],
)
def test_a_frame_of_tiny_containers_is_refused_as_any_other(
    frame: str, error: tuple[str, str, str]
) -> None:
    """The rejection is worded from the frame's own text; written with spaces (the text
    is then encoded again from the decoded arguments) the answer is the same."""
    core, _ = core_for()
    spaced = frame.replace('["', '[ "', 1).replace('",', '" ,', 1)
    for sent in (frame, spaced):
        (action,) = core.receive("e1", sent)
        assert isinstance(action, Reply) and action.id == 1
        body = action.reply["error"]
        assert (body["code"], body["message"], body["path"]) == error


def test_a_reply_caps_its_path_and_event_and_escapes_only_markup() -> None:
    """What the reply repeats is cut and free of tags; msgspec's ``<=`` is no tag."""
    error = PayloadError(
        "invalid_payload",
        "<b" + "e" * 300,
        "Expected `int` <= 2 <a" + "m" * 2000,
        path="$." + "p" * 300,
    )
    assert error.reply() == {
        "error": {
            "code": "invalid_payload",
            "message": "Expected `int` <= 2 \\u003ca" + "m" * (1024 - 27) + "\u2026",
            "path": "$." + "p" * 254 + "\u2026",
            "event": "\\u003cb" + "e" * 249 + "\u2026",
        }
    }
    assert error.message == error.reply()["error"]["message"]
    assert str(error).endswith("m" * 2000)  # the server's own exception keeps it all


@pytest.mark.parametrize(
    "namespace",
    ["/\n2025-01-01 CRITICAL forged\n" + "x" * 50000, "/" + "x" * 200, "/a\rb", "/\x1b[2J"],
)
def test_a_client_s_namespace_is_logged_as_repr_when_long_or_unprintable(
    namespace: str, caplog: pytest.LogCaptureFixture
) -> None:
    core, _ = core_for()
    with caplog.at_level("WARNING", logger="sioschema"):
        (action,) = core.receive("e1", "2" + namespace + ',1["s",1]')
    assert type(action) is Refuse
    (line,) = [r.getMessage() for r in caplog.records]
    shown = repr(namespace)[:100]
    assert line == f"rejected 's' from e1 on {shown}: unknown_namespace"
    assert line.isprintable()


def test_an_ordinary_namespace_is_logged_as_it_is(caplog: pytest.LogCaptureFixture) -> None:
    core, _ = core_for()
    namespace = "/" + "é" * 99  # 100 printable characters
    with caplog.at_level("WARNING", logger="sioschema"):
        core.receive("e1", "2" + namespace + ',1["s",1]')
    assert [r.getMessage() for r in caplog.records] == [
        f"rejected 's' from e1 on {namespace}: unknown_namespace"
    ]


def test_a_dropped_ack_logs_peer_text_as_repr(caplog: pytest.LogCaptureFixture) -> None:
    core, _ = core_for()
    detail = "Object contains unknown field `a\nCRITICAL forged`"
    namespace = "/\nforged"
    error = PayloadError("invalid_ack", "ask", detail, namespace=namespace)
    with caplog.at_level("WARNING", logger="sioschema"):
        core.dropped_ack(error, "s1")
    assert [r.getMessage() for r in caplog.records] == [
        f"dropped the ack of 'ask' from s1 on {namespace!r}: invalid_ack ({detail!r})"
    ]
