"""A declared ack in one msgspec pass: the frame of an ack one of our callbacks waits
for is decoded and validated against its declared ack at once, and every ack the pass
cannot decide reaches its callback exactly as the screening hands it over."""

from __future__ import annotations

import decimal
from typing import Any

import msgspec
import pytest
from socketio.packet import Packet

from sioschema import Emit, Event, EventRegistry, Limits, RequestRejected
from sioschema._codec import ArgsCodec, PacketCodec
from sioschema._core import ACKING, AckCallback, Acked, AckRefused, Core, TypedAck
from sioschema.inspect import by_namespace


class Move(msgspec.Struct, forbid_unknown_fields=True):
    x: int
    y: int


class Loose(msgspec.Struct):
    """Ignores the keys it does not declare: a marker or an error reply decodes to it."""

    note: str = ""


class Cat(msgspec.Struct, tag=True):
    name: str


class Game(EventRegistry):
    move = Emit(int, ack=Move)
    loose = Emit(int, ack=Loose)
    anything = Emit(int, ack=dict[str, Any])
    pair = Emit(int, ack=(int, str))
    price = Emit(int, ack=decimal.Decimal)
    cat = Emit(int, ack=Cat)
    nested = Emit(int, ack=list[Any])
    raw = Emit(int, ack=msgspec.Raw)
    free = Emit(int)
    ask = Event(request=int, ack=Loose)
    ask_any = Event(request=int, ack=dict[str, Any])
    ask_move = Event(request=int, ack=Move)


class Chat(EventRegistry, namespace="/chat"):
    move = Emit(int, ack=Move)
    ask = Event(request=int, ack=Move)


class Sessions:
    """python-socketio's bookkeeping: the sessions, and the callback of each ack id."""

    def __init__(self) -> None:
        self.joined = {("e1", "/"): "s1", ("e1", "/chat"): "s2"}
        self.callbacks: dict[str, dict[int, Any]] = {}

    def sid(self, eio_sid: str, namespace: str) -> str | None:
        return self.joined.get((eio_sid, namespace))

    def awaits_ack(self, sid: str, id: int) -> Any:
        return self.callbacks.get(sid, {}).get(id)

    def handles(self, namespace: str, name: str) -> bool:
        return True


