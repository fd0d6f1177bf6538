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

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

import pytest

ROOT = Path(__file__).parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def with_gevent(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A folder holding gevent as the ``demo`` dependency group declares it, for the demo's
    process only: ``nox -s demo`` runs Flask-SocketIO on gevent, and gevent in the test
    environment itself would change the async mode Flask-SocketIO picks for every test."""
    groups = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]
    (spec,) = [req for req in groups["demo"] if req.startswith("gevent")]
    target = tmp_path_factory.mktemp("gevent")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--target", str(target), spec],
        check=True,
        timeout=300,
    )
    return str(target)


def start(server: str, path: str = "") -> tuple[subprocess.Popen[str], int]:
    """The demo on a free port, once its docs answer (another process may take the port
    between the pick and the bind: then try another one); ``path`` goes first on its
    ``PYTHONPATH``."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if path:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [path, env.get("PYTHONPATH")]))
    for _ in range(3):
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "examples.tictactoe", "--server", server, "--port", str(port)],
            cwd=ROOT,
            env=env,
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


@pytest.mark.parametrize("server", ["flask", "flask-gevent", "asgi"])
def test_ctrl_c_stops_the_demo_cleanly(server: str, request: pytest.FixtureRequest) -> None:
    path = request.getfixturevalue("with_gevent") if server == "flask-gevent" else ""
    process, _port = start(server.partition("-")[0], path)
    try:
        process.send_signal(signal.SIGINT)  # what Ctrl+C sends
        output, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    mode = "gevent" if server == "flask-gevent" else "threading"
    if server != "asgi":
        assert f"Flask-SocketIO async_mode: {mode}" in output
    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert "KeyboardInterrupt" not in output
