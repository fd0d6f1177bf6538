"""What refusing a hostile frame costs, beside a valid frame of the same size.

A text frame of about 90 KB made of tiny containers is the cheapest way for a client to
make a server work: ``21["make_move",[],[],...]`` (too many arguments),
``21["make_move",[[],[],...]]`` (one argument, a list where a Struct is declared),
the same with ``{}``, and a ``list[Pos]`` argument whose items are ``[]`` or ``{}``.
Then the frames whose refusal is described by reading the text again: a string of
``\\n`` escapes ending in a lone surrogate ``\\ud800``, the same cut off before its
end (``Input data was truncated``), and the first as an ack the server awaits
(``37[...]``, which fails the waiting callback instead of answering).
Each frame goes through sioschema's protocol core (``Core.receive``: the one pass,
then the screening that answers it with its error ack), and through stock
python-socketio's ``Packet(encoded_packet=...)`` decode (stdlib ``json``; stock
refuses nothing, this is what it does with the frame before its handler runs). The
valid frame, ``21["path",[{"x":1,"y":2},...]]`` of the same size, is what a refusal
is measured against.

Instructions per frame, counted by valgrind's callgrind as ``benchmarks.instructions``
counts them (a fresh process, ``PYTHONHASHSEED=0``, only the frames counted); printed
with the ratios sioschema / stock per frame and, per hostile frame, sioschema's cost
over its cost for the valid frame::

    python -m benchmarks.rejections [--events N] [--quick] [--json] [--save FILE]

Every frame first proves what it is: sioschema delivers the valid frame and answers
each hostile one with the error ack its row names; stock decodes each to the value
stdlib ``json`` reads. Needs ``valgrind`` on the PATH.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import msgspec

from benchmarks import _common, _proof, instructions

EVENTS = 20
SIZE = 90_000  # characters of each frame, about
VALID = "valid list[Pos]"
# name -> (frame builder from the number of items, the code sioschema answers with)
SHAPES: dict[str, tuple[Callable[[int], str], str | None]] = {
    VALID: (lambda n: '21["path",[' + ",".join(['{"x":1,"y":2}'] * n) + "]]", None),
    "args [],[],...": (lambda n: '21["make_move",' + ",".join(["[]"] * n) + "]", "bad_arity"),
    "args {},{},...": (lambda n: '21["make_move",' + ",".join(["{}"] * n) + "]", "bad_arity"),
    "Struct <- [[],...]": (
        lambda n: '21["make_move",[' + ",".join(["[]"] * n) + "]]",
        "invalid_payload",
    ),
    "Struct <- [{},...]": (
        lambda n: '21["make_move",[' + ",".join(["{}"] * n) + "]]",
        "invalid_payload",
    ),
    "list[Pos] <- [[],...]": (
        lambda n: '21["path",[' + ",".join(["[]"] * n) + "]]",
        "invalid_payload",
    ),
    "list[Pos] <- [{},...]": (
        lambda n: '21["path",[' + ",".join(["{}"] * n) + "]]",
        "invalid_payload",
    ),
    "str \\n...\\ud800": (lambda n: '21["path","' + "\\n" * n + '\\ud800"]', "bad_packet"),
    "str \\n... cut off": (lambda n: '21["path","' + "\\n" * n, "bad_packet"),
    "ack \\n...\\ud800": (lambda n: '37["' + "\\n" * n + '\\ud800"]', "bad_packet"),
}
AWAITED = 7  # the ack id the joined client's server waits for
OURS = "sioschema Core.receive"
STOCK = "stock Packet decode"


def frames(size: int = SIZE) -> dict[str, str]:
    """Each shape's frame, its item count chosen so it is about ``size`` characters."""
    found = {}
    for name, (build, _) in SHAPES.items():
        item = len(build(2)) - len(build(1))
        found[name] = build(max(1, (size - len(build(0))) // item))
    return found


def core() -> Any:
    """A server's protocol core for the registry below, one client joined to ``/``."""
    from socketio.packet import Packet

    from sioschema import Event, EventRegistry
    from sioschema._core import Core

    class MakeMove(msgspec.Struct, forbid_unknown_fields=True):
        game_id: int
        x: int
        y: int

    class Pos(msgspec.Struct, forbid_unknown_fields=True):
        x: int
        y: int

    class Game(EventRegistry):
        make_move = Event(request=MakeMove, ack=int)
        path = Event(request=list[Pos], ack=int)

    class Joined:
        """The Socket.IO library's answers for one client on ``/`` with handlers."""

        def sid(self, eio_sid: str, namespace: str) -> str | None:
            return "s1" if namespace == "/" else None

        def awaits_ack(self, sid: str, id: int) -> bool:
            return id == AWAITED

        def handles(self, namespace: str, name: str) -> bool:
            return True

    found = Core(Game)
    found.attach(Joined(), Packet.reconstruct_binary, raw_out=False)
    return found


def json_of(frame: str) -> Any:
    """What stdlib ``json`` reads in the frame's JSON (after its header), or ``ValueError``."""
    body = frame[frame.index("[") :]
    try:
        return json.loads(body)
    except ValueError as exc:
        return type(exc)


def stock(frame: str, packet: Any) -> Any:
    """Stock python-socketio's decode of the frame (``packet`` is its ``Packet``): its
    data, or the ``ValueError`` (cut-off JSON) it raises, on which its server drops it."""
    try:
        return packet(encoded_packet=frame).data
    except ValueError as exc:
        return type(exc)


def cases() -> dict[str, Callable[[], Any]]:
    """``{"<contender> | <shape>": one frame}``, each proved first."""
    from socketio.packet import Packet

    from sioschema._core import AckRefused, Deliver, Reply

    ours = core()
    found: dict[str, Callable[[], Any]] = {}
    for name, frame in frames().items():
        code = SHAPES[name][1]
        (action,) = ours.receive("e1", frame)
        if code is None:
            proved = isinstance(action, Deliver) and action.name == "path"
        elif isinstance(action, AckRefused):
            proved = action.id == AWAITED and action.code == code
        else:
            proved = isinstance(action, Reply) and action.reply["error"]["code"] == code
        if not proved:
            msg = f"{OURS!r} answered the frame {name!r} with {action!r:.300}"
            raise _proof.ProofFailed(msg)
        if stock(frame, Packet) != json_of(frame):
            msg = f"{STOCK!r} did not decode the frame {name!r}"
            raise _proof.ProofFailed(msg)
        found[f"{OURS} | {name}"] = lambda f=frame: ours.receive("e1", f)
        found[f"{STOCK} | {name}"] = lambda f=frame: stock(f, Packet)
    return found


def ratios(got: dict[str, float]) -> dict[str, dict[str, float]]:
    """Per shape: sioschema / stock, and sioschema's cost over its valid frame's."""
    valid = got[f"{OURS} | {VALID}"]
    out = {}
    for name in SHAPES:
        a, b = got[f"{OURS} | {name}"], got[f"{STOCK} | {name}"]
        out[name] = {"sioschema / stock": a / b, "sioschema / its valid frame": a / valid}
    return out


def text(result: dict[str, Any]) -> str:
    got, per = result["instructions"], result["ratios"]
    rows = [
        [
            f"{name} ({result['sizes'][name]:,} B)",
            _common.fmt_count(got[f"{OURS} | {name}"]),
            _common.fmt_count(got[f"{STOCK} | {name}"]),
            f"{per[name]['sioschema / stock']:.2f}x",
            f"{per[name]['sioschema / its valid frame']:.2f}x",
        ]
        for name in SHAPES
    ]
    headers = ["frame", "sioschema", "stock", "sioschema / stock", "/ valid frame"]
    return "\n".join(
        [
            _common.header(result["title"], result["command"]),
            f"instructions per frame (callgrind, PYTHONHASHSEED={instructions.HASHSEED}, "
            f"{result['events']} frames per case)",
            _common.table(headers, rows),
        ]
    )


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        instructions.run_counted(cases(), int(argv[1]))
        return
    parser = _common.parser(__doc__)
    parser.add_argument("--events", type=int, default=None, help="frames per case")
    args = parser.parse_args(argv)
    events = 3 if args.quick else args.events or EVENTS
    got = instructions.callgrind("benchmarks.rejections", [str(events)], events)
    result = _common.report(
        benchmark="rejections",
        title="rejections: refusing a hostile 90 KB frame, beside a valid one",
        hashseed=instructions.HASHSEED,
        events=events,
        sizes={name: len(frame) for name, frame in frames().items()},
        instructions=got,
        ratios=ratios(got),
    )
    _common.emit(result, text(result), args.json, args.save)


if __name__ == "__main__":
    main()
