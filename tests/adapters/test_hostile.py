"""Hostile frames over a real websocket, on every server kind.

Each case sends raw Engine.IO / Socket.IO frames and pins the answer: the error ack
(when the packet has an ack id), one error event, a CONNECT_ERROR, or a close. Stock
python-socketio answers none of these cases this way (it logs a traceback, runs the
handler, or stays silent), so every test here fails without sioschema. After each
case the connection still answers a probe and a bystander connection is untouched.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from sioschema import Limits
from tests import apps
from tests.adapters.cases import error
from tests.conftest import Running, run_server
from tests.rawclient import Raw

LATENCIES: list[float] = []


@pytest.fixture(scope="module")
def bystander(running: Running) -> Iterator[Raw]:
    with Raw(running.url) as raw:
        yield raw


@pytest.fixture
def raw(server: Running, bystander: Raw) -> Iterator[Raw]:
    with Raw(server.url) as client:
        yield client
        client.probe()  # not wedged
        bystander.probe()  # not disturbed
    settled(server)


def settled(server: Running, timeout: float = 10.0) -> None:
    """Wait until the server has run the disconnect handler of each connection this
    test made: on a loaded machine it can run after the next test has cleared the
    recorder, and would then count as that test's."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kinds = [name for name, _ in server.recorder.lifecycle]
        if kinds.count("$disconnect") >= kinds.count("$connect"):
            return
        time.sleep(0.02)


def timed_ack(raw: Raw, frame: str, id: int) -> Any:
    start = time.monotonic()
    raw.send(frame)
    data = raw.ack(id, timeout=2)
    LATENCIES.append(time.monotonic() - start)
    return data


def timed_event(raw: Raw, frame: str, name: str = "error") -> Any:
    start = time.monotonic()
    raw.send(frame)
    data = raw.event(name, timeout=2)
    LATENCIES.append(time.monotonic() - start)
    return data


def packet_error(code: str, message: str, event: str = "") -> dict[str, Any]:
    return error(code, message, None, event)


# -- not Socket.IO -------------------------------------------------------------------------


def test_invalid_json_with_ack_id(raw: Raw) -> None:
    [reply] = timed_ack(raw, '427["echo_point",{]', 7)
    assert reply["error"]["code"] == "bad_packet"
    assert reply["error"]["message"].startswith("Invalid JSON: ")


def test_invalid_json_without_ack_id(raw: Raw) -> None:
    [reply] = timed_event(raw, '42["echo_point",{"x":')
    assert reply == packet_error(
        "bad_packet", "Invalid JSON: Input data was truncated", "echo_point"
    )


@pytest.mark.parametrize("data", ['{"a":1}', '"echo_point"', "[]", "[1,2]", "null"])
def test_event_data_not_an_array_with_a_name(raw: Raw, data: str) -> None:
    assert timed_ack(raw, "428" + data, 8) == [
        packet_error("bad_packet", "Event data must be an array starting with a name")
    ]


def test_ack_id_out_of_range(raw: Raw) -> None:
    frame = "42" + "9" * 30 + '["echo_point",{"x":1,"y":2}]'
    assert timed_event(raw, frame) == [packet_error("bad_packet", "Ack id out of range")]


def test_ack_for_nothing_the_server_asked(raw: Raw) -> None:
    assert timed_event(raw, "43999[1]") == [packet_error("bad_packet", "Unknown ack id")]


@pytest.mark.parametrize("frame", ['49["echo_point"]', "4x", "4", "4[1,2]", "4null"])
def test_unknown_packet_type(raw: Raw, frame: str) -> None:
    assert timed_event(raw, frame) == [packet_error("bad_packet", "Unknown packet type")]


def test_client_sent_connect_error(raw: Raw) -> None:
    assert timed_event(raw, '44{"message":"x"}') == [
        packet_error("bad_packet", "Clients may not send CONNECT_ERROR")
    ]


def test_unknown_namespace(raw: Raw) -> None:
    raw.send('42/nowhere,5["echo_point",{"x":1,"y":2}]')
    frame = raw.expect(lambda f: f.startswith("44/nowhere,"), timeout=2)
    detail = "Not connected to namespace `/nowhere`"
    assert json.loads(frame[len("44/nowhere,") :]) == {
        "message": detail,
        "data": packet_error("unknown_namespace", detail, "echo_point"),
    }


def test_event_without_handler_but_with_ack_id(server: Running, raw: Raw) -> None:
    expected = error("unknown_event", "Unknown event `nobody`", None, "nobody")
    assert timed_ack(raw, '429["nobody",1]', 9) == [expected]
    assert server.recorder.calls == []


