"""How often one network may start a donation: each start creates a Checkout Session at Stripe."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from backend.api.throttles import FailOpen
from privacy.ip_hashes import client_ip_hash


class CheckoutsPerIp(FailOpen):
    scope = "donation_checkouts_ip"

    def get_rate(self) -> str:
        rate: str = settings.DONATION_CHECKOUTS_PER_IP
        return rate

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip_hash(request) or "unknown"}
