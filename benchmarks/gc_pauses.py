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

Reported: microseconds per event (median of rounds), the share of time spent in
collections (measured with ``gc.callbacks``), and collections per 1,000 events::

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
from typing import Annotated, Any

import msgspec

from benchmarks import _common
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


def child(scenario: str, events: int, rounds: int, heap: int) -> dict[str, Any]:
    """One scenario, in this process."""
    from socketio.packet import ACK, Packet

    from sioschema._codec import PacketCodec
    from sioschema._wire import Limits
    from sioschema.inspect import by_namespace
    from sioschema.socketio import codec_packet

    registry = Untracked if "gc=False" in scenario else PAYLOADS["large"].registry
    event = registry.bench  # type: ignore[attr-defined]
    codec = PacketCodec(by_namespace(registry), Limits(max_payload_bytes=1 << 20))
    packet_class = codec_packet()
    frame = PAYLOADS["large"].packet
    state = [{"id": i, "tags": [i]} for i in range(heap // 3)]  # live server state
    kept: deque[Any] = deque(maxlen=10)
    if "freeze" in scenario:
        gc.collect()
        gc.freeze()
    if scenario == "gc off":
        gc.disable()

    spent = [0.0]
    started = [0.0]

    def on_gc(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - started[0]

    gc.callbacks.append(on_gc)

    def stock() -> None:
        snapshot = Packet(encoded_packet=frame).data[1]
        kept.append(snapshot)
        Packet(ACK, data=[snapshot], id=1).encode()

    def one() -> None:
        found = codec.decode_frame(frame)
        assert found is not None
        (snapshot,) = found[4]
        kept.append(snapshot)  # the handler keeps recent snapshots as game state
        data = [event.ack_codec.encode(snapshot, EVENT, "/", raw=True)]
        packet_class(ACK, data=data, id=1, binary=False).encode()

    per_event: list[float] = []
    gc_share: list[float] = []
    collections = 0
    for _ in range(rounds):
        before = sum(s["collections"] for s in gc.get_stats())
        spent[0] = 0.0
        start = time.perf_counter()
        step = stock if scenario == "stock dicts" else one
        for _ in range(events):
            step()
        took = time.perf_counter() - start
        collections += sum(s["collections"] for s in gc.get_stats()) - before
        per_event.append(took / events * 1e6)
        gc_share.append(spent[0] / took)
    gc.callbacks.remove(on_gc)
    del state
    return {
        "us_per_event": statistics.median(per_event),
        "gc_share": statistics.median(gc_share),
        "collections_per_1000_events": collections / (events * rounds) * 1000,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    events = 200 if args.quick else args.events
    rounds = 2 if args.quick else args.rounds
    heap = 30_000 if args.quick else args.heap
    results: dict[str, Any] = {}
    for scenario in SCENARIOS:
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.gc_pauses",
                "--child",
                scenario,
                "--events",
                str(events),
                "--rounds",
                str(rounds),
                "--heap",
                str(heap),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        results[scenario] = json.loads(out.stdout)
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
        f"{result['events']} events x {result['rounds']} rounds per scenario, each in a fresh "
        f"process with {result['heap']:,} live objects; medians; ratio to 'default'"
    )
    rows = [
        [
            name,
            _common.fmt_us(row["us_per_event"]),
            f"{row['ratio']:.2f}x",
            f"{row['gc_share']:.1%}",
            f"{row['collections_per_1000_events']:.0f}",
        ]
        for name, row in result["results"].items()
    ]
    out.append("")
    out.append(
        _common.table(["scenario", "per event", "ratio", "time in GC", "GCs / 1k events"], rows)
    )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = _common.parser(__doc__)
    parser.add_argument("--events", type=int, default=2000, help="events per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per scenario")
    parser.add_argument("--heap", type=int, default=300_000, help="live objects at start-up")
    parser.add_argument("--child", choices=SCENARIOS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.events, args.rounds, args.heap)))
        return
    result = run(args)
    _common.emit(result, text(result), args.json, args.save)


if __name__ == "__main__":
    main()
