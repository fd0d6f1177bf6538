"""Per-event cost of an acked event through Flask-SocketIO's test client, per contender.

Drives Flask-SocketIO's test client (the whole server path: packet decode, dispatch,
handler, ack encode; no network, threading mode, ``async_handlers=False``) with the
``bench`` event, whose handler acks with the object it received. Contenders are
interleaved, rounds alternate their order; medians of the rounds and the ratio to stock
(unvalidated) Flask-SocketIO in the same run, with the lowest and highest round beside
each median. Also the sioschema layer alone (request check + ack check, no Socket.IO).
Before anything is timed, every contender must reject an invalid payload (stock must
echo it)::

    python -m benchmarks.roundtrip [--payloads small medium] [--contenders ...]
                                   [--events 5000] [--rounds 9] [--instructions]
                                   [--quick] [--json]

``--instructions`` also counts instructions per event under valgrind (as
``benchmarks.instructions`` does) and prints them beside the wall clock.
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

from benchmarks import _common, _proof
from benchmarks.contenders import load
from benchmarks.payloads import EVENT, PAYLOADS, Payload

BASELINE = "stock"
EVENTS = {"small": 5000, "medium": 5000, "large": 200}


def _answer(value: Any) -> Any:
    # sio-asyncapi acks model_dump_json(): a JSON string, not the object
    return json.loads(value) if isinstance(value, str) else value


def timed(client: Any, value: Any, events: int) -> float:
    emit = client.emit
    start = time.perf_counter()
    for _ in range(events):
        emit(EVENT, value, callback=True)
    return (time.perf_counter() - start) / events * 1e6


def layer_cost(p: Payload, events: int) -> float:
    """The sioschema layer alone, as the servers run it: the packet codec decodes and
    validates the EVENT frame, the ack is checked, encoded and written as a packet."""
    from socketio.packet import ACK

    from sioschema._core import Core
    from sioschema.socketio import codec_packet

    core = Core(p.registry)
    core.raw_out = True
    packet_class = codec_packet()
    event = p.event
    frame = p.packet
    decode_frame = core.codec.decode_frame
    ack_data = core.ack_data
    start = time.perf_counter()
    for _ in range(events):
        found = decode_frame(frame)
        assert found is not None
        (obj,) = found[4]
        data = ack_data(event, obj, "/")
        packet_class(ACK, namespace="/", id=found[1], data=data, binary=False).encode()
    return (time.perf_counter() - start) / events * 1e6


def main(argv: list[str] | None = None) -> None:
    parser = _common.parser(__doc__)
    parser.add_argument("--events", type=int, default=None, help="events per round")
    parser.add_argument("--rounds", type=int, default=9)
    _common.add_instructions_flag(parser)
    args = parser.parse_args(argv)
    mods, missing = load(args.contenders or ["stock", "pydantic", "sio-asyncapi", "sioschema"])
    rounds = 3 if args.quick else args.rounds
    results: dict[str, Any] = {}
    for size in args.payloads or ("small", "medium"):
        p = PAYLOADS[size]
        events = 20 if args.quick else args.events or EVENTS[size]
        clients = {}
        for name, mod in mods.items():  # each proves its row first
            client = _proof.flask_test_client(name, mod, p)
            if client is not None:
                clients[name] = client
        for name, client in clients.items():  # same answers, then warm up
            got = _answer(client.emit(EVENT, p.value, callback=True))
            if got != p.value:
                msg = f"{name} answered {got!r:.200}"
                raise SystemExit(msg)
            timed(client, p.value, max(events // 5, 5))
        samples: dict[str, list[float]] = {name: [] for name in clients}
        layer: list[float] = []
        order = list(clients.items())
        for r in range(rounds):
            for name, client in order if r % 2 == 0 else reversed(order):
                samples[name].append(timed(client, p.value, events))
            if "sioschema" in clients:
                layer.append(layer_cost(p, events))
        medians = {name: statistics.median(v) for name, v in samples.items()}
        base = medians.get(BASELINE)
        results[size] = {
            "events_per_round": events,
            "median_us": medians,
            "min_us": {name: min(v) for name, v in samples.items()},
            "max_us": {name: max(v) for name, v in samples.items()},
            "ratio": {n: m / base for n, m in medians.items()} if base else {},
            "difference_us": {n: m - base for n, m in medians.items()} if base else {},
            "sioschema_layer_us": statistics.median(layer) if layer else None,
        }
        for client in clients.values():
            client.disconnect()
    counts = _common.counted("roundtrip", list(results), list(mods), args)
    for size, per in results.items():
        if counts and size in counts:
            per["instructions_per_event"] = counts[size]["instructions"]
            per["instructions_events"] = counts[size]["events"]

    result = _common.report(
        benchmark="roundtrip",
        baseline=BASELINE,
        rounds=rounds,
        missing_contenders=missing,
        results=results,
    )
    _common.emit(result, text(result), args.json, args.save)


def text(result: dict[str, Any]) -> str:
    results: dict[str, Any] = result["results"]
    out = [
        _common.header(
            "roundtrip: Flask-SocketIO test client, acked `bench` event echoed back",
            result["command"],
        ),
        f"wall clock: medians of {result['rounds']} interleaved rounds, the lowest and "
        f"highest round beside them; ratio and difference to '{BASELINE}'",
    ]
    counted = any("instructions_events" in per for per in results.values())
    if counted:
        out.append(
            "Ir = instructions per event (callgrind; repeats run to run, wall clock does not)"
        )
    for name, why in result["missing_contenders"].items():
        out.append(f"skipped {name}: {why}")
    for size, per in results.items():
        rows = []
        irs = per.get("instructions_per_event", {})
        for name, us in per["median_us"].items():
            row = [
                name,
                _common.fmt_us(us),
                _common.fmt_range(per["min_us"][name], per["max_us"][name]),
                f"{per['ratio'].get(name, 0):.2f}x" if per["ratio"] else "-",
                f"{per['difference_us'].get(name, 0):+.1f} us" if per["ratio"] else "-",
            ]
            if counted:
                n, b = irs.get(name), irs.get(BASELINE)
                row += [_common.fmt_count(n), f"{n / b:.2f}x" if n and b else "-"]
            rows.append(row)
        if per["sioschema_layer_us"] is not None:
            layer = ["sioschema layer alone", _common.fmt_us(per["sioschema_layer_us"])]
            rows.append(layer + [""] * (len(rows[0]) - 2))
        headers = ["contender", "per event", "min-max", "ratio", "difference"]
        if counted:
            headers += ["Ir", "ratio"]
        events = f", Ir over {per['instructions_events']} events" if counted else ""
        out.append("")
        out.append(
            f"{size} ({len(PAYLOADS[size].json)} B, {per['events_per_round']} events/round{events})"
        )
        out.append(_common.table(headers, rows))
    return "\n".join(out)


if __name__ == "__main__":
    main()
