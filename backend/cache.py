"""Django's Redis cache, with one redis-py client per connection pool instead of one per call.

Django's RedisCacheClient builds a new `redis.Redis` around its pool for every get, set or
delete; building one sets up its response callbacks and costs more CPU than the command it sends.
A client is safe to share between threads (each command borrows a connection from the pool), so
this backend builds one per pool and keeps it. Everything else (the pools and how a server is
chosen, the serializer, the timeouts, what a call raises when Redis is down) is Django's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property


class PooledRedisCacheClient(RedisCacheClient):
    _get_connection_pool: Callable[[bool], redis.ConnectionPool]  # Django's, not in its stubs

    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._clients: dict[int, redis.Redis] = {}  # by id() of the pool, which lives as long

    def get_client(self, key: Any = None, *, write: bool = False) -> redis.Redis:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = redis.Redis(connection_pool=pool)
        return client


class PooledRedisCache(RedisCache):
    """settings.CACHES' BACKEND: "backend.cache.PooledRedisCache"."""

    _servers: list[str]  # Django's, set from LOCATION, not in its stubs
    _options: dict[str, Any]  # Django's: OPTIONS

    @cached_property
    def _cache(self) -> PooledRedisCacheClient:
        return PooledRedisCacheClient(self._servers, **self._options)

    def redis_client(self, *, write: bool = True) -> redis.Redis:
        """The shared client, for what Django's cache API has no call for (a script, a pipeline).

        Keys sent through it are the caller's to build with make_and_validate_key(), so that they
        carry the cache's KEY_PREFIX and version like every other key.
        """
        return self._cache.get_client(None, write=write)
