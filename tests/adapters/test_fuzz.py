"""Fuzzing a live server with hypothesis: >= 10,000 frames per server kind per run.

Batches of generated frames go over one raw websocket; after each batch the connection
and a bystander must still answer. Afterwards every handler call is re-checked against
its declared type, and the log holds at most one line per frame, without tracebacks.

The server (``tests.fuzz_server``) runs in its own process, so nothing it does touches
the global ``random`` state hypothesis watches while it draws frames.
"""

from __future__ import annotations

import json
import re
import select
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.rawclient import Raw
from tests.strategies import frames

ROOT = Path(__file__).resolve().parents[2]
BATCH = 100
EXAMPLES = 110  # 11,000 frames
STARTUP_TIMEOUT = 20  # seconds
REPORT_TIMEOUT = 10
SHUTDOWN_TIMEOUT = 10
LOG_SETTLE_TIMEOUT = 5
LOG_QUIET = 0.5


@dataclass
class FuzzServer:
    kind: str
    url: str
    process: subprocess.Popen[str]
    log: Any

    def report(self) -> dict[str, Any]:
        """What the server saw so far (``tests.fuzz_server.report``)."""
        assert self.process.stdin is not None
        self.process.stdin.write("report\n")
        self.process.stdin.flush()
        report: dict[str, Any] = json.loads(_readline(self.process, REPORT_TIMEOUT))
        return report

    def log_text(self) -> str:
        self.log.seek(0)
        return str(self.log.read())

    def unexplained_log(self) -> str:
        """The server's stderr without werkzeug's websocket-end reports.

        werkzeug writes such a report from the request's own thread, line by line (a
        non-interactive stderr is line-buffered), possibly after the test's last probe:
        the log is read once it has stopped growing for ``LOG_QUIET`` seconds (at most
        ``LOG_SETTLE_TIMEOUT``), so a report is matched whole or not at all.
        """
        deadline = time.monotonic() + LOG_SETTLE_TIMEOUT
        text = self.log_text()
        while time.monotonic() < deadline:
            time.sleep(LOG_QUIET)
            later = self.log_text()
            if later == text:
                break
            text = later
        return WERKZEUG_WEBSOCKET_END.sub("", text)


# werkzeug's development server (under the Flask kind) sometimes reports a websocket
# request that ended without an HTTP response ("write() before start_response"), when a
# client closes its websocket first: its complaint about the websocket hand-over, logged
# after the request is over, not a failure of the app. Only that exact report is ignored.
WERKZEUG_WEBSOCKET_END = re.compile(
    r"^[^\n]*GET /socket\.io/\?EIO=4&transport=websocket HTTP/1\.1[^\n]* 500 -\r?\n"
    r"Error on request:\r?\nTraceback \(most recent call last\):\r?\n"
    r"(?:[ \t][^\n]*\n)+?"
    r"AssertionError: write\(\) before start_response[ \t]*(?:\r?\n|\Z)",
    re.MULTILINE,
)


def _readline(process: subprocess.Popen[str], timeout: float) -> str:
    """The next line the server prints, or fail after ``timeout`` seconds."""
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    assert ready, f"no answer from the server in {timeout} s"
    return process.stdout.readline()


@pytest.fixture(scope="module", params=["flask", "asgi"])
def fuzzed(request: pytest.FixtureRequest) -> Iterator[FuzzServer]:
    kind = request.param
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            # -W error: a warning in the server fails the test, as in this process
            [sys.executable, "-W", "error", "-m", "tests.fuzz_server", kind],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        server = FuzzServer(kind, "", process, log)
        try:
            line = _readline(process, STARTUP_TIMEOUT)
            assert line.startswith("port "), line + server.log_text()
            server.url = f"http://127.0.0.1:{line.split()[1]}"
            yield server
        finally:
            assert process.stdin is not None and process.stdout is not None
            process.stdin.close()  # the end of stdin shuts the server down
            try:
                process.wait(SHUTDOWN_TIMEOUT)
            except subprocess.TimeoutExpired:  # pragma: no cover
                process.kill()
                process.wait(5)
            process.stdout.close()


# A hang guard, not a speed check: every batch waits at most a few seconds for its
# probes; 11,000 frames take ~25 s alone and several times that on a loaded machine.
@pytest.mark.timeout(300)
def test_fuzz_frames(fuzzed: FuzzServer) -> None:
    with Raw(fuzzed.url) as raw, Raw(fuzzed.url) as bystander:
        sent = [0]

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(st.lists(frames(), min_size=BATCH, max_size=BATCH))
        def batch(batch: list[str]) -> None:
            for frame in batch:
                raw.send(frame)
            sent[0] += len(batch)
            raw.probe()
            raw.backlog.clear()
            bystander.probe()

        batch()
        raw.probe()
    report = fuzzed.report()
    print(
        f"\nfuzz[{fuzzed.kind}]: {sent[0]} frames, {report['calls']} handler calls, "
        f"{report['log_lines']} log lines"
    )
    assert sent[0] >= 10_000
    assert report["bad_calls"] == 0
    assert report["log_lines"] <= sent[0]
    assert report["tracebacks"] == []
    assert report["never_retrieved"] == []
    # nothing on stderr: no traceback, warning or error (but the dev server's own note)
    assert fuzzed.unexplained_log() == ""
    assert fuzzed.process.poll() is None
