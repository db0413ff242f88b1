"""Donations in "my data": the export gives them; erasure removes who gave and keeps the bookkeeping."""

from __future__ import annotations

from typing import Any

from donations.models import Donation, RecurringGift
from privacy import registry
from privacy.addresses import address_hashes
from tests.donations import stripe_events as se

MONTHLY: dict[str, Any] = {
    "mode": "subscription",
    "subscription": "sub_test_1",
    "invoice": "in_test_1",
    "payment_intent": None,
}


def holder() -> registry.PersonalDataHolder:
    return next(h for h in registry.holders() if h.name == "donations")


def test_the_export_gives_every_donation_and_monthly_gift(deliver, meta):
    deliver(se.event("checkout.session.completed", se.checkout_session(meta=meta), created=se.T0))
    deliver(
        se.event(
            "checkout.session.completed",
            se.checkout_session(meta=meta, session_id="cs_test_2", **MONTHLY),
            created=se.T0 + 5,
        )
    )

    records = holder().export(address_hashes("Dana@Example.org"))

    assert [(d["kind"], d["amount"], d["email"]) for d in records["donations"]] == [
        ("one_time", 2500, "dana@example.org"),
        ("monthly", 2500, "dana@example.org"),
    ]
    assert records["monthly_gifts"][0]["stripe_subscription"] == "sub_test_1"
    assert "bookkeeping" in str(holder().kept_on_erasure["donations"])
    assert holder().export(address_hashes("someone@example.org")) == {"donations": [], "monthly_gifts": []}


def test_erasure_removes_name_and_address_and_keeps_amounts_and_stripe_ids(deliver, meta):
    deliver(se.event("checkout.session.completed", se.checkout_session(meta=meta, **MONTHLY), created=se.T0))

    changed = holder().erase(address_hashes("dana@example.org"))

    assert changed == {"donations": 1, "monthly_gifts": 1}
    donation, gift = Donation.objects.get(), RecurringGift.objects.get()
    assert (donation.donor_email, donation.donor_name, donation.donor_email_hash) == (None, None, None)
    assert (donation.amount, donation.stripe_invoice_id, donation.stripe_customer_id) == (
        2500,
        "in_test_1",
        "cus_test_1",
    )
    assert (gift.donor_email, gift.stripe_subscription_id) == (None, "sub_test_1")
    assert holder().export(address_hashes("dana@example.org")) == {"donations": [], "monthly_gifts": []}


def test_a_renewal_after_erasure_stays_anonymous(deliver, meta):
    deliver(se.event("checkout.session.completed", se.checkout_session(meta=meta, **MONTHLY), created=se.T0))
    holder().erase(address_hashes("dana@example.org"))

    renewal = se.invoice(meta=meta, invoice_id="in_test_2", billing_reason="subscription_cycle", created=se.T0 + 99)
    deliver(se.event("invoice.paid", renewal, created=se.T0 + 99))

    gift = RecurringGift.objects.get()
    assert gift.donor_email is None
    renewed = Donation.objects.get(stripe_invoice_id="in_test_2")
    assert (renewed.amount, renewed.donor_email, renewed.donor_name) == (2500, None, None)
