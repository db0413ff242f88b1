"""What donors get: a receipt through the e-mail pipeline, and a signed link to Stripe's customer portal."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client

from donations.models import DonationSettings
from donations.portal import portal_link
from emails.models import OutboundMessage
from tests.donations import stripe_events as se

MONTHLY: dict[str, Any] = {
    "mode": "subscription",
    "subscription": "sub_test_1",
    "invoice": "in_test_1",
    "payment_intent": None,
}


def test_a_one_time_receipt_says_amount_date_campaign_and_wording(deliver, meta, ring):
    DonationSettings.objects.create(
        campaign=ring, preset_amounts=[2500], tax_deductible=True, receipt_note="Townhall Action Fund, EIN 00-0000000"
    )

    deliver(se.event("checkout.session.completed", se.checkout_session(meta=meta), created=se.T0))

    [receipt] = mail.outbox
    assert receipt.subject == "Thank you for your donation to “End Ring partnerships”"
    assert "Dear Dana Scully," in receipt.body
    assert "Amount: 25.00 USD" in receipt.body
    assert "Date: Sept. 21, 2026" in receipt.body
    assert "may be tax-deductible" in receipt.body
    assert "EIN 00-0000000" in receipt.body
    assert "/donations/manage/" not in receipt.body  # nothing to cancel
    assert OutboundMessage.objects.get().kind == "donations.receipt"


def test_a_monthly_receipt_says_how_to_cancel(deliver, meta):
    deliver(se.event("checkout.session.completed", se.checkout_session(meta=meta, **MONTHLY), created=se.T0))

    [receipt] = mail.outbox
    assert "(monthly)" in receipt.body
    assert "not tax-deductible" in receipt.body
    assert "to cancel, open this link" in receipt.body
    assert re.search(r"https?://\S+/donations/manage/\S+/", str(receipt.body))


def test_the_receipt_is_in_the_donors_language(deliver, ring):
    spanish = se.metadata(campaign=ring.pk, language="es")

    deliver(se.event("checkout.session.completed", se.checkout_session(meta=spanish), created=se.T0))

    assert OutboundMessage.objects.get().language == "es"
    [receipt] = mail.outbox
    html = str(receipt.alternatives[0][0])  # type: ignore[union-attr]
    assert '<html lang="es"' in html


def test_the_manage_link_opens_the_customer_portal_only_on_a_post(stripe_keys, db):
    link = portal_link("cus_test_1")
    path = link.split("://", 1)[1].split("/", 1)[1]
    client = Client()

    shown = client.get(f"/{path}")
    assert shown.status_code == 200
    assert not stripe_keys.requests  # a mail scanner following the link opens nothing

    response = client.post(f"/{path}")

    assert response.status_code == 303
    assert response["Location"].startswith("https://billing.stripe.com/p/session/")
    [call] = stripe_keys.calls("/v1/billing_portal/sessions")
    assert call.params["customer"] == "cus_test_1"
    assert call.idempotency_key.startswith("townhall-portal-")
    assert "billing.stripe.com" in shown["Content-Security-Policy"]


def test_a_tampered_manage_link_is_refused(stripe_keys, db):
    link = portal_link("cus_test_1")
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    tampered = path.replace("/manage/", "/manage/x")

    assert Client().get(tampered).status_code == 400
    assert Client().post(tampered).status_code == 400
    assert not stripe_keys.requests


def test_the_manage_page_says_when_donations_are_off(settings, db):
    settings.STRIPE_SECRET_KEY = ""
    link = portal_link("cus_test_1")
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    assert Client().post(path).status_code == 503
