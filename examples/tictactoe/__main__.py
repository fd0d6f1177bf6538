"""Run the tic-tac-toe demo server: ``python -m examples.tictactoe [--server flask|asgi]``."""

from __future__ import annotations

import argparse
import logging


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m examples.tictactoe", description=__doc__)
    parser.add_argument("--server", choices=["asgi", "flask"], default="asgi")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    url = f"http://{args.host}:{args.port}"
    print(f"tic-tac-toe ({args.server}) on {url}, docs at {url}/asyncapi  (Ctrl+C stops)")
    if args.server == "flask":
        from .flask_app import create_app as create_flask

        app, socketio = create_flask()
        # gevent when installed (`nox -s demo` installs it: the fastest measured stack for
        # Flask-SocketIO), else werkzeug's threads
        print(f"Flask-SocketIO async_mode: {socketio.async_mode}")
        if socketio.async_mode == "gevent":
            # gevent's hub would print Ctrl+C's KeyboardInterrupt with a traceback: stop
            # the server from a signal handler of gevent's instead, and return normally
            import signal

            import gevent

            gevent.signal_handler(signal.SIGINT, socketio.stop)
        try:
            socketio.run(app, host=args.host, port=args.port, allow_unsafe_werkzeug=True)
        except KeyboardInterrupt:  # werkzeug's threads (no gevent installed)
            pass
    else:
        import uvicorn

        from .asgi_app import create_app as create_asgi

        asgi, _ = create_asgi()
        uvicorn.run(asgi, host=args.host, port=args.port, log_level="info")


if __name__ == "__main__":
    main()
