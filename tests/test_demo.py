"""The demo server, run as a person runs it: it stops on Ctrl+C without a traceback, and
exits with 0 (so `nox -s demo` does not fail)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start(server: str) -> tuple[subprocess.Popen[str], int]:
    """The demo on a free port, once its docs answer (another process may take the port
    between the pick and the bind: then try another one)."""
    for _ in range(3):
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "examples.tictactoe", "--server", server, "--port", str(port)],
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/asyncapi.json", timeout=2):
                    return process, port
            except OSError:
                time.sleep(0.1)
        process.kill()
        output, _ = process.communicate()
        if "in use" not in output:
            pytest.fail(f"the demo did not start:\n{output}")
    pytest.fail("no free port")


@pytest.mark.parametrize("server", ["flask", "asgi"])
def test_ctrl_c_stops_the_demo_cleanly(server: str) -> None:
    process, _port = start(server)
    try:
        process.send_signal(signal.SIGINT)  # what Ctrl+C sends
        output, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert "KeyboardInterrupt" not in output
