"""Starting a donation: a Stripe Checkout Session with our idempotency key and attribution everywhere."""

from __future__ import annotations

import pytest
from django.test import Client

from donations.models import Checkout
from donations.stripe_api import API_VERSION
from supporters.models import Supporter

API = "/api/v1/campaigns/ring/donations/checkout/"
PAGE = "/campaigns/ring/donate/"


def start(body):
    return Client().post(API, data=body, content_type="application/json")


def test_it_starts_a_one_time_checkout_with_attribution_on_the_session_and_the_payment(stripe_keys, ring):
    response = start({"amount": 2500, "frequency": "one_time", "email": "dana@example.org"})

    assert response.status_code == 201
    assert response.json()["checkout_url"].startswith("https://checkout.stripe.com/c/pay/cs_test_")
    [call] = stripe_keys.calls("/v1/checkout/sessions")
    checkout = Checkout.objects.get()
    supporter = Supporter.objects.get()
    assert call.idempotency_key == f"townhall-checkout-{checkout.idempotency_key}"
    assert call.headers["stripe-version"] == API_VERSION
    assert call.headers["authorization"] == "Bearer sk_test_townhall"
    p = call.params
    assert (p["mode"], p["customer_email"], p["submit_type"]) == ("payment", "dana@example.org", "donate")
    assert p["line_items[0][price_data][unit_amount]"] == "2500"
    assert p["line_items[0][price_data][currency]"] == "usd"
    assert "line_items[0][price_data][recurring][interval]" not in p
    for prefix in ("metadata", "payment_intent_data[metadata]"):
        assert p[f"{prefix}[townhall_campaign]"] == str(ring.pk)
        assert p[f"{prefix}[townhall_supporter]"] == str(supporter.pk)
        assert p[f"{prefix}[townhall_checkout]"] == str(checkout.pk)
    assert p["success_url"].endswith("/campaigns/ring/donate/thanks/?session_id={CHECKOUT_SESSION_ID}")
    assert p["cancel_url"].endswith("/campaigns/ring/donate/cancelled/")
    assert checkout.stripe_session_id.startswith("cs_test_")


def test_it_starts_a_monthly_gift_of_any_amount_with_an_inline_recurring_price(stripe_keys, ring):
    response = start({"amount": 1234, "frequency": "monthly", "email": "dana@example.org", "language": "es"})

    assert response.status_code == 201
    [call] = stripe_keys.calls("/v1/checkout/sessions")
    p = call.params
    assert p["mode"] == "subscription"
    assert p["line_items[0][price_data][unit_amount]"] == "1234"
    assert p["line_items[0][price_data][recurring][interval]"] == "month"
    assert p["subscription_data[metadata][townhall_campaign]"] == str(ring.pk)
    assert p["subscription_data[metadata][townhall_language]"] == "es"
    assert p["locale"] == "es"
    assert "payment_intent_data[metadata][townhall_campaign]" not in p


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": 99, "email": "dana@example.org"}, "amount"),  # under the campaign's minimum
        ({"amount": 1_000_001, "email": "dana@example.org"}, "amount"),
        ({"amount": "lots", "email": "dana@example.org"}, "amount"),
        ({"amount": 2500, "email": "not an address"}, "email"),
        ({"amount": 2500}, "email"),
        ({"amount": 2500, "email": "dana@example.org", "frequency": "weekly"}, "frequency"),
    ],
)
def test_it_refuses_bad_input_with_field_messages_and_writes_nothing(stripe_keys, ring, body, field):
    response = start(body)

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Checkout.objects.exists()
    assert not stripe_keys.requests


def test_it_answers_503_when_donations_are_not_configured(settings, ring):
    settings.STRIPE_SECRET_KEY = ""

    response = start({"amount": 2500, "email": "dana@example.org"})

    assert response.status_code == 503
    assert response.json()["detail"] == "Donations are not configured."
    assert Client().get(PAGE).status_code == 503
    assert Client().get("/api/v1/campaigns/ring/donations/").json()["configured"] is False


def test_it_answers_502_when_stripe_refuses(stripe_keys, ring):
    stripe_keys.failure = (400, "invalid_request_error")

    response = start({"amount": 2500, "email": "dana@example.org"})

    assert response.status_code == 502


def test_it_takes_no_donations_for_a_draft_campaign(stripe_keys, ring):
    ring.is_public = False
    ring.save()

    assert start({"amount": 2500, "email": "dana@example.org"}).status_code == 404


def test_it_shows_the_options_a_donor_may_choose(stripe_keys, ring):
    options = Client().get("/api/v1/campaigns/ring/donations/").json()

    assert options["currency"] == "usd"
    assert options["preset_amounts"] == [1000, 2500, 5000, 10000]
    assert options["frequencies"] == ["one_time", "monthly"]
    assert options["configured"] is True


def test_the_page_sends_the_donor_to_stripe(stripe_keys, ring):
    page = Client().get(PAGE)
    assert page.status_code == 200
    assert "25.00 USD" in page.content.decode()
    assert "checkout.stripe.com" in page["Content-Security-Policy"]  # its form's redirect goes there

    response = Client().post(
        PAGE, {"frequency": "monthly", "preset": "other", "other_amount": "12.50", "email": "dana@example.org"}
    )

    assert response.status_code == 303
    assert response["Location"].startswith("https://checkout.stripe.com/")
    [call] = stripe_keys.calls("/v1/checkout/sessions")
    assert call.params["line_items[0][price_data][unit_amount]"] == "1250"
    assert call.params["mode"] == "subscription"


@pytest.mark.parametrize("other", ["", "12.345", "abc", "0.10", "99999999"])
def test_the_page_explains_a_bad_amount(stripe_keys, ring, other):
    response = Client().post(
        PAGE, {"frequency": "one_time", "preset": "other", "other_amount": other, "email": "dana@example.org"}
    )

    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not stripe_keys.requests


def test_the_page_takes_a_preset(stripe_keys, ring):
    response = Client().post(PAGE, {"frequency": "one_time", "preset": "5000", "email": "dana@example.org"})

    assert response.status_code == 303
    assert stripe_keys.calls("/v1/checkout/sessions")[0].params["line_items[0][price_data][unit_amount]"] == "5000"


def test_the_return_pages_thank_or_reassure(stripe_keys, ring):
    thanks = Client().get("/campaigns/ring/donate/thanks/?session_id=cs_test_1")
    cancelled = Client().get("/campaigns/ring/donate/cancelled/")

    assert thanks.status_code == cancelled.status_code == 200
    assert "receipt" in thanks.content.decode()
    assert "Nothing was charged" in cancelled.content.decode()
