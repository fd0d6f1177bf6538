"""What ``micro`` and ``packet`` share: time every contender's Codec, in and out."""

from __future__ import annotations

import argparse
from typing import Any

from benchmarks import _common, _proof
from benchmarks.contenders import load
from benchmarks.payloads import PAYLOADS, Payload


def _wire(kind: str, p: Payload) -> Any:
    return p.json if kind == "micro" else p.packet


def run(kind: str, title: str, baseline: str, args: argparse.Namespace) -> dict[str, Any]:
    """Time decode and encode per payload; ratios are to ``baseline`` in the same run."""
    mods, missing = load(args.contenders)
    rounds = 3 if args.quick else args.rounds
    target = 0.002 if args.quick else args.target
    results: dict[str, Any] = {}
    for size in args.payloads or PAYLOADS:
        p = PAYLOADS[size]
        wire = _wire(kind, p)
        codecs = {}
        for mod in mods.values():
            codecs.update(getattr(mod, kind)(p))
        _proof.codecs(kind, p, codecs)  # each row validates, or says it does not
        decode = {label: (lambda c=c, w=wire: c.decode(w)) for label, c in codecs.items()}
        encode = {label: (lambda c=c: c.encode(c.obj)) for label, c in codecs.items()}
        per_size: dict[str, Any] = {"bytes": len(wire)}
        for direction, cases in (("decode", decode), ("encode", encode)):
            timed = _common.interleaved(cases, rounds, target)
            base = timed.get(baseline, {}).get("median_us")
            for row in timed.values():
                row["ratio"] = row["median_us"] / base if base else None
            per_size[direction] = timed
        results[size] = per_size
    counted = _common.counted(kind, list(results), list(mods), args)
    for size, per_size in results.items():
        if counted and size in counted:
            got = counted[size]["instructions"]
            for direction, suffix in (("decode", " | in"), ("encode", " | out")):
                for label, row in per_size[direction].items():
                    row["instructions_per_event"] = got.get(label + suffix)
            per_size["instructions_events"] = counted[size]["events"]
    return _common.report(
        benchmark=kind,
        title=title,
        baseline=baseline,
        rounds=rounds,
        seconds_per_case_round=target,
        missing_contenders=missing,
        results=results,
    )


def text(result: dict[str, Any]) -> str:
    out = [_common.header(result["title"], result["command"])]
    out.append(
        f"wall clock: medians of {result['rounds']} interleaved rounds, the lowest and "
        f"highest round beside them; ratio = median / '{result['baseline']}' median, same run"
    )
    counted = any("instructions_events" in per for per in result["results"].values())
    if counted:
        out.append(
            "Ir = instructions per event (callgrind; repeats run to run, wall clock does not)"
        )
    for name, why in result["missing_contenders"].items():
        out.append(f"skipped {name}: {why}")
    for size, per in result["results"].items():
        labels = list(per["decode"])
        base = result["baseline"]
        rows = []
        for label in labels:
            row = [label]
            for direction in ("decode", "encode"):
                d = per[direction][label]
                row += [
                    _common.fmt_us(d["median_us"]),
                    _common.fmt_range(d["min_us"], d["max_us"]),
                    f"{d['ratio']:.2f}x" if d["ratio"] else "-",
                ]
                if counted:
                    n = d.get("instructions_per_event")
                    b = per[direction].get(base, {}).get("instructions_per_event")
                    row += [_common.fmt_count(n), f"{n / b:.2f}x" if n and b else "-"]
            rows.append(row)
        headers = ["contender"]
        for direction in ("in", "out"):
            headers += [direction, "min-max", "ratio"]
            if counted:
                headers += [f"{direction} Ir", "ratio"]
        out.append("")
        events = f", Ir over {per['instructions_events']} events" if counted else ""
        out.append(f"{size} ({per['bytes']} B{events})")
        out.append(_common.table(headers, rows))
    return "\n".join(out)


def main(kind: str, doc: str | None, title: str, baseline: str, argv: list[str] | None) -> None:
    parser = _common.parser(doc)
    parser.add_argument("--rounds", type=int, default=9, help="interleaved rounds (default 9)")
    parser.add_argument(
        "--target", type=float, default=0.05, help="seconds per case per round (default 0.05)"
    )
    _common.add_instructions_flag(parser)
    args = parser.parse_args(argv)
    result = run(kind, title, baseline, args)
    _common.emit(result, text(result), args.json, args.save)