class Run:
    """One core with its sessions, what its callbacks received and reported."""

    def __init__(self, side: Any = "server", **kwargs: Any) -> None:
        self.errors: list[tuple[str, str, str, str | None, str]] = []
        self.core = Core(
            [Game, Chat],
            side=side,
            on_payload_error=lambda e, sid: self.errors.append(
                (e.code, e.event, e.detail, e.path, sid)
            ),
            **kwargs,
        )
        self.sessions = Sessions()
        self.core.attach(self.sessions, Packet.reconstruct_binary, raw_out=False)
        self.got: list[Any] = []

    def wait(
        self,
        declared: Any,
        sid: str = "s1",
        id: int = 4,
        *,
        for_call: bool = False,
        one_pass: bool = True,
    ) -> AckCallback:
        """Emit ``declared`` to ``sid`` with a callback, waiting as ack ``id``;
        ``one_pass=False``: the callback as it was before (no one pass)."""
        callback = self.core.checked_callback(
            declared, declared.namespace, lambda *a: self.got.append(a), for_call=for_call
        )
        assert type(callback) is AckCallback
        if not one_pass:
            callback.decode = None
        self.sessions.callbacks.setdefault(sid, {})[id] = callback
        return callback

    def feed(self, frame: str) -> list[Any]:
        """The frame in, its actions carried out as the adapters do (``_handle_ack``:
        the callback of the id called with the ack's arguments, the id released, the
        session in ``ACKING``)."""
        actions = self.core.receive("e1", frame)
        for action in actions:
            if type(action) is Acked or type(action) is AckRefused:
                waiting = self.sessions.callbacks.get(action.sid, {}).pop(action.id, None)
                token = ACKING.set(action.sid)
                try:
                    if waiting is not None:
                        waiting(*action.args)
                finally:
                    ACKING.reset(token)
        return actions


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every call of the second pass (``ArgsCodec.decode``)."""
    calls: list[Any] = []
    decode = ArgsCodec.decode

    def counted(self: ArgsCodec, *args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return decode(self, *args, **kwargs)

    monkeypatch.setattr(ArgsCodec, "decode", counted)
    return calls


def outcome(
    declared: Any,
    frame: str,
    *,
    one_pass: bool,
    side: Any = "server",
    caplog: pytest.LogCaptureFixture,
    for_call: bool = False,
    **kwargs: Any,
) -> tuple[Any, ...]:
    """What the application sees of ``frame`` answering an emit of ``declared``: what
    its callback received, what ``on_payload_error`` saw, the log lines, and the
    actions, without the typed holder."""
    run = Run(side, **kwargs)
    sid = "s2" if declared.namespace == "/chat" else "s1"
    run.wait(declared, sid, 4, for_call=for_call, one_pass=one_pass)
    caplog.clear()
    with caplog.at_level("DEBUG", logger="sioschema"):
        actions = run.feed(frame)
    got = [
        tuple(
            (type(a), a.error.code, a.error.detail, type(a.error))
            if type(a).__name__ == "AckFailed"
            else a
            for a in args
        )
        for args in run.got
    ]
    shown = [type(a) if type(a) is Acked else a for a in actions]
    return got, run.errors, [r.getMessage() for r in caplog.records], shown


# -- the one pass ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "frame", "typed"),
    [
        (Game.move, '34[{"x":1,"y":2}]', (Move(1, 2),)),
        (Game.loose, '34[{"note":"hi","other":[1,2]}]', (Loose("hi"),)),
        (Game.anything, '34[{"a":[1,{"b":null}]}]', ({"a": [1, {"b": None}]},)),
        (Game.pair, '34[3,"three"]', (3, "three")),
        (Game.price, "34[15]", (decimal.Decimal(15),)),
        (Game.cat, '34[{"type":"Cat","name":"Tom"}]', (Cat("Tom"),)),
        (Chat.move, '3/chat,4[{"x":1,"y":2}]', (Move(1, 2),)),
    ],
)
def test_a_valid_declared_ack_takes_the_one_pass(
    declared: Any, frame: str, typed: tuple[Any, ...], decodes: list[Any]
) -> None:
    run = Run()
    sid = "s2" if declared.namespace == "/chat" else "s1"
    run.wait(declared, sid)
    (action,) = run.core.receive("e1", frame)
    assert type(action) is Acked
    assert (action.sid, action.namespace, action.id) == (sid, declared.namespace, 4)
    (holder,) = action.args
    assert type(holder) is TypedAck and holder.args == typed
    run.sessions.callbacks[sid].pop(4)(*action.args)
    assert run.got == [typed]
    assert decodes == []  # no second pass


def test_a_typed_client_takes_the_one_pass_for_the_servers_ack(decodes: list[Any]) -> None:
    run = Run("client")
    run.wait(Game.ask_move)
    (action,) = run.feed('34[{"x":1,"y":2}]')
    assert type(action) is Acked and type(action.args[0]) is TypedAck
    assert run.got == [(Move(1, 2),)]
    assert decodes == []


def test_call_gets_the_one_pass_too(decodes: list[Any]) -> None:
    run = Run()
    run.wait(Game.move, for_call=True)
    run.feed('34[{"x":1,"y":2}]')
    assert run.got == [(Move(1, 2),)]
    assert decodes == []


# -- everything else: exactly as before ------------------------------------------------

_MARKER = '{"sioschema:refused_ack":{"code":"invalid_number","message":"forged"}}'
_ERROR = '{"error":{"code":"invalid_payload","message":"Expected `int`","event":"ask"}}'

SERVER_CASES = [
    (Game.move, '34[{"x":"a","y":2}]'),  # invalid: invalid_ack
    (Game.move, '34[{"x":1}]'),
    (Game.move, '34[{"x":1,"y":2},3]'),  # too many arguments
    (Game.move, "34[]"),
    (Game.move, '34[{"x":1,"y":2,"z":3}]'),
    (Game.move, '34[{"x":9223372036854775808,"y":2}]'),  # beyond int64: refused
    (Game.move, '34[{"x":-9223372036854775809,"y":2}]'),
    (Game.move, '34[{"x":9223372036854775807,"y":2}]'),  # int64: taken
    (Game.move, '34[{"x":NaN,"y":2}]'),
    (Game.move, '34[{"x":1,"y":2}'),  # not JSON
    (Game.move, '34{"x":1,"y":2}'),  # not an array
    (Game.move, '35[{"x":1,"y":2}]'),  # an id nobody waits for
    (Game.move, '30[{"x":1,"y":2}]'),
    (Game.move, '3004[{"x":1,"y":2}]'),  # leading zeros: the screening reads 4
    (Game.move, '3[{"x":1,"y":2}]'),  # no id
    (Game.move, '3/chat,4[{"x":1,"y":2}]'),  # another namespace's session
    (Game.move, '3/nowhere,4[{"x":1,"y":2}]'),
    (Game.move, '34 [{"x":1,"y":2}]'),
    (Game.move, '34[ {"x":1,"y":2} ]'),  # spaces: taken
    (Game.loose, f"34[{_MARKER}]"),  # the marker would decode to Loose: bad_packet
    (Game.loose, '34[{"sioschema:refused_ack":1}]'),
    (Game.loose, '34[{"sioschema\\u003arefused_ack":1}]'),  # spelled with an escape
    (Game.loose, '34[{"note":"a\\nb"}]'),  # an escape elsewhere: screened, same answer
    (Game.loose, f"34[{_ERROR}]"),  # an error reply is data on a server
    (Game.anything, f"34[{_MARKER}]"),
    (Game.anything, '34[{"a":' + "[" * 40 + "]" * 40 + "}]"),  # too deep
    (Game.anything, '34[{"a":1e400}]'),
    (Game.anything, '34[{"a":12345678901234567890}]'),
    (Game.pair, '34[3,"three",4]'),
    (Game.pair, "34[3]"),
    (Game.price, "34[1.10]"),  # the screening reads 1.1
    (Game.price, "34[1e2]"),
    (Game.price, "34[1.5]"),
    (Game.cat, '34[{"name":"Tom"}]'),  # the tag msgspec does not require
    (Game.nested, "34[" + "[" * 40 + "]" * 40 + "]"),
    (Game.raw, '34[{ "a" : 1 }]'),  # Raw: read from the screening's text
    (Game.free, '34[{"x":1}]'),  # an undeclared ack
    (Game.free, f"34[{_MARKER}]"),
    (Chat.move, '3/chat,4[{"x":"a","y":2}]'),
    (Chat.move, '3/chat,4[{"x":1,"y":2}]'),
    (Chat.move, '3/chat?a=1,4[{"x":1,"y":2}]'),
    (Chat.move, '3/chat4[{"x":1,"y":2}]'),
    (Chat.move, '3/chat,4[{"x":1,"y":2}' + " " * 100_000 + "]"),  # over the limit
]


@pytest.mark.parametrize("for_call", [False, True])
@pytest.mark.parametrize(("declared", "frame"), SERVER_CASES)
def test_a_server_answers_every_ack_as_before(
    declared: Any, frame: str, for_call: bool, caplog: pytest.LogCaptureFixture
) -> None:
    before = outcome(declared, frame, one_pass=False, caplog=caplog, for_call=for_call)
    after = outcome(declared, frame, one_pass=True, caplog=caplog, for_call=for_call)
    assert after == before


CLIENT_CASES = [
    (Game.ask, f"34[{_ERROR}]"),  # the error reply: RequestRejected, not a Loose
    (Game.ask, '34[{"error":{"code":"internal_error","message":"Internal server error"}}]'),
    (Game.ask, '34[{"\\u0065rror":{"code":"internal_error","message":"x"}}]'),
    (Game.ask, f"34[{_MARKER}]"),
    (Game.ask, '34[{"note":"hi"}]'),  # taken
    (Game.ask, '34[{"note":"error"}]'),  # "error" as a value: screened, same answer
    (Game.ask_any, f"34[{_ERROR}]"),
    (Game.ask_any, '34[{"a":1}]'),
    (Game.ask_move, f"34[{_ERROR}]"),
    (Game.ask_move, '34[{"x":1,"y":2}]'),
    (Chat.ask, f"3/chat,4[{_ERROR}]"),
    (Chat.ask, '3/chat,4[{"x":1,"y":"b"}]'),
]


@pytest.mark.parametrize("for_call", [False, True])
@pytest.mark.parametrize(("declared", "frame"), CLIENT_CASES)
def test_a_typed_client_answers_every_ack_as_before(
    declared: Any, frame: str, for_call: bool, caplog: pytest.LogCaptureFixture
) -> None:
    before = outcome(
        declared, frame, one_pass=False, side="client", caplog=caplog, for_call=for_call
    )
    after = outcome(declared, frame, one_pass=True, side="client", caplog=caplog, for_call=for_call)
    assert after == before


def test_the_outcomes_compared_are_the_expected_ones(caplog: pytest.LogCaptureFixture) -> None:
    """The comparisons above hold the answers today's path gives: pinned here."""
    got, errors, _, actions = outcome(
        Game.move, '34[{"x":"a","y":2}]', one_pass=True, caplog=caplog
    )
    assert got == [] and errors == [
        ("invalid_ack", "move", "Expected `int`, got `str` - at `$.x`", "$.x", "s1")
    ]
    got, errors, _, actions = outcome(
        Game.move, '34[{"x":9223372036854775808,"y":2}]', one_pass=True, caplog=caplog
    )
    assert actions == [AckRefused("s1", "/", 4, "invalid_number", "Integer out of the int64 range")]
    assert errors[0][:2] == ("invalid_ack", "move")
    got, errors, _, actions = outcome(Game.loose, f"34[{_MARKER}]", one_pass=True, caplog=caplog)
    assert actions == [
        AckRefused(
            "s1", "/", 4, "bad_packet", "The ack uses the reserved key `sioschema:refused_ack`"
        )
    ]
    assert got == [] and errors[0][:2] == ("invalid_ack", "loose")
    got, errors, _, actions = outcome(Game.move, '35[{"x":1,"y":2}]', one_pass=True, caplog=caplog)
    assert got == [] and actions[0].reply["error"]["code"] == "bad_packet"
    got, errors, logs, _ = outcome(
        Game.ask, f"34[{_ERROR}]", one_pass=True, side="client", caplog=caplog
    )
    assert got == [] and errors == [] and logs == ["'ask' was rejected: invalid_payload"]
    got, *_ = outcome(
        Game.ask, f"34[{_ERROR}]", one_pass=True, side="client", caplog=caplog, for_call=True
    )
    ((failed,),) = got
    assert failed[1:] == ("invalid_payload", "Expected `int`", RequestRejected)


