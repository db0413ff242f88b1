"""The client's IP address, trusting exactly settings.TRUSTED_PROXY_COUNT reverse proxies."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """Same hop semantics as DRF's NUM_PROXIES, so throttles and our records agree on who a client is.

    Only the entries the trusted proxies appended are believed; anything further left in
    X-Forwarded-For was written by the client and may be forged.
    """
    proxies: int = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies == 0 or forwarded is None:
        candidate = request.META.get("REMOTE_ADDR")
    else:
        hops = forwarded.split(",")
        candidate = hops[-min(proxies, len(hops))]
    return _valid_ip(candidate)


def _valid_ip(candidate: object) -> str | None:
    if not isinstance(candidate, str):
        return None
    try:
        address = ipaddress.ip_address(candidate.strip())
    except ValueError:
        return None
    # "::ffff:1.2.3.4" is the IPv4 client seen through a dual-stack socket: one client, one key.
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return str(mapped or address)
