"""Docs pages on aiohttp (``attach``), and a clear warning where they cannot be served."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
import socketio

from sioschema import asyncapi
from tests import apps
from tests.asyncapi.test_docs_serving import fetch
from tests.servers import serve_aiohttp, serve_asgi, serve_wsgi


@pytest.fixture(scope="module")
def aiohttp_url() -> Iterator[str]:
    from aiohttp import web

    from sioschema.socketio import AsyncServer

    sio = AsyncServer(async_mode="aiohttp", registry=apps.REGISTRIES, docs_url="/api/docs")

    @sio.on(apps.Api.echo_point)
    async def echo_point(sid: str, point: apps.Point) -> apps.Point:
        return point

    app = web.Application()
    sio.attach(app)
    with serve_aiohttp(app) as url:
        yield url


def test_aiohttp_serves_the_docs(aiohttp_url: str) -> None:
    status, kind, body = fetch(aiohttp_url + "/api/docs.json")
    assert (status, kind) == (200, "application/json")
    assert json.loads(body) == asyncapi.render(apps.REGISTRIES)
    status, kind, body = fetch(aiohttp_url + "/api/docs")
    assert (status, kind) == (200, "text/html; charset=utf-8")
    assert body.decode() == asyncapi.render_html(apps.REGISTRIES, document_url="/api/docs")
    status, kind, _ = fetch(aiohttp_url + "/api/docs.yaml")
    assert (status, kind) == (200, "application/yaml; charset=utf-8")


def test_aiohttp_still_serves_socketio(aiohttp_url: str) -> None:
    client = socketio.Client()
    client.connect(aiohttp_url, transports=["websocket"], wait_timeout=5)
    try:
        assert client.call("echo_point", {"x": 1, "y": 2}, timeout=5) == {"x": 1, "y": 2}
    finally:
        client.disconnect()


HANDSHAKE = "/socket.io/?EIO=4&transport=polling"
WARNING = (
    "docs_url='/api/docs' is set, but this server runs under an app that does not serve "
    "the docs pages (they answer 404): wrap the server in sioschema.socketio.{0} instead "
    "of socketio.{0}"
)


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "sioschema"]


def test_a_stock_asgi_app_says_the_docs_are_not_served(caplog: pytest.LogCaptureFixture) -> None:
    from sioschema.socketio import AsyncServer

    sio = AsyncServer(async_mode="asgi", registry=apps.REGISTRIES, docs_url="/api/docs")
    with caplog.at_level(logging.WARNING), serve_asgi(socketio.ASGIApp(sio)) as (url, _):
        assert fetch(url + "/api/docs")[0] == 404
        assert _warnings(caplog) == []  # python-socketio answered; the server saw nothing
        assert fetch(url + HANDSHAKE)[0] == 200  # the server's first request
        assert fetch(url + "/api/docs.json")[0] == 404
        assert fetch(url + HANDSHAKE)[0] == 200
    assert _warnings(caplog) == [WARNING.format("ASGIApp")]


def test_a_stock_wsgi_app_says_the_docs_are_not_served(caplog: pytest.LogCaptureFixture) -> None:
    from sioschema.socketio import Server

    sio = Server(async_mode="threading", registry=apps.REGISTRIES, docs_url="/api/docs")
    with caplog.at_level(logging.WARNING), serve_wsgi(socketio.WSGIApp(sio)) as url:
        assert fetch(url + "/api/docs")[0] == 404
        assert fetch(url + HANDSHAKE)[0] == 200
        assert fetch(url + HANDSHAKE)[0] == 200
    assert _warnings(caplog) == [WARNING.format("WSGIApp")]


def test_sioschema_apps_serve_without_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    from sioschema.socketio import ASGIApp, AsyncServer

    sio = AsyncServer(async_mode="asgi", registry=apps.REGISTRIES, docs_url="/api/docs")
    with caplog.at_level(logging.WARNING), serve_asgi(ASGIApp(sio)) as (url, _):
        assert fetch(url + "/api/docs")[0] == 200
        assert fetch(url + HANDSHAKE)[0] == 200
    assert _warnings(caplog) == []