def test_only_our_callbacks_get_the_typed_ack(decodes: list[Any]) -> None:
    """A callback that is not ours (python-socketio's forwarder of an emit from another
    process, over a message queue) gets the ack's JSON values, as before."""
    run = Run()
    forwarded: list[Any] = []
    run.sessions.callbacks["s1"] = {4: lambda *a: forwarded.append(a)}
    assert run.feed('34[{"x":1,"y":2}]') == [Acked("s1", "/", 4, [{"x": 1, "y": 2}])]
    assert forwarded == [({"x": 1, "y": 2},)]


def test_an_ack_codec_has_one_pass_per_declared_ack() -> None:
    codec = PacketCodec(by_namespace(Game), Limits(), side="server")
    assert set(codec.acks) == {
        e.ack_codec
        for e in (
            Game.move,
            Game.loose,
            Game.anything,
            Game.pair,
            Game.price,
            Game.cat,
            Game.nested,
        )
    }
    assert PacketCodec.split_ack("3/chat,12[1]") == ("/chat", 12, "[1]")
    assert PacketCodec.split_ack("312[1]") == ("/", 12, "[1]")
    for frame in ("3[1]", "3012[1]", "3/chat[1]", "3/a?b,1[1]", "3" + "1" * 16 + "[1]", "31 [1]"):
        assert PacketCodec.split_ack(frame) is None


@pytest.mark.parametrize("kind", ["0", "3", "5", "6"])
def test_a_namespaced_frame_of_another_type_is_no_event(kind: str) -> None:
    """``<type>/<ns>,<id>["<event>",...]`` is an EVENT only with type 2."""
    codec = PacketCodec(by_namespace(Chat), Limits(), side="client")
    assert codec.decode_frame('2/chat,1["move",1]') is not None
    assert codec.decode_frame(kind + '/chat,1["move",1]') is None
