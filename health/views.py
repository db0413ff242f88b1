"""Liveness and readiness endpoints: public, uncached, and plain HTTP is fine (exempt from the SSL redirect)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from health import probes


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    # Liveness touches no dependency: a database outage must not get healthy workers restarted.
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    results = probes.run_checks()
    ready = all(result.ok for result in results.values())
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {name: result.detail for name, result in results.items()},
    }
    return JsonResponse(body, status=200 if ready else 503)
