"""The demo on python-socketio's AsyncServer under uvicorn:
``python -m examples.tictactoe --server asgi``."""

from __future__ import annotations

from typing import Any

from sioschema.socketio import ASGIApp, AsyncServer

from . import service
from .api import GameCreated, MakeMove, MakeMoveAck, TicTacToe
from .game import Games


def create_app(**options: Any) -> tuple[ASGIApp, AsyncServer]:
    """Build the ASGI app and its validated Socket.IO server; the docs page is at
    ``/asyncapi``."""
    options.setdefault("docs_url", "/asyncapi")
    sio = AsyncServer(async_mode="asgi", registry=TicTacToe, **options)
    games = Games()

    @sio.on(TicTacToe.create_game)
    async def create_game(sid: str) -> GameCreated:
        created = service.created(games.create(sid))
        await sio.emit(TicTacToe.game_created, created)  # to every client: anyone may play O
        return created

    @sio.on(TicTacToe.make_move)
    async def make_move(sid: str, move: MakeMove) -> MakeMoveAck:
        ack, emits = service.make_move(games, sid, move)
        for emit, payload in emits:
            await sio.emit(emit, payload)  # every client sees every game
        return ack

    return ASGIApp(sio), sio