@pytest.mark.parametrize(
    "name",
    ["connect", "disconnect", "connect_error", "disconnecting", "newListener", "removeListener"],
)
def test_reserved_event_names_never_reach_handlers(server: Running, raw: Raw, name: str) -> None:
    connects = len(server.recorder.lifecycle)
    expected = packet_error("reserved_event", f"`{name}` is reserved by Socket.IO", name)
    assert timed_ack(raw, f'4210["{name}",{{}}]', 10) == [expected]
    assert timed_event(raw, f'42["{name}"]') == [expected]
    assert len(server.recorder.lifecycle) == connects
    assert server.recorder.calls == []


def test_lone_surrogate(server: Running, raw: Raw) -> None:
    """Half of a UTF-16 pair is no character: refused and named as what it is."""
    [reply] = timed_ack(raw, '4211["chat:say",{"room":"\\ud800","text":"x"}]', 11)
    assert reply == packet_error(
        "bad_packet",
        "Invalid JSON: lone surrogate `\\ud800` in a string (byte 21): half of a UTF-16 pair",
        "chat:say",
    )
    [reply] = timed_event(raw, '42["chat:say",{"room":"r","text":"\\udc00\\ud800"}]')
    assert reply == packet_error(
        "bad_packet",
        "Invalid JSON: lone surrogate `\\udc00` in a string (byte 32): half of a UTF-16 pair",
        "chat:say",
    )
    assert server.recorder.calls == []


def test_binary_frame_outside_a_binary_packet_closes(server: Running) -> None:
    """Not UTF-8 text, not an attachment: the connection is closed (as the JS server does)."""
    with Raw(server.url) as raw:
        raw.send(b'42["echo_point",\xff]')
        assert raw.is_closed(timeout=2)


# -- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("literal", "message"),
    [
        ("NaN", "NaN and Infinity are not JSON"),
        ("Infinity", "NaN and Infinity are not JSON"),
        ("-Infinity", "NaN and Infinity are not JSON"),
        ("1e400", "Number out of range"),
        ("-1e400", "Number out of range"),
    ],
)
def test_non_finite_floats(server: Running, raw: Raw, literal: str, message: str) -> None:
    frame = '4212["area",{"type":"circle","r":' + literal + "}]"
    assert timed_ack(raw, frame, 12) == [packet_error("invalid_number", message, "area")]
    assert server.recorder.calls == []


def test_integer_beyond_int64(server: Running, raw: Raw) -> None:
    frame = '4213["echo_point",{"x":1,"y":9223372036854775808}]'
    expected = packet_error("invalid_number", "Integer out of the int64 range", "echo_point")
    assert timed_ack(raw, frame, 13) == [expected]
    assert server.recorder.calls == []
    assert raw.call("echo_point", {"x": 1, "y": -(2**63)}) == [{"x": 1, "y": -(2**63)}]


def test_integer_beyond_int64_where_the_schema_allows(raw: Raw) -> None:
    assert raw.call("big", 2**100) == [str(2**100)]


def test_non_finite_ack_is_never_sent(raw: Raw) -> None:
    expected = error("internal_error", "Internal server error", None, "nan_ack")
    assert timed_ack(raw, '4214["nan_ack"]', 14) == [expected]


def test_non_finite_emit_is_never_sent(raw: Raw) -> None:
    expected = error("internal_error", "Internal server error", None, "emit_nan")
    assert timed_ack(raw, '4215["emit_nan"]', 15) == [expected]
    with pytest.raises(TimeoutError):
        raw.event("measured", timeout=0.2)


# -- nesting and size ----------------------------------------------------------------------


def test_nesting_beyond_the_default_limit(server: Running, raw: Raw) -> None:
    deep = "[" * 33 + "]" * 33
    assert timed_ack(raw, f'4216["echo_point",{deep}]', 16) == [
        packet_error("payload_too_deep", "Nesting deeper than 32", "echo_point")
    ]
    deep = "[" * 500 + "]" * 500
    assert timed_ack(raw, f'4217["echo_point",{deep}]', 17) == [
        packet_error("payload_too_deep", "Nesting deeper than 32", "echo_point")
    ]
    ok = "[" * 32 + "]" * 32  # within the limit: the schema answers
    [reply] = timed_ack(raw, f'4218["echo_point",{ok}]', 18)
    assert reply["error"]["code"] == "invalid_payload"
    assert server.recorder.calls == []


