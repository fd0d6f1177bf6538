"""Decode+validate and encode of one payload, per contender.

``in``: the JSON bytes of the event's argument -> the typed object a handler gets (a
dict for the untyped rows). ``out``: the typed object the handler returns -> JSON
bytes. Contenders run interleaved in one process; medians of the rounds, and the ratio
to stock ``json`` measured in the same run::

    python -m benchmarks.micro [--payloads small medium large] [--contenders ...]
                               [--rounds 9] [--target 0.05] [--instructions]
                               [--quick] [--json]

``--instructions`` also counts instructions per event under valgrind (as
``benchmarks.instructions`` does) and prints them beside the wall clock.
"""

from __future__ import annotations

from benchmarks import _codecs

BASELINE = "stock json.loads/dumps (untyped)"


def main(argv: list[str] | None = None) -> None:
    _codecs.main(
        "micro", __doc__, "micro: one payload in (decode+validate) and out (encode)", BASELINE, argv
    )


if __name__ == "__main__":
    main()
