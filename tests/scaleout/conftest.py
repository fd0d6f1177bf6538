from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.scaleout.brokers import RedisServer, redis_server


@pytest.fixture(scope="module")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A redis-server of this test module's own, on a free port, stopped after."""
    with redis_server(tmp_path_factory.mktemp("redis")) as server:
        yield server
