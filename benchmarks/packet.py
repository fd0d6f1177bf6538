"""The whole Socket.IO packet: an EVENT in, validated; its ACK out, encoded.

``in``: ``21["bench",{...}]`` (what python-socketio's server receives from Engine.IO)
-> the validated arguments the handler is called with: python-socketio's
``Packet(encoded_packet=...)`` decode, then each contender's validation. ``out``: the
handler's return value -> the ACK packet string (``Packet(ACK, ...).encode()``, which
walks the data looking for binary). The ``msgspec`` rows are references: the stock
Packet on msgspec's untyped JSON, and one typed msgspec pass over the whole packet (the
floor a registry-aware packet codec can reach)::

    python -m benchmarks.packet [--payloads ...] [--contenders ...] [--instructions]
                                [--quick] [--json]

``--instructions`` also counts instructions per event under valgrind (as
``benchmarks.instructions`` does) and prints them beside the wall clock.
"""

from __future__ import annotations

from benchmarks import _codecs

BASELINE = "stock Packet (untyped)"


def main(argv: list[str] | None = None) -> None:
    _codecs.main(
        "packet",
        __doc__,
        "packet: EVENT packet in (decode+validate), ACK packet out",
        BASELINE,
        argv,
    )


if __name__ == "__main__":
    main()