def test_payload_over_the_default_limit(server: Running, raw: Raw) -> None:
    text = "x" * 100_001
    frame = '4219["chat:say",{"room":"r","text":"' + text + '"}]'
    assert timed_ack(raw, frame, 19) == [
        packet_error("payload_too_large", "Packet larger than 100000 bytes", "chat:say")
    ]
    assert server.recorder.calls == []


def attachment_frame(id: int, count: int) -> str:
    return f'45{count}-{id}["blob",{{"_placeholder":true,"num":0}}]'


def test_binary_attachment_within_limits(raw: Raw) -> None:
    raw.send(attachment_frame(20, 1))
    raw.send(b"\x00\x01\x02")
    assert raw.ack(20, timeout=2) == [3]


def test_too_many_attachments(server: Running, raw: Raw) -> None:
    frame = attachment_frame(21, 11)
    expected = packet_error("payload_too_large", "Binary packets carry 1 to 10 attachments", "blob")
    assert timed_ack(raw, frame, 21) == [expected]
    for _ in range(11):
        raw.send(b"x")  # swallowed, not read as packets
    frame = attachment_frame(22, 9_999_999_999)
    assert timed_ack(raw, frame, 22) == [expected]
    raw.send(b"x")
    assert server.recorder.calls == []


def test_attachments_over_the_size_limit(server: Running, raw: Raw) -> None:
    raw.send('452-23["blob",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]')
    raw.send(b"x" * 60_000)
    start = time.monotonic()
    raw.send(b"x" * 60_000)
    assert raw.ack(23, timeout=2) == [
        packet_error("payload_too_large", "Packet larger than 100000 bytes", "blob")
    ]
    LATENCIES.append(time.monotonic() - start)
    assert server.recorder.calls == []


@pytest.mark.parametrize(
    "placeholder",
    ['{"_placeholder":true,"num":5}', '{"_placeholder":true,"num":"0"}'],
)
def test_bad_binary_placeholder_does_not_wedge(raw: Raw, placeholder: str) -> None:
    raw.send(f'451-24["blob",{placeholder}]')
    start = time.monotonic()
    raw.send(b"abc")
    assert raw.ack(24, timeout=2) == [
        packet_error("bad_packet", "Invalid binary placeholder", "blob")
    ]
    LATENCIES.append(time.monotonic() - start)


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        (
            '["blob",{"_placeholder":true,"num":0},NaN]',
            "invalid_number",
            "NaN and Infinity are not JSON",
        ),
        ('["blob",{"_placeholder":true,"num":0},{]', "bad_packet", "Invalid JSON: "),
        ('["blob",' + "[" * 40 + "]" * 40 + "]", "payload_too_deep", "Nesting deeper than 32"),
        ('["connect",{"_placeholder":true,"num":0}]', "reserved_event", "`connect` is reserved"),
    ],
    ids=["NaN", "bad JSON", "too deep", "reserved"],
)
def test_refused_binary_packet_skips_its_attachments(
    server: Running, raw: Raw, text: str, code: str, message: str
) -> None:
    """The attachments a refused binary packet announced are skipped, not read as binary
    frames outside a packet (which would close the connection)."""
    raw.send(f"452-27{text}")
    raw.send(b"\x01\x02")
    raw.send(b"\x03")
    [reply] = raw.ack(27, timeout=2)
    assert reply["error"]["code"] == code
    assert reply["error"]["message"].startswith(message)
    assert reply["error"]["event"] in ("blob", "connect")
    assert raw.call("echo_point", {"x": 1, "y": 2}) == [{"x": 1, "y": 2}]
    assert server.recorder.calls == [("echo_point", (apps.Point(x=1, y=2),))]


def test_an_unknown_event_name_is_echoed_only_when_short(raw: Raw) -> None:
    name = "z" * 257
    assert timed_ack(raw, f'4228["{name}",1]', 28) == [
        error("unknown_event", "Unknown event", None, "")
    ]
    name = "z" * 256
    assert timed_ack(raw, f'4229["{name}",1]', 29) == [
        error("unknown_event", f"Unknown event `{name}`", None, name)
    ]


# a client's text in an error reply: at most MAX_ECHOED_TEXT characters, no markup
_TAG = "<script>alert(1)</script>"
_SHOWN_TAG = "\\u003cscript>alert(1)\\u003c/script>"


