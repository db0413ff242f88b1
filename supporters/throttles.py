"""How often one network may ask for "my data" mail, on the page and through the API alike.

The pipeline already limits such mail per address per day; this limits a single client trying
many addresses. Clients are told apart by the keyed hash of their IP, so no address sits in the cache.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest

from backend.api.throttles import FailOpen
from privacy.ip_hashes import client_ip_hash


class MyDataThrottle(FailOpen):
    scope = "my_data"

    def get_rate(self) -> str:
        # Read here, not from DRF's DEFAULT_THROTTLE_RATES, which DRF copies once at import.
        rate: str = settings.MY_DATA_REQUESTS_PER_IP
        return rate

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip_hash(request) or "unknown"}


def allows(request: HttpRequest) -> bool:
    """For the HTML form: counts this request against the same limit as the API."""
    # DRF's throttles read only request.META, which a Django request has too.
    return MyDataThrottle().allow_request(cast(Any, request), cast(Any, None))
