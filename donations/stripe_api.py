"""The one module that imports `stripe`: the pinned API version, the calls we make, webhook verification.

Everything else in Townhall speaks plain dicts and the exceptions below, so the library (and
its version) can change in one place.
"""

from __future__ import annotations

import json
from typing import Any

import stripe
from django.conf import settings

# Events are handled in the shapes of this version; any other is stored as unsupported.
API_VERSION = "2026-10-28.endive"
NETWORK_RETRIES = 2  # the library retries with our idempotency key, so a retry never doubles a charge


class NotConfigured(RuntimeError):
    """No STRIPE_SECRET_KEY (or webhook secret): donations are off."""


class StripeUnavailable(RuntimeError):
    """Stripe could not be reached or asked us to slow down: worth trying again later."""


class StripeRefused(RuntimeError):
    """Stripe answered that the request itself is wrong; trying again will not help."""


class InvalidWebhook(ValueError):
    """Not a genuine, fresh Stripe event: bad or missing signature, stale timestamp, not JSON."""


def is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def webhooks_configured() -> bool:
    return bool(settings.STRIPE_WEBHOOK_SECRET)


def create_checkout_session(params: dict[str, Any], *, idempotency_key: str) -> dict[str, Any]:
    options = {"idempotency_key": idempotency_key}
    session: dict[str, Any] = _call(lambda client: client.v1.checkout.sessions.create(params, options))  # type: ignore[arg-type]
    return session


def create_portal_session(*, customer: str, return_url: str, idempotency_key: str) -> str:
    params = {"customer": customer, "return_url": return_url}
    session = _call(
        lambda client: client.v1.billing_portal.sessions.create(params, {"idempotency_key": idempotency_key})
    )  # type: ignore[arg-type]
    return str(session["url"])


def invoice_of_payment_intent(payment_intent: str) -> str | None:
    """The invoice a PaymentIntent paid, if any (since 2025-03-31.basil a charge no longer says)."""
    params = {"payment": {"type": "payment_intent", "payment_intent": payment_intent}, "limit": 1}
    found = _call(lambda client: client.v1.invoice_payments.list(params))  # type: ignore[arg-type]
    rows = found.get("data") or []
    invoice = rows[0].get("invoice") if rows else None
    if isinstance(invoice, dict):
        invoice = invoice.get("id")
    return invoice if isinstance(invoice, str) else None


def verify_event(payload: bytes, signature: str) -> dict[str, Any]:
    """The event, once its Stripe-Signature proves it came from Stripe within the tolerance."""
    if not signature:
        raise InvalidWebhook("no Stripe-Signature header")
    try:
        text = payload.decode("utf-8")
        stripe.Webhook.construct_event(
            text, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=settings.STRIPE_WEBHOOK_TOLERANCE
        )
        event = json.loads(text)
    except stripe.SignatureVerificationError as error:
        raise InvalidWebhook(str(error)) from None
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
        # Signed but not an event (JSON that is not an object, missing fields the library reads).
        raise InvalidWebhook(f"not an event: {type(error).__name__}") from None
    if not isinstance(event, dict):
        raise InvalidWebhook("not an event: not a JSON object")
    return event


def _client() -> stripe.StripeClient:
    if not is_configured():
        raise NotConfigured("STRIPE_SECRET_KEY is not set")
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        stripe_version=API_VERSION,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=NETWORK_RETRIES,
    )


def _call(request: Any) -> Any:
    try:
        result = request(_client())
    except (stripe.APIConnectionError, stripe.RateLimitError) as error:
        raise StripeUnavailable(_describe(error)) from None
    except stripe.APIError as error:
        raise StripeUnavailable(_describe(error)) from None
    except stripe.StripeError as error:
        raise StripeRefused(_describe(error)) from None
    return result.to_dict() if hasattr(result, "to_dict") else result


def _describe(error: Any) -> str:
    # The message and code only: Stripe's error bodies may echo what was sent (addresses).
    code = getattr(error, "code", None) or ""
    return f"{type(error).__name__}: {code} {getattr(error, 'user_message', '') or ''}".strip()
