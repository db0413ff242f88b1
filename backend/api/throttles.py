"""DRF's rate limits, failing open when the cache (Redis) cannot be reached.

A limit that cannot be counted lets the request through and logs it: a public page or API that
answers 500 during a cache outage helps nobody, while what a flood can do meanwhile stays bounded
by what each endpoint checks in the database (see campaigns.throttles for signing).
"""

from __future__ import annotations

import logging
from typing import Any

from redis.exceptions import RedisError
from rest_framework import throttling

logger = logging.getLogger(__name__)

# Set on a request once the cache failed it, so its other limits do not wait out the timeout again.
_CACHE_DOWN = "_townhall_throttle_cache_down"


class FailOpen(throttling.SimpleRateThrottle):
    def allow_request(self, request: Any, view: Any) -> bool:
        if getattr(request, _CACHE_DOWN, False):
            return True
        try:
            return super().allow_request(request, view)
        except RedisError:
            logger.warning("%s: cache unreachable, letting the request through", self.scope)
            setattr(request, _CACHE_DOWN, True)
            return True


class AnonRateThrottle(FailOpen, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FailOpen, throttling.UserRateThrottle):
    pass
