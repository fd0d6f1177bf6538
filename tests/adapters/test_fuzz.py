"""Fuzzing a live server with hypothesis: >= 10,000 frames per server kind per run.

Batches of generated frames go over one raw websocket; after each batch the connection
and a bystander must still answer. Afterwards every handler call is re-checked against
its declared type, and the log holds at most one line per frame, without tracebacks.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sioschema import PayloadError
from tests import apps
from tests.conftest import Running, run_server
from tests.rawclient import Raw
from tests.strategies import frames

BATCH = 100
EXAMPLES = 110  # 11,000 frames


@pytest.fixture(scope="module", params=["flask", "asgi"])
def fuzzed(request: pytest.FixtureRequest) -> Iterator[Running]:
    with run_server(request.param) as srv:
        yield srv


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


def test_fuzz_frames(fuzzed: Running, caplog: pytest.LogCaptureFixture) -> None:
    raw = Raw(fuzzed.url)
    bystander = Raw(fuzzed.url)
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

    with caplog.at_level(logging.WARNING):
        batch()
    raw.probe()
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    calls = list(fuzzed.recorder.calls)
    print(
        f"\nfuzz[{fuzzed.kind}]: {sent[0]} frames, {len(calls)} handler calls, "
        f"{len(records)} log lines"
    )
    assert sent[0] >= 10_000
    assert recheck(calls) == 0
    assert len(records) <= sent[0]
    assert [r.getMessage() for r in records if r.exc_info] == []
    assert [r.getMessage() for r in records if "never retrieved" in r.getMessage()] == []
    raw.close()
    bystander.close()
