"""Memory held by one decoded payload, per contender (tracemalloc).

Each contender's ``micro`` decode turns the payload's JSON bytes into what a handler
receives; many such objects are kept alive and the bytes tracemalloc sees allocated for
them are divided by their number (the JSON input and the interpreter's caches are not
counted). Also: how many of those objects the garbage collector tracks (it has to walk
every one of them on each full collection)::

    python -m benchmarks.memory [--payloads ...] [--contenders ...] [--quick] [--json]
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable
from typing import Any

from benchmarks import _common, _proof
from benchmarks.contenders import load
from benchmarks.payloads import PAYLOADS

BASELINE = "stock json.loads/dumps (untyped)"
COUNTS = {"small": 2000, "medium": 1000, "large": 20}


def _tracked(obj: Any) -> int:
    """Objects reachable from ``obj`` (itself included) that the GC tracks."""
    seen: set[int] = set()
    stack = [obj]
    n = 0
    while stack:
        o = stack.pop()
        if id(o) in seen or isinstance(o, type):  # classes are shared, not per object
            continue
        seen.add(id(o))
        if gc.is_tracked(o):
            n += 1
        stack.extend(gc.get_referents(o))
    return n


def held_bytes(decode: Callable[[bytes], Any], data: bytes, count: int) -> float:
    decode(data)  # warm caches (key interning, validators) outside the measurement
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = [decode(data) for _ in range(count)]
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    list_overhead = 56 + 8 * count  # the list holding them, roughly
    del kept
    return (after - before - list_overhead) / count


def main(argv: list[str] | None = None) -> None:
    args = _common.parser(__doc__).parse_args(argv)
    mods, missing = load(args.contenders)
    results: dict[str, Any] = {}
    for size in args.payloads or PAYLOADS:
        p = PAYLOADS[size]
        count = 20 if args.quick else COUNTS[size]
        rows: dict[str, Any] = {}
        for mod in mods.values():
            codecs = mod.micro(p)
            _proof.codecs("micro", p, codecs)  # each row validates, or says it does not
            for label, codec in codecs.items():
                obj = codec.decode(p.json)
                rows[label] = {
                    "bytes": held_bytes(codec.decode, p.json, count),
                    "gc_tracked": _tracked(obj),
                    "type": type(obj).__name__,
                }
        base = rows.get(BASELINE, {}).get("bytes")
        for row in rows.values():
            row["ratio"] = row["bytes"] / base if base else None
        results[size] = {"json_bytes": len(p.json), "objects": count, "rows": rows}

    result = _common.report(
        benchmark="memory", baseline=BASELINE, missing_contenders=missing, results=results
    )
    out = [
        _common.header("memory: bytes held per decoded payload (tracemalloc)", result["command"])
    ]
    for name, why in missing.items():
        out.append(f"skipped {name}: {why}")
    for size, per in results.items():
        out.append("")
        out.append(f"{size} ({per['json_bytes']} B of JSON, {per['objects']} objects kept)")
        table_rows = [
            [
                label,
                r["type"],
                f"{r['bytes']:,.0f} B",
                f"{r['ratio']:.2f}x" if r["ratio"] else "-",
                r["gc_tracked"],
            ]
            for label, r in per["rows"].items()
        ]
        out.append(_common.table(["contender", "type", "held", "ratio", "gc-tracked"], table_rows))
    _common.emit(result, "\n".join(out), args.json, args.save)


if __name__ == "__main__":
    main()
