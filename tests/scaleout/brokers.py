"""Real message brokers for the scale-out tests, each on a free port of 127.0.0.1.

``RedisServer`` runs Debian's ``redis-server`` (no persistence, nothing outside its
temporary folder) and can be stopped and started again on the same port, for the fault
tests. ``RabbitMQ`` runs Debian's ``rabbitmq-server`` with its own ``epmd``, also on free
ports. A missing broker fails the test that needs it, naming the Debian package to
install (``.ci/run`` installs both): these tests are never skipped.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from tests import programs

HOST = "127.0.0.1"
RABBITMQ_SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"  # the script without `su`


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the broker exited with {process.returncode} while starting")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), 0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {HOST}:{port} after {timeout} s")


def _stop(process: subprocess.Popen[bytes], timeout: float = 15) -> None:
    """Stop a broker started in its own session: the whole process group."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


NEVER_SKIPPED = "the scale-out tests need a real broker and are never skipped"


def require(program: str, package: str, path: str | None = None) -> str:
    """A broker's program, or fail naming its Debian package and the install command."""
    return programs.require(program, package, NEVER_SKIPPED, path=path)


class RedisServer:
    """``redis-server`` on a free port of 127.0.0.1; ``stop()`` and ``start()`` again
    keep the port (what clients see when Redis restarts)."""

    def __init__(self, folder: Path) -> None:
        self.program = require("redis-server", "redis-server")
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None
        log = open(self.folder / "redis.log", "ab")  # handed to the process, closed here
        self.process = subprocess.Popen(
            [
                self.program,
                "--port",
                str(self.port),
                "--bind",
                HOST,
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
                "--daemonize",
                "no",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        _wait_for_port(self.port, self.process, 10)

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)

    def log(self) -> str:
        return (self.folder / "redis.log").read_text(errors="replace")


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[RedisServer]:
    server = RedisServer(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class RabbitMQ:
    """``rabbitmq-server`` (with an ``epmd`` of its own) on free ports of 127.0.0.1."""

    def __init__(self, folder: Path) -> None:
        self.program = require("rabbitmq-server", "rabbitmq-server", path=RABBITMQ_SERVER)
        # Erlang's port mapper, from erlang-base, which rabbitmq-server depends on
        self.epmd = require("epmd", "rabbitmq-server")
        self.folder = folder
        self.port = free_port()
        self.processes: list[subprocess.Popen[bytes]] = []

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@{HOST}:{self.port}//"

    def start(self, timeout: float = 90) -> None:
        epmd_port = free_port()
        env = {
            **os.environ,
            "HOME": str(self.folder),
            "ERL_EPMD_PORT": str(epmd_port),
            "ERL_EPMD_ADDRESS": HOST,
            "RABBITMQ_NODE_IP_ADDRESS": HOST,
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(free_port()),
            "RABBITMQ_NODENAME": f"sioschema{self.port}@localhost",
            "RABBITMQ_MNESIA_BASE": str(self.folder / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.folder / "log"),
            "RABBITMQ_LOGS": "-",
            "RABBITMQ_PID_FILE": str(self.folder / "rabbitmq.pid"),
            "RABBITMQ_CONFIG_FILE": str(self.folder / "rabbitmq"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.folder / "enabled_plugins"),
        }
        (self.folder / "enabled_plugins").write_text("[].\n")
        log = open(self.folder / "rabbitmq.log", "ab")  # handed to the process, closed here
        # epmd in the foreground, ours: rabbitmq-server would start a daemon that outlives it
        epmd = subprocess.Popen(
            [self.epmd, "-port", str(epmd_port), "-address", HOST],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(epmd)
        _wait_for_port(epmd_port, epmd, 10)
        server = subprocess.Popen(
            [self.program],
            env=env,
            cwd=self.folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(server)
        log.close()
        _wait_for_port(self.port, server, timeout)

    def stop(self) -> None:
        for process in reversed(self.processes):
            _stop(process, 30)
        self.processes.clear()

    def log(self) -> str:
        return (self.folder / "rabbitmq.log").read_text(errors="replace")


@contextlib.contextmanager
def rabbitmq(folder: Path) -> Iterator[RabbitMQ]:
    server = RabbitMQ(folder)
    try:
        server.start()
        yield server
    finally:
        server.stop()
