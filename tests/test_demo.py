"""The demo server, run as a person runs it: it stops on Ctrl+C without a traceback, and
exits with 0 (so `nox -s demo` does not fail)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.parametrize("server", ["flask", "asgi"])
def test_ctrl_c_stops_the_demo_cleanly(server: str) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "examples.tictactoe", "--server", server, "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 1).close()
                break
            except OSError:
                assert process.poll() is None, process.communicate()[0]
                assert time.monotonic() < deadline, "the demo did not start"
                time.sleep(0.1)
        process.send_signal(signal.SIGINT)  # what Ctrl+C sends
        output, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert "KeyboardInterrupt" not in output
