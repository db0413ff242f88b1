"""Stripe events as Stripe sends them at our pinned API version (2026-10-28.endive), and their signatures.

Shapes follow that version: an invoice names its subscription under parent.subscription_details
(with a snapshot of the subscription's metadata) and no longer carries a charge or PaymentIntent;
a subscription's period is on each item; a charge names its PaymentIntent but not its invoice.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any

from donations.stripe_api import API_VERSION

WEBHOOK_SECRET = "whsec_test_townhall_0123456789abcdef"
T0 = 1_790_000_000  # 2026-09-21 — events of a test happen a few seconds apart from here
_event_numbers = itertools.count(1)


def signature_header(payload: str, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """Stripe-Signature as Stripe computes it: HMAC-SHA256 of "{t}.{payload}" with the endpoint secret."""
    signed_at = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{signed_at}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={signed_at},v1={mac}"


def event(kind: str, obj: dict[str, Any], *, created: int, event_id: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "id": event_id or f"evt_test_{next(_event_numbers):06d}",
        "object": "event",
        "api_version": API_VERSION,
        "created": created,
        "data": {"object": obj, **extra},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": kind,
    }


def dump(payload: dict[str, Any]) -> str:
    return json.dumps(payload, separators=(",", ":"))


def metadata(*, campaign: int, supporter: int | None = None, checkout: int = 1, language: str = "en") -> dict[str, str]:
    return {
        "townhall_campaign": str(campaign),
        "townhall_supporter": str(supporter or ""),
        "townhall_checkout": str(checkout),
        "townhall_language": language,
    }


def checkout_session(
    *,
    meta: dict[str, str],
    mode: str = "payment",
    amount: int = 2500,
    session_id: str = "cs_test_a1",
    payment_intent: str | None = "pi_test_1",
    subscription: str | None = None,
    invoice: str | None = None,
    customer: str | None = "cus_test_1",
    payment_status: str = "paid",
    email: str = "dana@example.org",
    name: str = "Dana Scully",
    created: int = T0,
) -> dict[str, Any]:
    return {
        "id": session_id,
        "object": "checkout.session",
        "adaptive_pricing": {"enabled": False},
        "amount_subtotal": amount,
        "amount_total": amount,
        "billing_address_collection": None,
        "cancel_url": "https://townhall.example.org/campaigns/ring/donate/cancelled/",
        "client_reference_id": meta["townhall_checkout"],
        "created": created,
        "currency": "usd",
        "customer": customer,
        "customer_creation": "if_required" if mode == "payment" else None,
        "customer_details": {
            "address": {
                "city": None,
                "country": "US",
                "line1": None,
                "line2": None,
                "postal_code": "07003",
                "state": None,
            },
            "business_name": None,
            "email": email,
            "individual_name": None,
            "name": name,
            "phone": None,
            "tax_exempt": "none",
            "tax_ids": [],
        },
        "customer_email": email,
        "expires_at": created + 86400,
        "invoice": invoice,
        "livemode": False,
        "locale": "en",
        "metadata": meta,
        "mode": mode,
        "payment_intent": payment_intent if mode == "payment" else None,
        "payment_method_types": ["card"],
        "payment_status": payment_status,
        "status": "complete",
        "submit_type": "donate" if mode == "payment" else None,
        "subscription": subscription,
        "success_url": "https://townhall.example.org/campaigns/ring/donate/thanks/?session_id={CHECKOUT_SESSION_ID}",
        "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        "ui_mode": "hosted",
        "url": None,
    }


def invoice(
    *,
    meta: dict[str, str],
    invoice_id: str = "in_test_1",
    subscription: str = "sub_test_1",
    amount: int = 2500,
    paid: bool = True,
    billing_reason: str = "subscription_create",
    customer: str = "cus_test_1",
    email: str = "dana@example.org",
    name: str = "Dana Scully",
    created: int = T0,
    attempt_count: int = 1,
) -> dict[str, Any]:
    return {
        "id": invoice_id,
        "object": "invoice",
        "account_country": "US",
        "amount_due": amount,
        "amount_overpaid": 0,
        "amount_paid": amount if paid else 0,
        "amount_remaining": 0 if paid else amount,
        "attempt_count": attempt_count,
        "attempted": True,
        "billing_reason": billing_reason,
        "collection_method": "charge_automatically",
        "created": created,
        "currency": "usd",
        "customer": customer,
        "customer_email": email,
        "customer_name": name,
        "lines": {
            "object": "list",
            "data": [
                {
                    "id": f"il_{invoice_id}",
                    "object": "line_item",
                    "amount": amount,
                    "currency": "usd",
                    "invoice": invoice_id,
                    "parent": {
                        "type": "subscription_item_details",
                        "subscription_item_details": {
                            "invoice_item": None,
                            "proration": False,
                            "subscription": subscription,
                            "subscription_item": "si_test_1",
                        },
                    },
                    "period": {"start": created, "end": created + 30 * 86400},
                    "pricing": {
                        "type": "price_details",
                        "price_details": {"price": "price_test_1"},
                        "unit_amount_decimal": str(amount),
                    },
                    "quantity": 1,
                }
            ],
            "has_more": False,
        },
        "livemode": False,
        "metadata": {},
        "next_payment_attempt": None if paid else created + 3 * 86400,
        "parent": {
            "type": "subscription_details",
            "quote_details": None,
            "subscription_details": {"metadata": meta, "subscription": subscription},
        },
        "period_start": created,
        "period_end": created,
        "status": "paid" if paid else "open",
        "status_transitions": {
            "finalized_at": created,
            "marked_uncollectible_at": None,
            "paid_at": created if paid else None,
            "voided_at": None,
        },
        "subtotal": amount,
        "total": amount,
    }


def subscription(
    *,
    meta: dict[str, str],
    subscription_id: str = "sub_test_1",
    amount: int = 2500,
    status: str = "active",
    cancel_at_period_end: bool = False,
    customer: str = "cus_test_1",
    created: int = T0,
    ended_at: int | None = None,
) -> dict[str, Any]:
    return {
        "id": subscription_id,
        "object": "subscription",
        "cancel_at": created + 30 * 86400 if cancel_at_period_end else None,
        "cancel_at_period_end": cancel_at_period_end,
        "canceled_at": ended_at,
        "collection_method": "charge_automatically",
        "created": created,
        "currency": "usd",
        "customer": customer,
        "ended_at": ended_at,
        "items": {
            "object": "list",
            "data": [
                {
                    "id": "si_test_1",
                    "object": "subscription_item",
                    "current_period_end": created + 30 * 86400,
                    "current_period_start": created,
                    "price": {
                        "id": "price_test_1",
                        "object": "price",
                        "active": False,
                        "currency": "usd",
                        "recurring": {"interval": "month", "interval_count": 1, "usage_type": "licensed"},
                        "type": "recurring",
                        "unit_amount": amount,
                    },
                    "quantity": 1,
                    "subscription": subscription_id,
                }
            ],
            "has_more": False,
        },
        "latest_invoice": "in_test_1",
        "livemode": False,
        "metadata": meta,
        "status": status,
    }


def charge(
    *,
    charge_id: str = "ch_test_1",
    payment_intent: str = "pi_test_1",
    amount: int = 2500,
    refunded: int = 0,
    created: int = T0,
) -> dict[str, Any]:
    return {
        "id": charge_id,
        "object": "charge",
        "amount": amount,
        "amount_captured": amount,
        "amount_refunded": refunded,
        "billing_details": {"address": None, "email": "dana@example.org", "name": "Dana Scully", "phone": None},
        "captured": True,
        "created": created,
        "currency": "usd",
        "customer": "cus_test_1",
        "disputed": False,
        "livemode": False,
        "metadata": {},
        "paid": True,
        "payment_intent": payment_intent,
        "refunded": refunded == amount,
        "status": "succeeded",
    }


def dispute(
    *,
    dispute_id: str = "dp_test_1",
    charge_id: str = "ch_test_1",
    payment_intent: str = "pi_test_1",
    amount: int = 2500,
    status: str = "needs_response",
    created: int = T0,
) -> dict[str, Any]:
    return {
        "id": dispute_id,
        "object": "dispute",
        "amount": amount,
        "balance_transactions": [],
        "charge": charge_id,
        "created": created,
        "currency": "usd",
        "is_charge_refundable": False,
        "livemode": False,
        "metadata": {},
        "payment_intent": payment_intent,
        "reason": "fraudulent",
        "status": status,
    }
