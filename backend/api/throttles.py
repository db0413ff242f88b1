"""DRF's rate limits, counted in one Redis round trip per request, failing open when Redis is down.

Each limit keeps DRF's sliding window: a request is refused while the key holds as many requests
as the rate allows within its duration, and only requests let through are counted. In Redis the
window is a sorted set of request times per key; one Lua script prunes, counts and adds for every
limit of a request at once (`count_requests`), where DRF's own throttle reads and rewrites a
pickled list per limit (two round trips each). Any other cache (the laptop's local memory) gets
DRF's own code.

A limit that cannot be counted lets the request through and logs it: a public page or API that
answers 500 during a cache outage helps nobody, while what a flood can do meanwhile stays bounded
by what each endpoint checks in the database (see campaigns.throttles for signing).
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.cache import caches
from redis.exceptions import NoScriptError, RedisError
from rest_framework import throttling

from backend.cache import PooledRedisCache

if TYPE_CHECKING:
    from rest_framework.throttling import BaseThrottle
    from rest_framework.views import APIView
else:
    APIView = object  # rest_framework.views imports this module for its default throttles

logger = logging.getLogger(__name__)

# Set on a request once the cache failed it, so its other limits do not wait out the timeout again.
_CACHE_DOWN = "_townhall_throttle_cache_down"

# KEYS: one sorted set per limit. ARGV: the time, then per limit its number of requests, its
# duration in seconds and a member naming this request. Per limit, three answers: 1 when the
# request is let through (and counted), the requests in the window, the oldest one's time.
_WINDOW_SCRIPT = """
local now = tonumber(ARGV[1])
local answers = {}
for i, key in ipairs(KEYS) do
  local limit, duration = tonumber(ARGV[3 * i - 1]), tonumber(ARGV[3 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - duration)
  local count, allowed = redis.call('ZCARD', key), 0
  if count < limit then
    redis.call('ZADD', key, now, ARGV[3 * i + 1])
    redis.call('EXPIRE', key, math.ceil(duration))
    count, allowed = count + 1, 1
  end
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2]
  answers[#answers + 1] = allowed
  answers[#answers + 1] = count
  answers[#answers + 1] = oldest or ''
end
return answers
"""
_WINDOW_SHA = hashlib.sha1(_WINDOW_SCRIPT.encode(), usedforsecurity=False).hexdigest()
# A throttle's sorted set, apart from the pickled list DRF's throttle keeps under its cache key.
_WINDOW_KEY = "window:%s"


class FailOpen(throttling.SimpleRateThrottle):
    """A DRF throttle: its rate and cache key as DRF's, counted by count_requests()."""

    num_requests: int | None  # DRF's, from the rate
    duration: int | None
    # The window as count_requests() saw it: how many requests it held, and the oldest one's time.
    window_count = 0
    window_oldest: float | None = None

    def allow_request(self, request: Any, view: Any) -> bool:
        return count_requests(request, view, [self])[0]

    def wait(self) -> float | None:
        """DRF's advice for a refused request, in seconds."""
        assert self.num_requests is not None and self.duration is not None  # noqa: S101 (refused, so rated)
        oldest = self.window_oldest
        remaining = self.duration - (self.now - oldest) if oldest is not None else self.duration
        available = self.num_requests - self.window_count + 1
        return remaining / available if available > 0 else None


class OneRoundTrip(APIView):
    """Mixed into an APIView: its throttles counted together, one round trip to Redis for all."""

    def check_throttles(self, request: Any) -> None:
        throttles = self.get_throttles()
        ours = [throttle for throttle in throttles if isinstance(throttle, FailOpen)]
        refused: list[BaseThrottle] = [
            throttle for throttle, allowed in zip(ours, count_requests(request, self, ours), strict=True) if not allowed
        ]
        refused += [t for t in throttles if not isinstance(t, FailOpen) and not t.allow_request(request, self)]
        if refused:
            waits = [wait for wait in (throttle.wait() for throttle in refused) if wait is not None]
            # None (no Retry-After) when no limit can say, as in DRF's own check_throttles().
            self.throttled(request, max(waits, default=None))  # type: ignore[arg-type]


def count_requests(request: Any, view: Any, throttles: Sequence[FailOpen]) -> list[bool]:
    """Whether each limit lets the request through; each that does counts it.

    Every limit counts the request, as DRF does, even when another already refused it.
    """
    if getattr(request, _CACHE_DOWN, False):
        return [True] * len(throttles)
    answers = [True] * len(throttles)
    counted = []
    for n, throttle in enumerate(throttles):
        if throttle.rate is None:
            continue
        throttle.key = throttle.get_cache_key(request, view)
        if throttle.key is not None:
            counted.append(n)
    if not counted:
        return answers
    cache = caches["default"]
    try:
        if isinstance(cache, PooledRedisCache):
            for n, allowed in zip(counted, _in_redis(cache, [throttles[n] for n in counted]), strict=True):
                answers[n] = allowed
        else:
            for n in counted:
                answers[n] = _in_cache(throttles[n], request, view)
    except RedisError:
        scopes = ", ".join(str(throttles[n].scope) for n in counted)
        logger.warning("%s: cache unreachable, letting the request through", scopes)
        setattr(request, _CACHE_DOWN, True)
        return [True] * len(throttles)
    return answers


def _in_redis(cache: PooledRedisCache, throttles: list[FailOpen]) -> list[bool]:
    now = throttles[0].timer()
    keys = [cache.make_key(_WINDOW_KEY % throttle.key) for throttle in throttles]
    args: list[Any] = [repr(now)]
    for throttle in throttles:
        # The member only has to differ from the other requests' in the same window.
        args += [throttle.num_requests, throttle.duration, f"{now!r}:{os.urandom(6).hex()}"]
    client = cache.redis_client()
    try:
        answers = client.evalsha(_WINDOW_SHA, len(keys), *keys, *args)
    except NoScriptError:  # the first call since Redis started: it learns the script
        answers = client.eval(_WINDOW_SCRIPT, len(keys), *keys, *args)
    allowed = []
    for n, throttle in enumerate(throttles):
        passed, count, oldest = answers[3 * n : 3 * n + 3]
        throttle.now, throttle.window_count = now, int(count)
        throttle.window_oldest = float(oldest) if oldest else None
        allowed.append(bool(passed))
    return allowed


def _in_cache(throttle: FailOpen, request: Any, view: Any) -> bool:
    """DRF's own counting, in any cache: a pickled list of times, newest first, per key."""
    allowed = throttling.SimpleRateThrottle.allow_request(throttle, request, view)
    throttle.window_count = len(throttle.history)
    throttle.window_oldest = throttle.history[-1] if throttle.history else None
    return allowed


class AnonRateThrottle(FailOpen, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FailOpen, throttling.UserRateThrottle):
    pass
