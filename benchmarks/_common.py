"""What every benchmark shares: the machine, versions, interleaved timing, tables."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any

PACKAGES = (
    "sioschema",
    "msgspec",
    "python-socketio",
    "python-engineio",
    "flask-socketio",
    "sio-asyncapi",
    "pydantic",
    "pydantic-core",
    "uvicorn",
    "uvloop",
    "websockets",
    "wsproto",
    "aiohttp",
    "gevent",
    "simple-websocket",
)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    """CPU, cores, Python and OS, for the report."""
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": f"{platform.system()} {platform.release()}",
    }


def versions(packages: Iterable[str] = PACKAGES) -> dict[str, str]:
    found = {}
    for pkg in packages:
        try:
            found[pkg] = version(pkg)
        except PackageNotFoundError:
            found[pkg] = "not installed"
    return found


def parser(doc: str | None) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        description=(doc or "").split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--quick", action="store_true", help="a smoke run: tiny counts")
    p.add_argument("--payloads", nargs="+", default=None, metavar="SIZE", help="small medium large")
    p.add_argument("--contenders", nargs="+", default=None, metavar="NAME")
    p.add_argument("--save", default=None, metavar="FILE", help="also write the JSON here")
    return p


def add_instructions_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--instructions",
        action="store_true",
        help="also count instructions per event under valgrind (benchmarks.instructions)",
    )
    p.add_argument(
        "--instructions-from",
        default=None,
        metavar="FILE",
        help="take the counts from a saved `benchmarks.instructions --save FILE` run\n"
        "(they repeat on the same code and versions) instead of counting again",
    )


def counted(kind: str, sizes: list[str], names: list[str], args: argparse.Namespace) -> Any:
    """``{size: {"events": n, "instructions": {label: per event}}}``, or ``None``."""
    if args.instructions_from:
        with open(args.instructions_from) as f:
            saved: dict[str, Any] = json.load(f)["results"].get(kind, {})
        return {size: saved[size] for size in sizes if size in saved}
    if args.instructions:
        from benchmarks import instructions

        return instructions.run([kind], sizes, names, args.quick, None)[kind]
    return None


def per_call_us(fn: Callable[[], Any], number: int) -> float:
    """Microseconds per call of ``fn`` over ``number`` calls."""
    clock = time.perf_counter
    start = clock()
    for _ in range(number):
        fn()
    return (clock() - start) / number * 1e6


def calibrate(fn: Callable[[], Any], target_s: float) -> int:
    """How many calls of ``fn`` take about ``target_s`` seconds."""
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        took = time.perf_counter() - start
        if took >= target_s / 10 or number >= 1 << 24:
            return max(1, int(number * target_s / max(took, 1e-9)))
        number *= 10


def alternating(names: Sequence[str], rounds: int) -> Iterator[str]:
    """Every name once per round, in alternating order (forwards, backwards, ...)."""
    for r in range(rounds):
        yield from names if r % 2 == 0 else reversed(names)


def interleaved(
    cases: dict[str, Callable[[], Any]], rounds: int, target_s: float
) -> dict[str, dict[str, float]]:
    """Time every case in each round, alternating the order; medians and spread.

    Each round runs every case for about ``target_s`` seconds, so a burst of noise
    on the machine hits one round of every case rather than all rounds of one case.
    """
    numbers = {name: calibrate(fn, target_s) for name, fn in cases.items()}
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for name in alternating(list(cases), rounds):
        samples[name].append(per_call_us(cases[name], numbers[name]))
    return {
        name: {
            "median_us": statistics.median(values),
            "min_us": min(values),
            "max_us": max(values),
            "calls_per_round": numbers[name],
        }
        for name, values in samples.items()
    }


def fmt_us(us: float) -> str:
    if us >= 1000:
        return f"{us / 1000:.2f} ms"
    if us >= 10:
        return f"{us:.1f} us"
    return f"{us:.3f} us"


def fmt_range(low: float, high: float) -> str:
    """The spread of a wall-clock figure over the rounds: ``min-max``."""
    if high >= 1000:
        return f"{low / 1000:.2f}-{high / 1000:.2f} ms"
    if high >= 10:
        return f"{low:.1f}-{high:.1f} us"
    return f"{low:.2f}-{high:.2f} us"


def fmt_count(n: float | None) -> str:
    """Instructions per event."""
    return "-" if n is None else f"{n:,.0f}"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table, right-aligned except the first column."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        parts = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def header(title: str, command: str | None = None) -> str:
    m = machine()
    v = versions()
    lines = [
        title,
        f"machine: {m['cpu']}, {m['cores']} cores, {m['python']}, {m['os']}",
        "versions: " + ", ".join(f"{k} {val}" for k, val in v.items() if val != "not installed"),
    ]
    if command:
        lines.append(f"command: {command}")
    return "\n".join(lines)


def command_line() -> str:
    module = sys.modules["__main__"].__spec__
    name = module.name if module else sys.argv[0]
    args = sys.argv[1:]
    if "--save" in args:  # where the JSON went is not part of the benchmark
        i = args.index("--save")
        args = args[:i] + args[i + 2 :]
    return " ".join(["python -m", name, *args])


def emit(result: dict[str, Any], text: str, as_json: bool, save: str | None = None) -> None:
    """Print the result as JSON or as the text report; ``save`` also writes the JSON."""
    if save:
        with open(save, "w") as f:
            json.dump(result, f, indent=2)
    if as_json:
        print(json.dumps(result, indent=2))
    else:
        print(text)


def report(**fields: Any) -> dict[str, Any]:
    return {"machine": machine(), "versions": versions(), "command": command_line(), **fields}
