"""How often one network, and one address, may sign: on the page and through the API alike.

Counts live in the cache (Redis in production), keyed by the keyed hash of the client IP or of
the canonical address, so no IP or address sits in the cache.

Both limits are counted in one round trip to Redis (backend.api.throttles.count_requests), by
the API view (OneRoundTrip) and the page alike.

When the cache cannot be reached the limits fail open: the signature is taken (and logged). A
refused signer is lost for good, often at the very moment a campaign is shared widely, while a
flood let through during an outage stays bounded: every signature still needs its address
confirmed, the e-mail pipeline limits unconfirmed mail per address per day in the database, and
the signature's IP hash lets organizers find and reject a burst afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest

from backend.api.throttles import FailOpen, count_requests
from privacy.addresses import address_hash
from privacy.ip_hashes import client_ip_hash
from supporters.identity import MAX_ADDRESS_LENGTH


class FailOpenThrottle(FailOpen):
    setting: str  # the settings name of the rate, read per request (tests and operators change it)

    def get_rate(self) -> str:
        rate: str = getattr(settings, self.setting)
        return rate


class SignaturesPerIp(FailOpenThrottle):
    scope = "signatures_ip"
    setting = "SIGNATURES_PER_IP"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip_hash(request) or "unknown"}


class SignaturesPerAddress(FailOpenThrottle):
    scope = "signatures_address"
    setting = "SIGNATURES_PER_ADDRESS"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        # The API's parsed JSON, or the web form's fields.
        sent = getattr(request, "data", None) if not isinstance(request, HttpRequest) else request.POST
        email = sent.get("email") if isinstance(sent, Mapping) else None
        if not isinstance(email, str) or "@" not in email or len(email) > MAX_ADDRESS_LENGTH:
            return None  # not an address: validation answers it, there is nothing to count
        return self.cache_format % {"scope": self.scope, "ident": address_hash(email)}


SIGNING_THROTTLES = (SignaturesPerIp, SignaturesPerAddress)


def allows(request: HttpRequest) -> bool:
    """For the HTML form: counts this request against the same limits as the API, in one round trip."""
    # Every limit counts the request, as DRF does, even when another already refused it.
    return all(count_requests(cast(Any, request), None, [throttle() for throttle in SIGNING_THROTTLES]))
