"""Per-event cost of a validated event against plain Flask-SocketIO, same handler.

Drives Flask-SocketIO's test client (the whole server path: packet decode, dispatch,
handler, ack encode; no network) for a small acked event, interleaving the contenders
and reporting medians of several rounds and their same-run difference and ratio::

    python -m benchmarks.roundtrip [--events 20000] [--rounds 7] [--json]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections.abc import Callable
from importlib.metadata import version
from typing import Annotated, Any

import flask
import flask_socketio
import msgspec

from sioschema import Event, EventRegistry
from sioschema.flask import SocketIO as ValidatedSocketIO


class MakeMove(msgspec.Struct, forbid_unknown_fields=True):
    game_id: Annotated[int, msgspec.Meta(ge=1)]
    x: Annotated[int, msgspec.Meta(ge=0, le=2)]
    y: Annotated[int, msgspec.Meta(ge=0, le=2)]


class MoveAck(msgspec.Struct):
    ok: bool


class Api(EventRegistry):
    make_move = Event(request=MakeMove, ack=MoveAck)


MOVE = {"game_id": 1, "x": 1, "y": 2}


def plain_client() -> Any:
    app = flask.Flask("plain")
    sio = flask_socketio.SocketIO(app, async_mode="threading", async_handlers=False)

    @sio.on("make_move")
    def make_move(move: dict[str, Any]) -> dict[str, Any]:
        return {"ok": move["x"] >= 0}

    return sio.test_client(app)


def validated_client() -> Any:
    app = flask.Flask("validated")
    sio = ValidatedSocketIO(app, registry=Api, async_mode="threading", async_handlers=False)

    @sio.on(Api.make_move)
    def make_move(move: MakeMove) -> MoveAck:
        return MoveAck(ok=move.x >= 0)

    return sio.test_client(app)


def timed(client: Any, events: int) -> float:
    emit = client.emit
    start = time.perf_counter()
    for _ in range(events):
        emit("make_move", MOVE, callback=True)
    return (time.perf_counter() - start) / events * 1e6


def layer_cost(events: int) -> float:
    """The sioschema layer alone: validate the request, then check and encode the ack."""
    from sioschema._dispatch import Dispatcher

    core = Dispatcher(Api)
    event = Api.make_move
    decode = event.request_codec.decode
    args = (MOVE,)
    start = time.perf_counter()
    for _ in range(events):
        (move,) = decode(args, "make_move", "/")
        core.encode_ack(event, MoveAck(ok=move.x >= 0), "/")
    return (time.perf_counter() - start) / events * 1e6


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    contenders: dict[str, Callable[[], Any]] = {
        "flask-socketio (no validation)": plain_client,
        "sioschema (validated)": validated_client,
    }
    clients = {name: make() for name, make in contenders.items()}
    for client in clients.values():  # same answers, then warm up
        assert client.emit("make_move", MOVE, callback=True) == {"ok": True}
        timed(client, 2000)
    samples: dict[str, list[float]] = {name: [] for name in clients}
    layer: list[float] = []
    order = list(clients.items())
    for _ in range(args.rounds):  # interleaved, alternating which goes first
        for name, client in order:
            samples[name].append(timed(client, args.events))
        order.reverse()
        layer.append(layer_cost(args.events * 5))

    medians = {name: statistics.median(values) for name, values in samples.items()}
    plain, validated = medians.values()
    result = {
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "python": platform.python_version(),
        "versions": {pkg: version(pkg) for pkg in ("flask-socketio", "python-socketio", "msgspec")},
        "events_per_round": args.events,
        "rounds": args.rounds,
        "median_us_per_event": medians,
        "difference_us": validated - plain,
        "ratio": validated / plain,
        "layer_us_per_event": statistics.median(layer),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(
        f"Flask-SocketIO test-client round trip, small acked event "
        f"({args.events} events x {args.rounds} rounds, medians)"
    )
    for name, value in medians.items():
        print(f"  {name:34} {value:8.2f} us/event")
    print(f"  {'difference':34} {validated - plain:+8.2f} us/event")
    print(f"  {'ratio validated / plain':34} {validated / plain:8.3f}x")
    print(
        f"  {'sioschema layer alone':34} {result['layer_us_per_event']:8.2f} us/event"
        "  (request decode + ack check)"
    )
    print(
        f"  python {result['python']}, "
        + ", ".join(f"{k} {v}" for k, v in result["versions"].items())
    )


if __name__ == "__main__":
    main()
