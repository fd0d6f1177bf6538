"""The demo on Flask-SocketIO: ``python -m examples.tictactoe --server flask``."""

from __future__ import annotations

from typing import Any

from flask import Flask, request

from sioschema.flask import SocketIO

from . import service
from .api import GameCreated, MakeMove, MakeMoveAck, TicTacToe
from .game import Games


def create_app(**options: Any) -> tuple[Flask, SocketIO]:
    """Build the Flask app and its validated Socket.IO server; the docs page is at
    ``/asyncapi``."""
    options.setdefault("docs_url", "/asyncapi")
    app = Flask(__name__)
    socketio = SocketIO(app, registry=TicTacToe, **options)
    games = Games()

    @socketio.on(TicTacToe.create_game)
    def create_game() -> GameCreated:
        sid: str = request.sid  # type: ignore[attr-defined]
        created = service.created(games.create(sid))
        socketio.emit(TicTacToe.game_created, created)  # to every client: anyone may play O
        return created

    @socketio.on(TicTacToe.make_move)
    def make_move(move: MakeMove) -> MakeMoveAck:
        sid: str = request.sid  # type: ignore[attr-defined]
        ack, emits = service.make_move(games, sid, move)
        for emit, payload in emits:
            socketio.emit(emit, payload)  # every client sees every game
        return ack

    @app.get("/")
    def index() -> str:
        return (
            "Tic-tac-toe over Socket.IO. Connect a Socket.IO client to this address; "
            "the API is documented at /asyncapi."
        )

    return app, socketio
