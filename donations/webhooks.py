"""Stripe's webhook endpoint: verify, store, answer at once; a task handles the stored event."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from redis.exceptions import RedisError

from donations import stripe_api
from donations.receiving import NotAnEvent, store_event
from privacy.ip_hashes import client_ip_hash

logger = logging.getLogger(__name__)
MAX_BODY_BYTES = 512 * 1024  # Stripe's events are a few KB; a megabyte of "event" is not one


# CSRF-exempt because Stripe cannot send our token: the signature is what authenticates the post.
@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    if not stripe_api.webhooks_configured():
        return JsonResponse({"detail": "Donations are not configured."}, status=503)
    if _too_many_failures(request):
        return JsonResponse({"detail": "Too many invalid posts from this address."}, status=429)
    if _declared_length(request) > MAX_BODY_BYTES:
        return JsonResponse({"detail": "Too large for a Stripe event."}, status=413)
    body = request.body
    try:
        event = stripe_api.verify_event(body, request.headers.get("Stripe-Signature", ""))
        stored, new = store_event(event)
    except (stripe_api.InvalidWebhook, NotAnEvent) as error:
        _count_failure(request)
        logger.info("Stripe webhook refused: %s", error)
        return JsonResponse({"detail": "Invalid Stripe event or signature."}, status=400)
    # 2xx for everything stored, unsupported versions and unknown types too: Stripe would
    # otherwise retry them for days, and the stored row is what the operator acts on.
    return JsonResponse({"received": stored.event_id, "duplicate": not new, "status": stored.status})


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _failure_key(request: HttpRequest) -> str:
    return f"donations:webhook-failures:{client_ip_hash(request) or 'unknown'}"


def _too_many_failures(request: HttpRequest) -> bool:
    """Only refused posts count: Stripe's genuine bursts (a month's renewals at once) never wait."""
    try:
        failures = cache.get(_failure_key(request), 0)
    except RedisError:
        return False  # fail open, like every other limit
    limit: int = settings.STRIPE_WEBHOOK_FAILURES_PER_MINUTE
    return isinstance(failures, int) and failures >= limit


def _count_failure(request: HttpRequest) -> None:
    key = _failure_key(request)
    try:
        if not cache.add(key, 1, timeout=60):
            cache.incr(key)
    except (RedisError, ValueError):
        pass
