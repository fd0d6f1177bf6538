"""Instructions per event, counted by valgrind's callgrind: figures that repeat.

Wall clock on a shared machine moves from run to run; the number of instructions a
contender executes per event does not (to a fraction of a percent). Each benchmark
and payload size runs in a fresh process under ``valgrind --tool=callgrind`` with a
fixed ``PYTHONHASHSEED``. Nothing is counted at start-up (``--collect-atstart=no``):
each case is warmed up, the collector is run (``gc.collect()``, so every case starts
from the same collector state), and then its events run inside one
``itertools.starmap`` loop, and only what runs inside ``starmap``'s C iterator is
counted (``--toggle-collect=starmap_next``): the events and every garbage collection
they trigger, not the loop around them. A call of ``itertools.pairwise`` separates
the cases (``--dump-before=pairwise_new``: one callgrind dump per case). Nothing
the contenders run calls either function; the dump count is checked.

The windows are long enough to include the periodic collections: 5,000 events for the
small and medium payloads, 200 for the large one (100 through the test client: each large
event allocates hundreds
of containers, so collections of every generation fall inside the window).

Benchmarks: ``packet`` (an EVENT packet in, its ACK out, as ``benchmarks.packet``),
``roundtrip`` (an acked event through Flask-SocketIO's test client, as
``benchmarks.roundtrip``) and ``micro``. Prints instructions per event and the ratios
sioschema / stock and sioschema / sio-asyncapi, the figures to compare before and after
a change of sioschema's core::

    python -m benchmarks.instructions [--benchmarks packet roundtrip] [--payloads ...]
                                      [--contenders ...] [--events N] [--quick] [--json]

``ack`` (not run by default) counts a declared ack received, sioschema's own path: an
ACK frame ``31[{...}]`` answering an emit of a declared ack (a server's ``Emit`` the
client acks, a typed client's ``Event`` the server acks) in through ``Core.receive``,
then what python-socketio's ``_handle_ack`` does with the action (the callback of the
id called with its arguments); the callback gets the typed ack::

    python -m benchmarks.instructions --benchmarks ack --contenders sioschema \
                                      --payloads small medium

``errors`` (not run by default) counts a declared error answered beside the ack: one
event declaring one error, through Flask-SocketIO's test client, its handler returning
the ack or raising ``Reject`` of the declared error (the envelope, its ``data`` checked
and encoded)::

    python -m benchmarks.instructions --benchmarks errors --contenders sioschema \
                                      --payloads small medium

``floor`` (not run by default; a few minutes) sets sioschema's one pass,
``PacketCodec.decode_frame`` on the frame ``21["bench",{...}]`` (the header split,
decode and validation, the checks of limits and numbers, the typed arguments), beside
msgspec alone: a bare ``msgspec.json.Decoder`` of the same ``array_like`` Struct tagged
with the event name, over the frame's JSON body, and over the frame cut at its first
``[``. Each counted call goes through one Python call of the loop, as in the other
benchmarks; the loop's own cost (an empty call, counted too) is taken off both sides of
the ratios, printed as the line ``decode+validate vs bare typed decode``::

    python -m benchmarks.instructions --benchmarks floor

Needs ``valgrind`` on the PATH and a CPython whose symbols are not stripped.
"""

from __future__ import annotations

import collections
import gc
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from benchmarks import _common, _proof
from benchmarks.contenders import load
from benchmarks.payloads import EVENT, PAYLOADS

KINDS = ("micro", "packet", "roundtrip", "floor", "ack", "errors")
DEFAULT_CONTENDERS = ("stock", "pydantic", "sio-asyncapi", "sioschema")
EVENTS = {"small": 5000, "medium": 5000, "large": 200}
HASHSEED = "0"
# what sioschema is compared with, per benchmark: (label of sioschema's row, others)
COMPARED = {
    "packet": (
        "sioschema codec",
        {
            "stock": "stock Packet (untyped)",
            "sio-asyncapi": "sio-asyncapi (stock Packet + 2x model_validate)",
        },
    ),
    "roundtrip": ("sioschema", {"stock": "stock", "sio-asyncapi": "sio-asyncapi"}),
    "floor": (
        "sioschema decode_frame (decode+validate)",
        {
            "body": "msgspec bare typed decode of the JSON body",
            "frame": "msgspec bare typed decode of the frame cut at its first [",
        },
    ),
    "ack": ("sioschema", {}),
    "errors": ("sioschema", {}),
    "micro": (
        "sioschema ArgsCodec (untyped msgspec + convert)",
        {
            "stock": "stock json.loads/dumps (untyped)",
            "sio-asyncapi": "sio-asyncapi json.loads + 2x model_validate",
        },
    ),
}


# -- the child: cases, run under callgrind -----------------------------------------------


