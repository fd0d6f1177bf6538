"""Processes, clients and a queue subscriber for the scale-out tests.

Each server and emitter is a real process (``tests.scaleout.nodes``) on 127.0.0.1;
clients are python-socketio clients over websockets in the test process. Every wait is
bounded.
"""

from __future__ import annotations

import contextlib
import json
import select
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import msgspec
import socketio

from tests.scaleout.lobby import Note

ROOT = Path(__file__).resolve().parents[2]
STARTUP = 60.0  # seconds for a process to be ready (a loaded machine is slow)


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not after {timeout} s")
        time.sleep(0.02)


class Node:
    """One process of ``tests.scaleout.nodes``; its stderr goes to a temporary file."""

    def __init__(
        self, role: str, url: str, module: str = "tests.scaleout.nodes", *more: str
    ) -> None:
        self.role = role
        self._log = tempfile.TemporaryFile("w+")
        self.process = subprocess.Popen(
            # -W error: a warning in a node fails it, as in the test process
            [sys.executable, "-W", "error", "-m", module, role, *more, url],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )

    def readline(self, timeout: float) -> str:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            raise AssertionError(f"no answer from {self.role} in {timeout} s:\n{self.log()}")
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError(f"{self.role} exited:\n{self.log()}")
        return line

    def log(self) -> str:
        self._log.seek(0)
        return self._log.read()

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.close()  # the end of stdin ends every node
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:  # pragma: no cover - a hung node
            self.process.kill()
            self.process.wait(5)
        self.process.stdout.close()
        self._log.close()


@contextlib.contextmanager
def server(role: str, queue: str) -> Iterator[str]:
    """A server process (``asgi`` or ``flask``) on the queue; yields its URL."""
    with server_node(role, queue) as (url, _):
        yield url


@contextlib.contextmanager
def server_node(
    role: str, queue: str, module: str = "tests.scaleout.nodes", *more: str
) -> Iterator[tuple[str, Node]]:
    """A server process on the queue; yields its URL and the process (for its log).
    ``module`` runs it (``python -m module role *more queue``)."""
    node = Node(role, queue, module, *more)
    try:
        line = node.readline(STARTUP)
        assert line.startswith("port "), line + node.log()
        yield f"http://127.0.0.1:{line.split()[1]}", node
    finally:
        node.close()
        assert node.process.returncode == 0, f"{role} exited with {node.process.returncode}"


class EmitterProcess(Node):
    """A write-only emitter process driven by JSON commands."""

    def send(self, command: dict[str, Any], timeout: float = 60) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        answer: dict[str, Any] = json.loads(self.readline(timeout))
        return answer

    def note(self, seq: int, text: str = "note", **where: Any) -> dict[str, Any]:
        data = {"seq": seq, "text": text}
        return self.send({"op": "emit", "event": "note", "declared": True, "data": data, **where})


@contextlib.contextmanager
def emitter(
    role: str, queue: str, module: str = "tests.scaleout.nodes", *more: str
) -> Iterator[EmitterProcess]:
    node = EmitterProcess(role, queue, module, *more)
    try:
        yield node
    finally:
        node.close()
        assert node.process.returncode == 0, f"{role} exited with {node.process.returncode}"


class Listener:
    """A python-socketio client that records every ``note`` and answers ``ask``."""

    def __init__(self, name: str, url: str) -> None:
        self.name = name
        self.notes: list[tuple[int, str]] = []
        self.questions: list[str] = []
        self.answer_invalid = False
        self.answer_refused = False
        """Answer ``ask`` with an integer beyond int64, which the client's server refuses."""
        self._lock = threading.Lock()
        self.client = socketio.Client(reconnection=False)
        self.client.on("note", self._note)
        self.client.on("ask", self._ask)
        self.client.connect(url, transports=["websocket"], wait_timeout=20)
        self.sid: str = self.client.call("join", "lobby", timeout=20)

    def _note(self, data: Any) -> None:
        with self._lock:
            self.notes.append((data["seq"], data["text"]))

    def _ask(self, question: Any) -> Any:
        self.questions.append(question["text"])
        if self.answer_invalid:
            return {"ok": "yes", "by": self.name}
        if self.answer_refused:
            return {"ok": True, "by": self.name, "n": 2**70}
        return {"ok": True, "by": self.name}

    def seqs(self, low: int = 0, high: int = 10**9) -> Counter[int]:
        """How often each ``seq`` in ``[low, high)`` arrived."""
        with self._lock:
            return Counter(seq for seq, _ in self.notes if low <= seq < high)

    def has(self, seq: int) -> bool:
        with self._lock:
            return any(s == seq for s, _ in self.notes)

    def close(self) -> None:
        self.client.disconnect()


def subscribers(url: str, channel: str = "socketio") -> int:
    """How many connections are subscribed to the Redis channel (``PUBSUB NUMSUB``)."""
    import redis

    with redis.Redis.from_url(url) as client:
        return int(dict(client.pubsub_numsub(channel))[channel.encode()])


class Subscriber:
    """A plain Redis subscriber on the channel: everything any process published."""

    def __init__(self, url: str, channel: str = "socketio") -> None:
        import redis

        self.messages: list[dict[str, Any]] = []
        self._redis = redis.Redis.from_url(url)
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        self._pubsub.subscribe(**{channel: self._message})
        self._thread = self._pubsub.run_in_thread(sleep_time=0.01, daemon=True)

    def _message(self, message: dict[str, Any]) -> None:
        self.messages.append(json.loads(message["data"]))

    def notes(self) -> list[Any]:
        """The first argument of every published ``note`` emit, as it went out."""
        messages = list(self.messages)
        return [
            published_args(m)[0] for m in messages if m["method"] == "emit" and m["event"] == "note"
        ]

    def close(self) -> None:
        self._thread.stop()
        self._thread.join(5)
        self._pubsub.close()
        self._redis.close()


def published_args(message: dict[str, Any]) -> list[Any]:
    """The arguments of a published emit: python-socketio 5.16 and later write them as a
    list, older releases write one argument as it is (the notes are objects)."""
    data = message["data"]
    return data if isinstance(data, list) else [data]


def valid_note(data: Any) -> bool:
    try:
        msgspec.convert(data, Note)
    except msgspec.ValidationError:
        return False
    return True
