"""What the garbage collector costs a server handling world snapshots, and what helps.

Each scenario runs in a fresh process: a server-like heap of live objects (the game
state a real server keeps: ``--heap`` tracked objects), then ``--events`` large events
through sioschema's own path (the packet codec decodes and validates the snapshot, the
handler keeps the last ten snapshots as game state, the ack is checked and encoded).

- ``default``: the payload Structs as usually declared (tracked by the GC);
- ``gc=False``: the same Structs declared with ``gc=False`` (msgspec: instances are
  not tracked; right for payloads that never reference themselves);
- ``freeze``: ``gc.freeze()`` after start-up, so the start-up heap is never scanned
  again;
- ``gc=False + freeze``: both;
- ``gc off``: ``gc.disable()``, the floor (not a recommendation);
- ``stock dicts``: for reference, python-socketio's own Packet (stdlib ``json``), no
  validation: the snapshot as dicts and lists, every one of them tracked.

Every scenario's process first proves its path: the codec scenarios must reject the
snapshot with one constraint broken, stock must pass it through (``benchmarks._proof``),
or the whole run stops. It then builds its heap and warms up (a tenth of a round), and
the processes take turns: each round asks every scenario in turn for ``--events``
events, in alternating order (``--rounds``: 5, or 3 with ``--quick``), so a burst of
noise on the machine hits one round of every scenario rather than every round of one.

Reported: microseconds per event (median of the rounds, with the lowest and highest
round), the share of time spent in collections (measured with ``gc.callbacks``, median
of the rounds), and collections per 1,000 events over all rounds::

    python -m benchmarks.gc_pauses [--events 2000] [--rounds 5] [--heap 300000] [--json]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable
from typing import IO, Annotated, Any

import msgspec

from benchmarks import _common, _proof
from benchmarks.contenders import Codec
from benchmarks.payloads import EVENT, PAYLOADS, Kind
from sioschema import Event, EventRegistry

SCENARIOS = ("stock dicts", "default", "gc=False", "freeze", "gc=False + freeze", "gc off")


class Vec3(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    x: float
    y: float
    z: float


class Entity(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    id: Annotated[int, msgspec.Meta(ge=1)]
    kind: Kind
    position: Vec3
    velocity: Vec3
    health: Annotated[int, msgspec.Meta(ge=0, le=100)]


class WorldSnapshot(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    tick: Annotated[int, msgspec.Meta(ge=0)]
    entities: Annotated[list[Entity], msgspec.Meta(max_length=1000)]


class Untracked(EventRegistry):
    bench = Event(request=WorldSnapshot, ack=WorldSnapshot)


def _step(scenario: str, kept: deque[Any]) -> Callable[[], None]:
    """One event of ``scenario`` (in, handler, ack out), after proving that its path
    validates (or, for stock, passes the payload through)."""
    from socketio.packet import ACK, Packet

    from sioschema._codec import PacketCodec
    from sioschema._wire import Limits
    from sioschema.errors import PayloadError
    from sioschema.inspect import by_namespace
    from sioschema.socketio import codec_packet

    p = PAYLOADS["large"]
    frame = p.packet

    if scenario == "stock dicts":

        def stock() -> None:
            snapshot = Packet(encoded_packet=frame).data[1]
            kept.append(snapshot)
            Packet(ACK, data=[snapshot], id=1).encode()

        untyped = Codec(
            decode=lambda s: Packet(encoded_packet=s).data[1:], encode=lambda o: o, obj=None
        )
        _proof.codecs("packet", p, {"stock dicts (untyped)": untyped})
        return stock

    registry = Untracked if "gc=False" in scenario else p.registry
    event = registry.bench  # type: ignore[attr-defined]
    codec = PacketCodec(by_namespace(registry), Limits(max_payload_bytes=1 << 20))
    packet_class = codec_packet()

    def one_pass(s: str) -> Any:
        # what the servers do with a text frame: the codec, else the general path
        found = codec.decode_frame(s)
        if found is None:  # not decided in one pass (an invalid payload)
            return event.request_codec.decode(Packet(encoded_packet=s).data[1:], EVENT, "/")
        return found[4]

    checked = Codec(decode=one_pass, encode=lambda o: o, obj=None, rejects=(PayloadError,))
    _proof.codecs("packet", p, {f"sioschema codec ({scenario})": checked})

    def one() -> None:
        found = codec.decode_frame(frame)
        assert found is not None
        (snapshot,) = found[4]
        kept.append(snapshot)  # the handler keeps recent snapshots as game state
        data = [event.ack_codec.encode(snapshot, EVENT, "/", raw=True)]
        packet_class(ACK, data=data, id=1, binary=False).encode()

    return one


def child(scenario: str, events: int, heap: int, commands: IO[str], out: IO[str]) -> None:
    """One scenario, in this process: set up, prove, warm up, say ``ready``; then one
    round of ``events`` events per ``round`` line on ``commands``, its figures as a JSON
    line on ``out``, until ``commands`` ends."""
    kept: deque[Any] = deque(maxlen=10)
    step = _step(scenario, kept)
    state = [{"id": i, "tags": [i]} for i in range(heap // 3)]  # live server state
    if "freeze" in scenario:
        gc.collect()
        gc.freeze()
    if scenario == "gc off":
        gc.disable()
    for _ in range(max(events // 10, 1)):  # warm-up
        step()

    spent = [0.0]
    started = [0.0]

    def on_gc(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - started[0]

    gc.callbacks.append(on_gc)
    print("ready", file=out, flush=True)
    for line in commands:
        if line.strip() != "round":
            break
        before = sum(s["collections"] for s in gc.get_stats())
        spent[0] = 0.0
        start = time.perf_counter()
        for _ in range(events):
            step()
        took = time.perf_counter() - start
        row = {
            "us_per_event": took / events * 1e6,
            "gc_share": spent[0] / took,
            "collections": sum(s["collections"] for s in gc.get_stats()) - before,
        }
        print(json.dumps(row), file=out, flush=True)
    gc.callbacks.remove(on_gc)
    del state


def _start(scenario: str, events: int, heap: int) -> subprocess.Popen[str]:
    """A scenario's process, once it said it is ready (its path proved)."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "benchmarks.gc_pauses",
            "--child",
            scenario,
            "--events",
            str(events),
            "--heap",
            str(heap),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _expect(proc, scenario, "ready")
    return proc