def cases(kind: str, size: str, names: Iterable[str]) -> dict[str, Callable[[], Any]]:
    """``{label: one event}`` for a benchmark and payload size; every contender has
    proved first that it does what its label says (``benchmarks._proof``)."""
    p = PAYLOADS[size]
    if kind == "floor":
        return floor_cases(p)
    if kind == "ack":
        return ack_cases(p)
    if kind == "errors":
        return errors_cases(p)
    mods, _ = load(names)
    found: dict[str, Callable[[], Any]] = {}
    if kind == "roundtrip":
        for name, mod in mods.items():
            client = _proof.flask_test_client(name, mod, p)
            if client is None:
                continue
            value = p.value
            found[name] = lambda c=client, v=value: c.emit(EVENT, v, callback=True)
        return found
    wire = p.json if kind == "micro" else p.packet
    for mod in mods.values():
        codecs = getattr(mod, kind)(p)
        _proof.codecs(kind, p, codecs)
        for label, c in codecs.items():
            found[f"{label} | in"] = lambda c=c, w=wire: c.decode(w)
            found[f"{label} | out"] = lambda c=c: c.encode(c.obj)
    return found


EMPTY = "the loop's own call (nothing)"


def floor_cases(p: Any) -> dict[str, Callable[[], Any]]:
    """sioschema's one pass over a frame beside msgspec's bare typed decode of it (the
    ``floor`` benchmark); each proves first that it validates."""
    import msgspec

    from sioschema._codec import PacketCodec
    from sioschema._wire import Limits
    from sioschema.inspect import by_namespace

    codec = PacketCodec(by_namespace(p.registry), Limits())
    tagged = msgspec.defstruct(
        "Tagged",
        [("a0", p.struct)],
        array_like=True,
        tag=EVENT,
        forbid_unknown_fields=True,
        gc=False,  # as sioschema's packet types
    )
    bare = msgspec.json.Decoder(tagged).decode
    frame = p.packet
    body = frame[frame.index("[") :]
    ours, others = COMPARED["floor"]
    if codec.decode_frame(frame) is None or codec.decode_frame(p.invalid_packet) is not None:
        msg = f"{ours!r} ({p.size}) does not decide the frames it should"
        raise _proof.ProofFailed(msg)
    try:
        bare(p.invalid_packet[p.invalid_packet.index("[") :])
    except msgspec.ValidationError:
        pass
    else:
        msg = f"the bare decode ({p.size}) accepted an invalid payload"
        raise _proof.ProofFailed(msg)
    return {
        ours: lambda: codec.decode_frame(frame),
        others["body"]: lambda: bare(body),
        others["frame"]: lambda: bare(frame[frame.index("[") :]),
        EMPTY: lambda: None,
    }


class _AckSessions:
    """The one session ``s1`` of connection ``e1``, with python-socketio's callbacks."""

    def __init__(self) -> None:
        self.callbacks: dict[int, Any] = {}

    def sid(self, eio_sid: str, namespace: str) -> str | None:
        return "s1"

    def awaits_ack(self, sid: str, id: int) -> Any:
        return self.callbacks.get(id)

    def handles(self, namespace: str, name: str) -> bool:
        return True


def ack_cases(p: Any) -> dict[str, Callable[[], Any]]:
    """A declared ack received by a server and by a typed client (the ``ack``
    benchmark); each proves first that its callback gets the ack typed, and not an
    invalid one."""
    import logging

    import msgspec
    from socketio.packet import Packet

    from sioschema import Emit, EventRegistry
    from sioschema._core import Core

    logging.disable(logging.WARNING)  # the invalid ack of the proof is logged
    emits = type(
        f"BenchAck{p.size.title()}", (EventRegistry,), {EVENT: Emit(p.struct, ack=p.struct)}
    )
    frame, invalid = f"31[{p.json.decode()}]", f"31[{p.invalid_json.decode()}]"
    found: dict[str, Callable[[], Any]] = {}
    sides: list[tuple[Any, Any, Any]] = [
        ("server", emits, emits.bench),
        ("client", p.registry, p.event),
    ]
    for side, registry, declared in sides:
        core = Core(registry, side=side)
        sessions = _AckSessions()
        core.attach(sessions, Packet.reconstruct_binary, raw_out=True)
        got: list[Any] = []
        callback = core.checked_callback(declared, "/", got.append)

        def one(
            f: str = frame,
            c: Any = core,
            w: dict[int, Any] = sessions.callbacks,
            cb: Any = callback,
        ) -> None:
            w[1] = cb  # what emit() keeps for the ack id
            (action,) = c.receive("e1", f)
            w.pop(action.id)(*action.args)  # python-socketio's _handle_ack

        one()
        one(invalid)
        if got != [msgspec.convert(p.value, p.struct)]:
            msg = f"the {side}'s ack callback ({p.size}) did not get the typed ack alone"
            raise _proof.ProofFailed(msg)
        found[f"sioschema {side}: ACK in, typed callback"] = one
    return found


