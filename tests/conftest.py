from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests import apps
from tests.servers import serve_asgi, serve_wsgi

SERVER_KINDS = ["flask", "wsgi", "asgi"]


@dataclass
class Running:
    kind: str
    url: str
    server: Any
    recorder: apps.Recorder
    loop: asyncio.AbstractEventLoop | None = None

    def run(self, value: Any) -> Any:
        """Finish a server call made from the test thread (on the server's loop if async)."""
        if self.loop is None:
            return value
        return asyncio.run_coroutine_threadsafe(value, self.loop).result(10)


@contextlib.contextmanager
def run_server(kind: str, **options: Any) -> Iterator[Running]:
    recorder = apps.Recorder()
    if kind == "flask":
        app, sio = apps.flask_app(recorder, **options)
        with serve_wsgi(app) as url:
            yield Running(kind, url, sio, recorder)
    elif kind == "wsgi":
        app, sio = apps.wsgi_app(recorder, **options)
        with serve_wsgi(app) as url:
            yield Running(kind, url, sio, recorder)
    else:
        app, sio = apps.asgi_app(recorder, **options)
        with serve_asgi(app) as (url, loop):
            yield Running(kind, url, sio, recorder, loop)


@pytest.fixture(scope="module", params=SERVER_KINDS)
def running(request: pytest.FixtureRequest) -> Iterator[Running]:
    """One server of each kind per test module, with every test registry bound."""
    with run_server(request.param) as srv:
        yield srv


@pytest.fixture
def server(running: Running) -> Running:
    running.recorder.clear()
    return running
