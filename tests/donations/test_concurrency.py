"""Stripe delivering one event several times at once (retries racing a slow answer) still records it once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from campaigns.models import Campaign
from donations.models import Donation, StripeEvent
from emails.models import OutboundMessage
from tests.donations import stripe_events as se
from tests.donations.conftest import WEBHOOK


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_event_posted_eight_times_at_once_is_one_donation_and_one_receipt(stripe_keys):
    ring = Campaign.objects.create(slug="ring", title="End Ring partnerships", is_public=True)
    body = se.dump(
        se.event("checkout.session.completed", se.checkout_session(meta=se.metadata(campaign=ring.pk)), created=se.T0)
    )

    def post(_: int) -> int:
        try:
            response = Client().post(
                WEBHOOK, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=se.signature_header(body)
            )
            return response.status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(post, range(8)))

    assert answers == [200] * 8
    assert StripeEvent.objects.count() == 1
    assert StripeEvent.objects.get().status == StripeEvent.Status.PROCESSED
    assert Donation.objects.count() == 1
    assert OutboundMessage.objects.filter(kind="donations.receipt").count() == 1
