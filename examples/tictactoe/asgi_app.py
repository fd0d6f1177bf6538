"""The demo on python-socketio's AsyncServer under uvicorn:
``python -m examples.tictactoe --server asgi``."""

from __future__ import annotations

from typing import Any

from sioschema.socketio import ASGIApp, AsyncServer

from . import service
from .api import GameCreated, MakeMove, MakeMoveAck, TicTacToe
from .game import Games, room


def create_app(**options: Any) -> tuple[ASGIApp, AsyncServer]:
    """Build the ASGI app and its validated Socket.IO server; the docs page is at
    ``/asyncapi``."""
    options.setdefault("docs_url", "/asyncapi")
    sio = AsyncServer(async_mode="asgi", registry=TicTacToe, **options)
    games = Games()

    @sio.on(TicTacToe.create_game)
    async def create_game(sid: str) -> GameCreated:
        game = games.create(sid)
        await sio.enter_room(sid, room(game.game_id))
        created = service.created(game)
        await sio.emit(TicTacToe.game_created, created)
        return created

    @sio.on(TicTacToe.make_move)
    async def make_move(sid: str, move: MakeMove) -> MakeMoveAck:
        ack, emits = service.make_move(games, sid, move)
        if ack.ok:
            await sio.enter_room(sid, room(move.game_id))
        for emit, payload in emits:
            await sio.emit(emit, payload, to=room(move.game_id))
        return ack

    return ASGIApp(sio), sio
