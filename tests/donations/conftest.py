from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from campaigns.models import Campaign
from tests.donations import stripe_events
from tests.donations.stripe_server import FakeStripe, serve

WEBHOOK = "/donations/stripe/webhook/"


@pytest.fixture(scope="session")
def _stripe_server() -> Iterator[tuple[FakeStripe, Any]]:
    fake, server = serve()
    yield fake, server
    server.shutdown()


@pytest.fixture
def fake_stripe(_stripe_server: tuple[FakeStripe, Any]) -> FakeStripe:
    fake, _server = _stripe_server
    fake.requests.clear()
    fake.invoice_payments.clear()
    fake.failure = None
    return fake


@pytest.fixture
def stripe_keys(settings: Any, fake_stripe: FakeStripe) -> FakeStripe:
    """Test keys, and the library pointed at the local stand-in for api.stripe.com."""
    settings.STRIPE_SECRET_KEY = "sk_test_townhall"
    settings.STRIPE_WEBHOOK_SECRET = stripe_events.WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake_stripe.url
    return fake_stripe


@pytest.fixture
def ring(db: Any) -> Campaign:
    return Campaign.objects.create(
        slug="ring", title="End Ring partnerships", is_public=True, time_zone="America/New_York"
    )


@pytest.fixture
def meta(ring: Campaign) -> dict[str, str]:
    return stripe_events.metadata(campaign=ring.pk)


@pytest.fixture
def deliver(db: Any, stripe_keys: FakeStripe, django_capture_on_commit_callbacks: Any) -> Any:
    """Posts an event as Stripe would (signed now), running what it queues after commit."""

    def post(payload: dict[str, Any] | str, *, signature: str | None = None, client: Client | None = None) -> Any:
        body = payload if isinstance(payload, str) else stripe_events.dump(payload)
        header = stripe_events.signature_header(body) if signature is None else signature
        with django_capture_on_commit_callbacks(execute=True):
            return (client or Client()).post(
                WEBHOOK, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
            )

    return post
