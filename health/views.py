"""Liveness and readiness (public) and metrics (restricted): uncached, plain HTTP fine (no SSL redirect)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from health import metrics as metrics_module
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


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus' text format, for a scraper holding METRICS_TOKEN or a signed-in staff member.

    Not public: queue lengths and failure counts tell an attacker how a flood is going.
    """
    if not _may_read_metrics(request):
        response = HttpResponse("Forbidden: send Authorization: Bearer <METRICS_TOKEN>.\n", status=403)
        if "authorization" not in request.headers and not request.user.is_authenticated:
            response.status_code = 401
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        response["Content-Type"] = "text/plain; charset=utf-8"
        return response
    return HttpResponse(metrics_module.render(), content_type=metrics_module.CONTENT_TYPE)


def _may_read_metrics(request: HttpRequest) -> bool:
    token: str = getattr(settings, "METRICS_TOKEN", "")
    scheme, _, offered = request.headers.get("authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and offered and constant_time_compare(offered.strip(), token):
        return True
    # A session reaching here passed two factors: /metrics is in TWO_FACTOR_REQUIRED_PATHS.
    return bool(request.user.is_authenticated and request.user.is_active and request.user.is_staff)
