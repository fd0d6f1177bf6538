"""The tic-tac-toe demo: one registry module (``api``), the game rules (``game``),
and two servers sharing them (``flask_app`` on Flask-SocketIO, ``asgi_app`` on
python-socketio's AsyncServer under uvicorn). Run ``python -m examples.tictactoe``."""
