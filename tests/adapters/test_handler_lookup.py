"""Which events a server delivers and which it answers with ``unknown_event``: whatever
python-socketio's own lookup would find at that moment, however the handler was
registered (``on()``, a class-based namespace, or written into ``handlers`` directly),
and however it was removed. Over a real socket, against a threaded WSGI server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import msgspec
import pytest
import socketio

from sioschema import Event, EventRegistry
from sioschema.socketio import Server
from tests.adapters.cases import error
from tests.rawclient import Raw
from tests.servers import serve_wsgi


class Req(msgspec.Struct):
    x: int


class Api(EventRegistry):
    ping = Event(request=Req, ack=int)


class Pings(socketio.Namespace):
    def on_ping(self, sid: str, req: Req) -> int:
        return 12


def _answer(sid: str, req: Req) -> int:
    return req.x + 6


UNKNOWN = [error("unknown_event", "Unknown event `ping`", None, "ping")]


def _on(sio: Server) -> None:
    sio.on(Api.ping, _answer)


def _written(sio: Server) -> None:
    sio.handlers.setdefault("/", {})["ping"] = _answer


def _upstream_on(sio: Server) -> None:
    socketio.Server.on(sio, "ping", _answer)


def _catch_all(sio: Server) -> None:
    sio.on("*", lambda event, sid, *args: 7)


def _catch_all_namespace(sio: Server) -> None:
    sio.handlers["*"] = {"ping": lambda namespace, sid, req: 7}


def _class(sio: Server) -> None:
    sio.register_namespace(Pings("/"))


def _class_written(sio: Server) -> None:
    namespace = Pings("/")
    namespace._set_server(sio)
    sio.namespace_handlers["/"] = namespace


SETUPS: dict[str, tuple[Callable[[Server], None], Any]] = {
    "on()": (_on, [7]),
    "written into handlers": (_written, [7]),
    "python-socketio's own on()": (_upstream_on, [7]),
    "catch-all event": (_catch_all, [7]),
    "catch-all namespace": (_catch_all_namespace, [7]),
    "class-based namespace": (_class, [12]),
    "class-based namespace written": (_class_written, [12]),
}


@pytest.fixture
def serving() -> Iterator[tuple[Server, str]]:
    sio = Server(registry=Api, async_mode="threading", async_handlers=False)
    with serve_wsgi(socketio.WSGIApp(sio)) as url:
        yield sio, url


@pytest.mark.parametrize("setup", list(SETUPS))
def test_a_handler_counts_however_it_was_registered(
    serving: tuple[Server, str], setup: str
) -> None:
    sio, url = serving
    register, expected = SETUPS[setup]
    with Raw(url) as raw:
        assert raw.call("ping", {"x": 1}) == UNKNOWN  # before it is registered
        register(sio)  # while the client is connected
        assert raw.call("ping", {"x": 1}) == expected


def test_a_removed_handler_no_longer_counts(serving: tuple[Server, str]) -> None:
    sio, url = serving
    sio.on(Api.ping, _answer)
    with Raw(url) as raw:
        assert raw.call("ping", {"x": 1}) == [7]
        del sio.handlers["/"]["ping"]
        assert raw.call("ping", {"x": 1}) == UNKNOWN
