"""A raw Engine.IO / Socket.IO client over one websocket, for sending hostile frames.

It speaks just enough of the protocol to open a session and connect namespaces; every
other frame is whatever the test writes. Frames the server sends are read with a
deadline, answering Engine.IO pings on the way.

Use it as a context manager (``with Raw(url) as raw:``) so its socket is closed even
when the test fails: an abandoned client is only freed by the garbage collector, and
its ``ResourceWarning`` then fails whichever later test happens to trigger a collection.
"""

from __future__ import annotations

import json
import time
from typing import Any

import websocket

OPCODE_BINARY = websocket.ABNF.OPCODE_BINARY


class Closed(Exception):
    """The server closed the connection."""


class Raw:
    def __init__(self, url: str, namespaces: tuple[str, ...] = ("/",)) -> None:
        ws_url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.ws = websocket.create_connection(ws_url, timeout=5)
        self.backlog: list[str | bytes] = []
        self.next_id = 1_000_000
        try:
            opened = self.ws.recv()
            assert isinstance(opened, str) and opened.startswith("0"), opened
            for ns in namespaces:
                self.connect(ns)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Raw:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def connect(self, namespace: str = "/", auth: Any = None) -> Any:
        """Connect a namespace; return the server's CONNECT or CONNECT_ERROR data."""
        prefix = "" if namespace == "/" else namespace + ","
        body = "" if auth is None else json.dumps(auth)
        self.send("40" + prefix + body)
        frame = self.expect(lambda f: f.startswith(("40" + prefix, "44" + prefix)))
        return int(frame[1]), json.loads(frame[2 + len(prefix) :])

    def send(self, frame: str | bytes) -> None:
        if isinstance(frame, bytes):
            self.ws.send(frame, opcode=OPCODE_BINARY)
        else:
            self.ws.send(frame)

    def recv(self, timeout: float) -> str | bytes:
        if self.backlog:
            return self.backlog.pop(0)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no frame from the server")
            self.ws.settimeout(left)
            try:
                frame = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                raise TimeoutError("no frame from the server") from None
            except (websocket.WebSocketConnectionClosedException, ConnectionError) as exc:
                raise Closed(str(exc)) from None
            if frame == "2":  # Engine.IO ping
                self.ws.send("3")
                continue
            if frame in ("", "1", b""):  # Engine.IO close, or the socket closing
                raise Closed("closed by the server")
            return frame  # type: ignore[no-any-return]

    def expect(self, match: Any, timeout: float = 5) -> Any:
        """The first frame ``match(frame)`` accepts; others are kept for later."""
        deadline = time.monotonic() + timeout
        skipped: list[str | bytes] = []
        try:
            while True:
                frame = self.recv(max(deadline - time.monotonic(), 0.001))
                if isinstance(frame, str) and match(frame):
                    return frame
                skipped.append(frame)
        finally:
            self.backlog[:0] = skipped

    def ack(self, id: int, namespace: str = "/", timeout: float = 5) -> Any:
        """The data of the ACK with ``id``."""
        prefix = "43" + ("" if namespace == "/" else namespace + ",") + str(id)
        frame = self.expect(lambda f: f.startswith(prefix + "["), timeout)
        return json.loads(frame[len(prefix) :])

    def event(self, name: str, namespace: str = "/", timeout: float = 5) -> Any:
        """The arguments of the next event ``name``."""
        prefix = "42" + ("" if namespace == "/" else namespace + ",")
        head = prefix + json.dumps([name])[:-1]

        def match(frame: str) -> bool:
            return frame.startswith(head) and frame[len(head)] in ",]"

        frame = self.expect(match, timeout)
        return json.loads(frame[len(prefix) :])[1:]

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def call(self, name: str, *args: Any, namespace: str = "/") -> Any:
        """Emit a well-formed event with an ack id; return the ack's data."""
        id = self.new_id()
        prefix = "42" + ("" if namespace == "/" else namespace + ",")
        self.send(prefix + str(id) + json.dumps([name, *args]))
        return self.ack(id, namespace)

    def probe(self) -> None:
        """The connection still answers (it is not wedged)."""
        assert self.call("echo_point", {"x": 1, "y": 2}) == [{"x": 1, "y": 2}]

    def is_closed(self, timeout: float = 5) -> bool:
        try:
            while True:
                self.recv(timeout)
        except Closed:
            return True
        except TimeoutError:
            return False

    def close(self) -> None:
        """Close the websocket and its socket (idempotent)."""
        try:
            self.ws.close()
        except Exception:  # pragma: no cover - already closed
            pass
        # websocket-client's close() returns early, socket open, once the server's CLOSE
        # frame has been read; shutdown() closes the socket whatever the state
        self.ws.shutdown()
