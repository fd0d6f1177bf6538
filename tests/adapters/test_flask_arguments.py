"""sio-asyncapi's constructor arguments are refused by ``sioschema.flask.SocketIO`` and
the python-socketio servers: Flask-SocketIO and Engine.IO would take them as server
options and ignore them, silently."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from examples.tictactoe.api import TicTacToe
from sioschema.flask import SocketIO
from sioschema.socketio import AsyncServer, Server


def test_each_argument_is_named_with_its_replacement() -> None:
    with pytest.raises(TypeError) as caught:
        SocketIO(Flask(__name__), registry=TicTacToe, validate=True)
    assert str(caught.value) == (
        "SocketIO() got sio-asyncapi's argument validate, which sioschema does not take: "
        "validate=: sioschema validates every event a bound registry declares; pass "
        "registry= (docs/migration.md, from sio-asyncapi)"
    )


@pytest.mark.parametrize(
    ("name", "replacement"),
    [
        ("generate_docs", "docs_url='/asyncapi' serves the docs page"),
        ("version", "class Api(EventRegistry, version=...)"),
        ("title", "class Api(EventRegistry, title=...)"),
        ("description", "class Api(EventRegistry, description=...) (or its docstring)"),
        ("server_url", "servers={'name': {'host': ..., 'protocol': ...}}"),
        ("server_name", "servers={'name': {'host': ..., 'protocol': ...}}"),
    ],
)
def test_the_blog_posts_arguments(name: str, replacement: str) -> None:
    with pytest.raises(TypeError, match="sio-asyncapi") as caught:
        SocketIO(Flask(__name__), registry=TicTacToe, **{name: "x"})
    assert f"{name}=: " in str(caught.value)
    assert replacement in str(caught.value)


def test_init_app_refuses_them_too() -> None:
    socketio = SocketIO(registry=TicTacToe)
    options: dict[str, Any] = {"title": "Tic-Tac-Toe API", "server_url": "http://localhost"}
    with pytest.raises(TypeError, match="arguments title, server_url, which"):
        socketio.init_app(Flask(__name__), **options)


def test_flask_socketio_arguments_still_pass() -> None:
    socketio = SocketIO(
        Flask(__name__), registry=TicTacToe, async_mode="threading", cors_allowed_origins="*"
    )
    assert socketio.server.eio.async_mode == "threading"


@pytest.mark.parametrize("server_class", [Server, AsyncServer])
def test_the_python_socketio_servers_refuse_them_too(server_class: type[Any]) -> None:
    # Engine.IO takes unknown keywords and ignores them, as Flask-SocketIO does
    with pytest.raises(TypeError) as caught:
        server_class(registry=TicTacToe, generate_docs=True, title="Tic-Tac-Toe")
    assert str(caught.value).startswith(
        f"{server_class.__name__}() got sio-asyncapi's arguments generate_docs, title, "
        "which sioschema does not take: generate_docs=: docs_url='/asyncapi'"
    )
    assert str(caught.value).endswith("(docs/migration.md, from sio-asyncapi)")


@pytest.mark.parametrize("server_class", [Server, AsyncServer])
def test_python_socketio_arguments_still_pass(server_class: type[Any]) -> None:
    server = server_class(registry=TicTacToe, ping_interval=7, always_connect=True)
    assert server.eio.ping_interval == 7