def errors_cases(p: Any) -> dict[str, Callable[[], Any]]:
    """A declared error answered beside the ack (the ``errors`` benchmark): the same
    event, declaring one error, through Flask-SocketIO's test client, its handler
    returning the ack or raising :class:`~sioschema.Reject` of the declared error; each
    proves first that its client gets what its label says."""
    import flask
    import msgspec

    from sioschema import Event, EventRegistry, Reject
    from sioschema.flask import SocketIO

    class Refused(msgspec.Struct, tag="refused"):
        """The request was refused."""

        reason: str

    registry: Any = type(
        f"BenchErrors{p.size.title()}",
        (EventRegistry,),
        {EVENT: Event(request=p.struct, ack=p.struct, errors=[Refused])},
    )
    refused = Refused(reason="not now")

    def acked(obj: Any) -> Any:
        return obj

    def rejected(obj: Any) -> Any:
        raise Reject(refused)

    found: dict[str, Callable[[], Any]] = {}
    for label, handler in [
        ("sioschema: handler returns the ack", acked),
        ("sioschema: handler raises a declared Reject", rejected),
    ]:
        app = flask.Flask(__name__)
        sio = SocketIO(app, registry=registry, async_mode="threading", async_handlers=False)
        sio.on(registry.bench)(handler)
        client = sio.test_client(app)
        got = client.emit(EVENT, p.value, callback=True)
        want: Any = p.value
        if handler is rejected:
            want = {"error": {"code": "refused", "data": {"type": "refused", "reason": "not now"}}}
            if isinstance(got, dict) and "error" in got:  # message, path, event: not timed
                got = {"error": {k: got["error"].get(k) for k in ("code", "data")}}
        if got != want:
            msg = f"{label!r} ({p.size}) answered {str(got)[:200]}"
            raise _proof.ProofFailed(msg)
        value = p.value
        found[label] = lambda c=client, v=value: c.emit(EVENT, v, callback=True)
    return found


def child(kind: str, size: str, names: list[str], events: int) -> None:
    """Run each case: warm up, collect, mark, then the counted loop. Prints the labels."""
    run_counted(cases(kind, size, names), events)