@pytest.mark.parametrize(
    ("frame", "head", "path"),
    [
        # an unknown field name of 99,000 characters (the case)
        (
            '4230["echo_point",{"x":1,"y":2,"' + _TAG + "A" * 99_000 + '":1}]',
            "Object contains unknown field `" + _TAG + "A" * 99_000 + "`",
            "$",
        ),
        # an enum value, a tag value, a literal: msgspec quotes each
        (
            '4230["color","' + _TAG + "B" * 5000 + '"]',
            "Invalid enum value '" + _TAG + "B" * 5000 + "'",
            "$",
        ),  # noqa: E501
        (
            '4230["area",{"type":"' + _TAG + "C" * 5000 + '"}]',
            "Invalid value '" + _TAG + "C" * 5000 + "'",
            "$.type",
        ),  # noqa: E501
        # a field name that reads like msgspec's own " - at `...`": the path is msgspec's
        (
            '4230["echo_point",{"x":1,"y":2,"q - at `$.z`' + "D" * 300 + '":1}]',
            "Object contains unknown field `q - at `$.z`" + "D" * 300 + "`",
            "$",
        ),  # noqa: E501
    ],
)
def test_an_error_reply_repeats_at_most_256_characters_and_no_markup(
    raw: Raw, frame: str, head: str, path: str
) -> None:
    [reply] = timed_ack(raw, frame, 30)
    message = head[:256].replace("<", "\\u003c") + "\u2026"
    if path != "$":
        message += f" - at `{path}`"
    assert reply["error"] == {
        "code": "invalid_payload",
        "message": message,
        "path": path,
        "event": json.loads(frame[4:])[0],
    }
    assert len(json.dumps(reply)) < 2000
    assert "<script" not in json.dumps(reply)


def test_a_namespace_is_echoed_cut_and_without_markup(raw: Raw) -> None:
    namespace = "/" + _TAG + "n" * 5000
    raw.send(f'42{namespace},5["echo_point",{{"x":1,"y":2}}]')
    frame = raw.expect(lambda f: f.startswith(f"44{namespace},"), timeout=2)
    detail = ("Not connected to namespace `" + namespace[:256] + "\u2026`").replace("<", "\\u003c")
    assert json.loads(frame[len(f"44{namespace},") :]) == {
        "message": detail,
        "data": packet_error("unknown_namespace", detail, "echo_point"),
    }


def test_an_auth_refusal_repeats_at_most_256_characters_and_no_markup(raw: Raw) -> None:
    field = _TAG + "E" * 5000
    kind, data = raw.connect("/secure", {"token": "abc", field: 1})
    message = ("Object contains unknown field `" + field)[:256].replace("<", "\\u003c") + "\u2026"
    assert (kind, data) == (
        4,
        {"message": message, "data": error("invalid_auth", message, "$", "connect")},
    )


def test_text_frame_where_an_attachment_was_due(raw: Raw) -> None:
    raw.send(attachment_frame(25, 1))
    assert timed_ack(raw, '4226["echo_point",{"x":1,"y":2}]', 25) == [
        packet_error("bad_packet", "Expected a binary attachment", "blob")
    ]
    assert raw.ack(26, timeout=2) == [{"x": 1, "y": 2}]


# -- in flight -----------------------------------------------------------------------------


def test_more_in_flight_than_the_limit_are_refused(server: Running, raw: Raw) -> None:
    """64 slow calls run; the rest are answered `rate_limited` at once, not queued."""
    for id in range(100, 200):
        raw.send(f'42{id}["slow",0.5]')
    start = time.monotonic()
    acks = [raw.ack(id, timeout=5) for id in range(100, 200)]
    limited = [a for a in acks if a != [0.5]]
    assert len(limited) == 36
    assert limited[0] == [
        error("rate_limited", "Too many requests in flight (at most 64)", None, "slow")
    ]
    assert time.monotonic() - start < 5


def test_many_events_do_not_spawn_unbounded_tasks(server: Running, raw: Raw) -> None:
    """20,000 events on one connection: tasks (or threads) stay near the limit."""
    before = _workers(server)
    n = 20_000
    frames = [f'42{i}["slow",0.2]' for i in range(1, n + 1)]
    peak = 0
    for start in range(0, n, 2000):
        for frame in frames[start : start + 2000]:
            raw.send(frame)
        peak = max(peak, _workers(server) - before)
    answered = 0
    while answered < n:
        raw.expect(lambda f: f.startswith("43"), timeout=10)
        answered += 1
    assert peak <= 64 + 8, peak


def _workers(server: Running) -> int:
    if server.loop is None:
        return threading.active_count()

    async def count() -> int:
        return len(asyncio.all_tasks())

    return int(server.run(count()))


