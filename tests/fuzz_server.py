"""The server of the fuzz test, run in its own process::

    python -m tests.fuzz_server flask|asgi

It runs the same app as the in-process tests (``tests.conftest.run_server``) on a free
port on 127.0.0.1 and prints ``port <n>`` once it accepts connections. Each ``report``
line read on stdin is answered with one JSON line on stdout: the handler calls, how many
of them break their declaration (``recheck``), and the WARNING (or worse) log lines so
far. At the end of stdin the server shuts down.

Hypothesis warns when the global ``random`` state changes while it draws an example, and
uvicorn's websocket keepalive pings call ``random.getrandbits``: a server in the test
process would make the generator flaky. In its own process, it shares nothing with it.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from typing import Any

import msgspec

from sioschema import PayloadError
from tests import apps
from tests.conftest import Running, run_server


def recheck(calls: list[tuple[str, tuple[Any, ...]]]) -> int:
    """Handler calls whose arguments break their declaration (must be none)."""
    events = apps.Api.__sioschema_info__.events
    bad = 0
    for name, args in calls:
        event = events.get(name)
        if event is None:
            continue  # a plain handler: not validated by design
        try:
            event.request_codec.decode(list(msgspec.to_builtins(args)), name, "/")
        except PayloadError:
            bad += 1
    return bad


class Lines(logging.Handler):
    """The WARNING (or worse) records of every logger, as the test's ``caplog`` saw them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []
        self.guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        with self.guard:
            self.records.append(record)

    def messages(self) -> list[tuple[str, bool]]:
        with self.guard:
            return [(r.getMessage(), r.exc_info is not None) for r in self.records]


def report(srv: Running, lines: Lines) -> dict[str, Any]:
    calls = list(srv.recorder.calls)
    messages = lines.messages()
    return {
        "calls": len(calls),
        "bad_calls": recheck(calls),
        "log_lines": len(messages),
        "tracebacks": [m for m, exc in messages if exc],
        "never_retrieved": [m for m, _ in messages if "never retrieved" in m],
    }


def main(kind: str) -> None:
    lines = Lines()
    logging.getLogger().addHandler(lines)  # before the server, which adds none then
    logging.getLogger().setLevel(logging.WARNING)
    with run_server(kind) as srv:
        print(f"port {srv.url.rsplit(':', 1)[1]}", flush=True)
        for line in sys.stdin:
            if line.strip() == "report":
                print(json.dumps(report(srv, lines)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
