"""A declared type means the same on every path, over a real websocket.

``Tally.scores`` is ``dict[int, int]``: its keys are strings in JSON. A frame decoded in
one pass and a frame left to screening (here by a long digit run in a string) must be
read alike.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.apps import Tally
from tests.conftest import Running
from tests.rawclient import Raw

LONG_MEMO = "ref 98765432109876543210"


@pytest.fixture
def raw(server: Running) -> Iterator[Raw]:
    client = Raw(server.url)
    yield client
    client.ws.close()


@pytest.mark.parametrize("memo", ["", LONG_MEMO], ids=["one-pass", "screened"])
def test_int_keys_are_read_on_every_path(server: Running, raw: Raw, memo: str) -> None:
    assert raw.call("tally", {"scores": {"1": 3, "-2": 4}, "memo": memo}) == [
        {"scores": {"1": 3, "-2": 4}, "memo": memo}
    ]
    assert server.recorder.calls == [("tally", (Tally(scores={1: 3, -2: 4}, memo=memo),))]


@pytest.mark.parametrize("memo", ["", LONG_MEMO], ids=["one-pass", "screened"])
def test_a_bad_key_gets_the_same_error_on_every_path(server: Running, raw: Raw, memo: str) -> None:
    assert raw.call("tally", {"scores": {"one": 3}, "memo": memo}) == [
        {
            "error": {
                "code": "invalid_payload",
                "message": "Expected `int`, got `str` - at a key in `$.scores`",
                "path": "$.scores",
                "event": "tally",
            }
        }
    ]
    assert server.recorder.calls == []