# -- logging -------------------------------------------------------------------------------


def test_one_log_line_per_bad_frame_and_no_traceback(
    raw: Raw, caplog: pytest.LogCaptureFixture
) -> None:
    frames = [
        '42["echo_point",{',
        '42{"a":1}',
        "4x",
        "43999[1]",
        '42["connect"]',
        '42["area",{"type":"circle","r":NaN}]',
        '42["echo_point",' + "[" * 40 + "]" * 40 + "]",
        "42" + "9" * 30 + "[]",
    ]
    with caplog.at_level(logging.INFO):
        for frame in frames:
            raw.send(frame)
            raw.event("error", timeout=2)
        raw.probe()
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) <= len(frames), [r.getMessage() for r in records]
    assert all(r.exc_info is None for r in records)
    assert all(len(r.getMessage()) < 300 for r in records)


# -- connect -------------------------------------------------------------------------------


def test_connect_handler_that_raises_refuses_the_connection(server: Running, raw: Raw) -> None:
    start = time.monotonic()
    kind, data = raw.connect("/fragile")
    LATENCIES.append(time.monotonic() - start)
    assert kind == 4  # CONNECT_ERROR
    assert data == {
        "message": "Connection refused: internal server error",
        "data": error("internal_error", "Internal server error", None, "connect"),
    }
    raw.send('42/fragile,["echo_point",{"x":1,"y":2}]')
    frame = raw.expect(lambda f: f.startswith("44/fragile,"), timeout=2)
    assert json.loads(frame[len("44/fragile,") :])["data"]["error"]["code"] == "unknown_namespace"


def test_declared_auth_is_validated_and_typed(server: Running, raw: Raw) -> None:
    assert raw.connect("/secure", {"token": "abc"})[0] == 0
    assert raw.call("whoami", namespace="/secure") == ["abc"]
    assert ("$connect", (_token("abc"),)) in server.recorder.lifecycle


@pytest.mark.parametrize(
    ("auth", "message", "path"),
    [
        (None, "Expected `object`, got `null`", "$"),
        ({"token": "ab"}, "Expected `str` of length >= 3 - at `$.token`", "$.token"),
        ({"token": "abc", "admin": True}, "Object contains unknown field `admin`", "$"),
    ],
)
def test_invalid_auth_refuses_the_connection(
    server: Running, raw: Raw, auth: Any, message: str, path: str
) -> None:
    kind, data = raw.connect("/secure", auth)
    assert kind == 4
    assert data == {"message": message, "data": error("invalid_auth", message, path, "connect")}
    assert not [c for c in server.recorder.lifecycle if c[1] and c[1][0] is not None]


def _token(value: str) -> Any:
    from tests.apps import Token

    return Token(token=value)


# -- limits are configuration --------------------------------------------------------------


@pytest.mark.parametrize("kind", ["flask", "asgi"])
def test_limits_are_configurable(kind: str) -> None:
    limits = Limits(max_payload_bytes=200, max_depth=2, max_attachments=1, max_in_flight=2)
    with run_server(kind, limits=limits) as srv, Raw(srv.url) as raw:
        assert srv.server.limits == limits
        raw.send('421["echo_point",[[[1]]]]')
        assert raw.ack(1, timeout=2) == [
            packet_error("payload_too_deep", "Nesting deeper than 2", "echo_point")
        ]
        raw.send('422["chat:say",{"room":"' + "r" * 200 + '","text":"x"}]')
        assert raw.ack(2, timeout=2) == [
            packet_error("payload_too_large", "Packet larger than 200 bytes", "chat:say")
        ]
        raw.send('452-3["blob",{"_placeholder":true,"num":0}]')
        assert raw.ack(3, timeout=2) == [
            packet_error("payload_too_large", "Binary packets carry 1 to 1 attachments", "blob")
        ]
        for id in range(10, 14):
            raw.send(f'42{id}["slow",0.3]')
        acks = [raw.ack(id, timeout=3) for id in range(10, 14)]
        assert [a[0] == 0.3 for a in acks] == [True, True, False, False]
        raw.probe()


def test_limits_reject_bad_values() -> None:
    with pytest.raises(ValueError, match="max_depth must be an int >= 1"):
        Limits(max_depth=0)


def test_report_latency() -> None:
    """Prints the slowest answer measured above (asserted loosely, per answer, at 2 s)."""
    if LATENCIES:
        print(f"\nhostile answers: {len(LATENCIES)}, max {max(LATENCIES) * 1000:.1f} ms")