def run_counted(found: dict[str, Callable[[], Any]], events: int) -> None:
    """The child's side of :func:`callgrind`: each case warmed up, the collector run,
    the mark, then ``events`` calls in the counted loop; prints the labels."""
    import logging

    logging.disable(logging.WARNING)  # rejected events are logged; not here
    labels = []
    for label, fn in found.items():
        for _ in range(max(3, min(events // 20, 100))):
            fn()
        gc.collect()
        itertools.pairwise(())  # callgrind dumps here: the case starts
        collections.deque(itertools.starmap(fn, itertools.repeat((), events)), maxlen=0)
        labels.append(label)
    print(json.dumps(labels))


# -- the parent: valgrind, the dumps, the table -----------------------------------------


def _totals(path: Path) -> int:
    for line in path.read_text().splitlines():
        if line.startswith("totals:"):
            return int(line.split()[1])
    msg = f"no totals in {path}"
    raise RuntimeError(msg)


def count(kind: str, size: str, names: Iterable[str], events: int) -> dict[str, float]:
    """Instructions per event, per case label, for one benchmark and payload size."""
    child_args = [kind, size, str(events), *names]
    return callgrind("benchmarks.instructions", child_args, events)


def callgrind(module: str, child_args: list[str], events: int) -> dict[str, float]:
    """Instructions per event, per case label: ``python -m <module> --child
    <child_args>`` under callgrind, a child that runs its cases through
    :func:`run_counted` with ``events`` events each."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        msg = (
            "`valgrind` is missing: install the Debian package valgrind"
            " (sudo apt-get install valgrind); the instruction counts need its callgrind"
        )
        raise SystemExit(msg)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        done = subprocess.run(
            [
                valgrind,
                "--tool=callgrind",
                "--collect-atstart=no",
                "--toggle-collect=starmap_next",
                "--dump-before=pairwise_new",
                f"--callgrind-out-file={out}",
                sys.executable,
                "-m",
                module,
                "--child",
                *child_args,
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": HASHSEED},
        )
        if done.returncode:
            if "benchmark aborted: " in done.stderr:
                message = done.stderr.split("benchmark aborted: ", 1)[1].splitlines()[0]
                raise _proof.ProofFailed(message)
            msg = f"the callgrind run failed:\n{done.stderr[-3000:]}"
            raise RuntimeError(msg)
        labels: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
        # dump i (1-based) is taken as case i starts: it holds case i-1; the last case
        # is in the final dump, written at exit
        dumps = sorted(Path(tmp).glob("callgrind.out.*"), key=lambda f: int(f.suffix[1:]))
        if len(dumps) != len(labels):
            msg = f"expected {len(labels)} callgrind dumps, found {len(dumps)}"
            raise RuntimeError(msg)
        files = [*dumps[1:], out]
        return {label: _totals(f) / events for label, f in zip(labels, files, strict=True)}


def run(
    kinds: Iterable[str], sizes: Iterable[str], names: list[str], quick: bool, events: int | None
) -> dict[str, Any]:
    """``{kind: {size: {"events": n, "instructions": {label: per event}}}}``."""
    results: dict[str, Any] = {}
    for kind in kinds:
        results[kind] = {}
        for size in sizes:
            n = 50 if quick else events or EVENTS[size]
            if not quick and kind == "roundtrip" and size == "large":
                n = events or 100
            print(f"  counting {kind} {size} ({n} events per case)", file=sys.stderr, flush=True)
            results[kind][size] = {"events": n, "instructions": count(kind, size, names, n)}
    return results


def ratios(kind: str, per_size: dict[str, Any]) -> dict[str, float | None]:
    """sioschema / stock and sioschema / sio-asyncapi, in and out (packet, micro) or
    per round trip."""
    ours, others = COMPARED[kind]
    got = per_size["instructions"]
    out: dict[str, float | None] = {}
    if kind == "floor":  # net of the loop's own call
        empty = got.get(EMPTY, 0.0)
        for other, label in others.items():
            a, b = got.get(ours), got.get(label)
            out[f"sioschema / bare {other}"] = (a - empty) / (b - empty) if a and b else None
        return out
    suffixes = [""] if kind in ("roundtrip", "ack", "errors") else [" | in", " | out"]
    for other, label in others.items():
        for suffix in suffixes:
            a, b = got.get(ours + suffix), got.get(label + suffix)
            out[f"sioschema / {other}{suffix.replace(' | ', ' ')}"] = a / b if a and b else None
    return out


def text(result: dict[str, Any]) -> str:
    out = [_common.header(result["title"], result["command"])]
    out.append(
        f"instructions per event (callgrind, PYTHONHASHSEED={HASHSEED}); "
        "collections inside the window included"
    )
    for kind, per_kind in result["results"].items():
        for size, per in per_kind.items():
            out.append("")
            out.append(f"{kind} {size} ({per['events']} events per case)")
            got = per["instructions"]
            if kind in ("roundtrip", "floor", "ack", "errors"):
                rows = [[label, _common.fmt_count(n)] for label, n in got.items()]
                out.append(_common.table(["contender", "instructions/event"], rows))
            else:
                labels = list(dict.fromkeys(label.rsplit(" | ", 1)[0] for label in got))
                rows = [
                    [
                        label,
                        _common.fmt_count(got[f"{label} | in"]),
                        _common.fmt_count(got[f"{label} | out"]),
                    ]
                    for label in labels
                ]
                out.append(_common.table(["contender", "in", "out"], rows))
            out.append(
                "  ".join(
                    f"{name} {r:.2f}x" if r else f"{name} -" for name, r in per["ratios"].items()
                )
            )
    if result.get("decode_vs_bare"):
        out.append("")
        out.append(result["decode_vs_bare"])
    return "\n".join(out)


def floor_line(per_kind: dict[str, Any]) -> str:
    """``decode+validate vs bare typed decode`` per payload size, net of the loop."""
    parts = []
    for size, per in per_kind.items():
        body, frame = per["ratios"].values()
        if body and frame:
            parts.append(f"{size} {body:.2f}x ({frame:.2f}x of the cut frame)")
    return "decode+validate vs bare typed decode (instructions): " + ", ".join(parts)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        kind, size, events, *names = argv[1:]
        child(kind, size, names, int(events))
        return
    parser = _common.parser(__doc__)
    parser.add_argument("--benchmarks", nargs="+", default=["packet", "roundtrip"], choices=KINDS)
    parser.add_argument("--events", type=int, default=None, help="events per case")
    args = parser.parse_args(argv)
    names = list(args.contenders or DEFAULT_CONTENDERS)
    _, missing = load(names)
    names = [n for n in names if n not in missing]
    sizes = args.payloads or list(PAYLOADS)
    results = run(args.benchmarks, sizes, names, args.quick, args.events)
    for kind, per_kind in results.items():
        for per in per_kind.values():
            per["ratios"] = ratios(kind, per)

    result = _common.report(
        benchmark="instructions",
        title="instructions: callgrind instruction counts per event",
        hashseed=HASHSEED,
        missing_contenders=missing,
        results=results,
        decode_vs_bare=floor_line(results["floor"]) if "floor" in results else None,
    )
    _common.emit(result, text(result), args.json, args.save)


if __name__ == "__main__":
    main()