def _expect(proc: subprocess.Popen[str], scenario: str, what: str) -> str:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line:
        return line
    err = proc.stderr.read() if proc.stderr else ""
    proc.wait()
    if "benchmark aborted: " in err:
        raise _proof.ProofFailed(err.split("benchmark aborted: ", 1)[1].strip())
    msg = f"{scenario}: the process exited ({proc.returncode}) before {what}: {err[-2000:]}"
    raise RuntimeError(msg)


def run(args: argparse.Namespace) -> dict[str, Any]:
    events = 200 if args.quick else args.events
    rounds = 3 if args.quick else args.rounds
    heap = 30_000 if args.quick else args.heap
    procs: dict[str, subprocess.Popen[str]] = {}
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in SCENARIOS}
    try:
        for scenario in SCENARIOS:
            procs[scenario] = _start(scenario, events, heap)
        for scenario in _common.alternating(SCENARIOS, rounds):
            proc = procs[scenario]
            assert proc.stdin is not None
            proc.stdin.write("round\n")
            proc.stdin.flush()
            samples[scenario].append(json.loads(_expect(proc, scenario, "its round")))
    finally:
        for proc in procs.values():
            if proc.stdin:
                proc.stdin.close()
        for proc in procs.values():
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            for stream in (proc.stdout, proc.stderr):
                if stream:
                    stream.close()
    results: dict[str, Any] = {}
    for scenario, got in samples.items():
        per_event = [g["us_per_event"] for g in got]
        results[scenario] = {
            "us_per_event": statistics.median(per_event),
            "us_per_event_min": min(per_event),
            "us_per_event_max": max(per_event),
            "us_per_event_rounds": per_event,
            "gc_share": statistics.median(g["gc_share"] for g in got),
            "collections_per_1000_events": sum(g["collections"] for g in got)
            / (events * rounds)
            * 1000,
        }
    base = results["default"]["us_per_event"]
    for row in results.values():
        row["ratio"] = row["us_per_event"] / base
    return _common.report(
        benchmark="gc_pauses",
        title="GC: large events (23.6 KB snapshot) through the codec, in and out",
        events=events,
        rounds=rounds,
        heap=heap,
        results=results,
    )


def text(result: dict[str, Any]) -> str:
    out = [_common.header(result["title"], result["command"])]
    out.append(
        f"{result['events']} events x {result['rounds']} interleaved rounds per scenario, each "
        f"scenario in its own process with {result['heap']:,} live objects; medians of the "
        "rounds, the lowest and highest round beside them; ratio of the medians to 'default'"
    )
    rows = [
        [
            name,
            _common.fmt_us(row["us_per_event"]),
            _common.fmt_range(row["us_per_event_min"], row["us_per_event_max"]),
            f"{row['ratio']:.2f}x",
            f"{row['gc_share']:.1%}",
            f"{row['collections_per_1000_events']:.0f}",
        ]
        for name, row in result["results"].items()
    ]
    out.append("")
    out.append(
        _common.table(
            ["scenario", "per event", "min-max", "ratio", "time in GC", "GCs / 1k events"], rows
        )
    )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = _common.parser(__doc__)
    parser.add_argument("--events", type=int, default=2000, help="events per round")
    parser.add_argument(
        "--rounds", type=int, default=5, help="interleaved rounds per scenario (default 5)"
    )
    parser.add_argument("--heap", type=int, default=300_000, help="live objects at start-up")
    parser.add_argument("--child", choices=SCENARIOS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.events, args.heap, sys.stdin, sys.stdout)
        return
    result = run(args)
    _common.emit(result, text(result), args.json, args.save)


if __name__ == "__main__":
    main()
