"""The Redis cache keeps one client per connection pool, and still says so when Redis is down."""

from __future__ import annotations

import time
from typing import Any

import pytest
import redis
from redis.exceptions import RedisError

from backend.cache import PooledRedisCache
from tests.petitions.test_redis_down import closed_port


def test_it_builds_one_client_for_every_call(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    params = settings.CACHES["default"]
    if not params["BACKEND"].endswith("PooledRedisCache"):
        pytest.skip("the tests run on the local-memory cache (TOWNHALL_TEST_SQLITE=1)")
    built = []
    init = redis.Redis.__init__

    def counted(client: redis.Redis, *args: Any, **kwargs: Any) -> None:
        built.append(client)
        init(client, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counted)
    cache = PooledRedisCache(params["LOCATION"], params)  # this test's key prefix, a client not built yet

    cache.set("answer", {"value": 42})
    found = cache.get("answer")
    cache.add("counter", 1)
    cache.incr("counter", 2)
    cache.delete("answer")

    assert found == {"value": 42}
    assert cache.get("counter") == 3
    assert cache.get("answer", "gone") == "gone"
    assert len(built) == 1  # Django's RedisCache builds one per call
    assert cache.redis_client() is cache.redis_client(write=False) is built[0]


def test_it_raises_redis_errors_within_its_timeout_when_redis_is_down() -> None:
    # What throttles and rate limits catch to fail open.
    down = PooledRedisCache(
        f"redis://127.0.0.1:{closed_port()}/0", {"OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}}
    )
    started = time.perf_counter()
    with pytest.raises(RedisError):
        down.get("anything")
    with pytest.raises(RedisError):
        down.set("anything", 1)

    assert time.perf_counter() - started < 1.0
