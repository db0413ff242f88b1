"""Every payment Stripe reports is recorded exactly once, whatever the order its events arrive in."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from donations import processing, totals
from donations.models import ChargeAdjustment, Donation, RecurringGift, StripeEvent
from emails.models import OutboundMessage
from tests.donations import stripe_events as se

MONTHLY: dict[str, Any] = {
    "mode": "subscription",
    "subscription": "sub_test_1",
    "invoice": "in_test_1",
    "payment_intent": None,
}


def rows() -> dict[str, list[Any]]:
    """Everything the events leave behind, ids and times of our own aside."""
    donation_fields = (
        "kind",
        "status",
        "amount",
        "currency",
        "amount_refunded",
        "amount_disputed",
        "dispute_status",
        "stripe_payment_intent_id",
        "stripe_invoice_id",
        "stripe_checkout_session_id",
        "stripe_customer_id",
        "campaign_id",
        "language",
        "paid_at",
        "gift__stripe_subscription_id",
    )
    gift_fields = (
        "stripe_subscription_id",
        "stripe_customer_id",
        "amount",
        "currency",
        "status",
        "status_as_of",
        "cancel_at_period_end",
        "current_period_end",
        "terms_as_of",
        "ended_at",
        "campaign_id",
    )
    adjustment_fields = ("stripe_charge_id", "payment_intent_id", "invoice_id", "amount_refunded", "dispute_status")
    return {
        "donations": list(
            Donation.objects.order_by("stripe_invoice_id", "stripe_payment_intent_id").values_list(*donation_fields)
        ),
        "emails": sorted((d.donor_email, d.donor_name) for d in Donation.objects.all()),
        "gifts": list(RecurringGift.objects.values_list(*gift_fields)),
        "gift_emails": sorted(g.donor_email for g in RecurringGift.objects.all()),
        "adjustments": list(ChargeAdjustment.objects.values_list(*adjustment_fields)),
        "mail": sorted(message.subject for message in mail.outbox),
    }


def four_events(meta: dict[str, str]) -> list[dict]:
    """A monthly gift's first payment (reported twice), an amount change, and a partial refund."""
    return [
        se.event("checkout.session.completed", se.checkout_session(meta=meta, **MONTHLY), created=se.T0),
        se.event("invoice.paid", se.invoice(meta=meta), created=se.T0 + 1),
        se.event(
            "customer.subscription.updated",
            se.subscription(meta=meta, amount=5000, cancel_at_period_end=True),
            created=se.T0 + 60,
            previous_attributes={"cancel_at_period_end": False},
        ),
        se.event("charge.refunded", se.charge(payment_intent="pi_test_1", refunded=1000), created=se.T0 + 120),
    ]


@pytest.mark.django_db
def test_every_order_of_four_events_leaves_the_same_rows(deliver, meta, fake_stripe):
    fake_stripe.invoice_payments["pi_test_1"] = "in_test_1"
    events = four_events(meta)
    outcomes = []
    for order in itertools.permutations(events):
        Donation.objects.all().delete()
        RecurringGift.objects.all().delete()
        ChargeAdjustment.objects.all().delete()
        StripeEvent.objects.all().delete()
        OutboundMessage.objects.all().delete()
        mail.outbox.clear()
        for event in order:
            assert deliver(event).status_code == 200
        assert set(StripeEvent.objects.values_list("status", flat=True)) == {StripeEvent.Status.PROCESSED}
        outcomes.append(rows())

    assert len(outcomes) == 24
    for outcome in outcomes:
        assert outcome == outcomes[0]
    final = outcomes[0]
    [donation] = final["donations"]
    assert donation[:6] == ("monthly", "succeeded", 2500, "usd", 1000, 0)  # the payment as paid, less its refund
    [gift] = final["gifts"]
    assert (gift[2], gift[4], gift[6]) == (5000, "active", True)  # the newest snapshot's terms
    assert len(final["mail"]) == 1  # one receipt


def test_a_first_monthly_payment_reported_twice_counts_once(deliver, meta, ring):
    session = se.event("checkout.session.completed", se.checkout_session(meta=meta, **MONTHLY), created=se.T0)
    paid = se.event("invoice.paid", se.invoice(meta=meta), created=se.T0 + 2)

    deliver(session)
    deliver(paid)

    donation = Donation.objects.get()
    assert (donation.kind, donation.stripe_invoice_id, donation.amount) == ("monthly", "in_test_1", 2500)
    assert donation.gift is not None
    assert donation.gift.stripe_subscription_id == "sub_test_1"
    assert donation.stripe_checkout_session_id == "cs_test_a1"
    summary = totals.campaign_totals(ring)
    assert [(t["kind"], t["count"], t["net"]) for t in summary["totals"]] == [("monthly", 1, 2500)]
    assert len(mail.outbox) == 1


def test_a_refund_after_a_renewal_comes_off_the_renewal(deliver, meta, ring, fake_stripe):
    fake_stripe.invoice_payments |= {"pi_test_1": "in_test_1", "pi_test_2": "in_test_2"}
    month = 30 * 86400
    deliver(se.event("checkout.session.completed", se.checkout_session(meta=meta, **MONTHLY), created=se.T0))
    deliver(se.event("invoice.paid", se.invoice(meta=meta), created=se.T0 + 1))
    renewal = se.invoice(meta=meta, invoice_id="in_test_2", billing_reason="subscription_cycle", created=se.T0 + month)
    deliver(se.event("invoice.paid", renewal, created=se.T0 + month))
    refund = se.charge(charge_id="ch_test_2", payment_intent="pi_test_2", refunded=2500, created=se.T0 + month)

    deliver(se.event("charge.refunded", refund, created=se.T0 + month + 3600))

    first, second = Donation.objects.order_by("stripe_invoice_id")
    assert (first.stripe_invoice_id, first.amount_refunded, first.net_amount) == ("in_test_1", 0, 2500)
    assert (second.stripe_invoice_id, second.amount_refunded, second.net_amount) == ("in_test_2", 2500, 0)
    assert second.stripe_payment_intent_id == "pi_test_2"
    [lookup] = fake_stripe.calls("/v1/invoice_payments")
    assert lookup.params["payment[payment_intent]"] == "pi_test_2"
    [sums] = totals.campaign_totals(ring)["totals"]
    assert (sums["count"], sums["gross"], sums["refunded"], sums["net"]) == (2, 5000, 2500, 2500)
    assert len(mail.outbox) == 2  # a receipt per payment


def test_a_refund_reported_before_its_payment_still_counts(deliver, meta):
    deliver(se.event("charge.refunded", se.charge(refunded=500), created=se.T0 + 10))
    deliver(se.event("checkout.session.completed", se.checkout_session(meta=meta), created=se.T0))

    donation = Donation.objects.get()
    assert (donation.amount, donation.amount_refunded, donation.net_amount) == (2500, 500, 2000)


def test_partial_refunds_only_ever_grow(deliver, meta):
    deliver(se.event("checkout.session.completed", se.checkout_session(meta=meta), created=se.T0))
    deliver(se.event("charge.refunded", se.charge(refunded=1500), created=se.T0 + 20))
    deliver(se.event("charge.refunded", se.charge(refunded=500), created=se.T0 + 10))  # the older one, late

    assert Donation.objects.get().amount_refunded == 1500


def test_a_failed_monthly_payment_tells_the_donor_and_marks_the_gift_past_due(deliver, meta):
    deliver(se.event("checkout.session.completed", se.checkout_session(meta=meta, **MONTHLY), created=se.T0))
    mail.outbox.clear()
    failed = se.invoice(meta=meta, invoice_id="in_test_2", paid=False, billing_reason="subscription_cycle")

    deliver(se.event("invoice.payment_failed", failed, created=se.T0 + 100))

    gift = RecurringGift.objects.get()
    assert gift.status == "past_due"
    [message] = mail.outbox
    assert message.to == ["dana@example.org"]
    assert "did not go through" in message.subject
    assert "/donations/manage/" in message.body
    assert Donation.objects.count() == 1  # a failure is no payment

    paid = se.invoice(meta=meta, invoice_id="in_test_2", billing_reason="subscription_cycle", created=se.T0 + 200)
    deliver(se.event("invoice.paid", paid, created=se.T0 + 200))

    gift.refresh_from_db()
    assert gift.status == "active"
    assert Donation.objects.count() == 2


def test_an_older_snapshot_never_overrides_a_newer_one(deliver, meta):
    newer = se.subscription(meta=meta, status="past_due", amount=3000)
    older = se.subscription(meta=meta, status="active", amount=2000)

    deliver(se.event("customer.subscription.updated", newer, created=se.T0 + 50))
    deliver(se.event("customer.subscription.updated", older, created=se.T0 + 10))

    gift = RecurringGift.objects.get()
    assert (gift.status, gift.amount) == ("past_due", 3000)


def test_a_deleted_subscription_stays_ended(deliver, meta):
    ended = se.subscription(meta=meta, status="canceled", ended_at=se.T0 + 40)
    deliver(se.event("customer.subscription.deleted", ended, created=se.T0 + 40))
    deliver(se.event("customer.subscription.updated", se.subscription(meta=meta), created=se.T0 + 90))

    gift = RecurringGift.objects.get()
    assert gift.status == "canceled"
    assert gift.ended_at is not None
    assert not gift.is_active


def test_a_bank_debit_counts_once_it_clears(deliver, meta):
    pending = se.checkout_session(meta=meta, payment_status="unpaid")
    deliver(se.event("checkout.session.completed", pending, created=se.T0))
    assert Donation.objects.get().status == "pending"
    assert not mail.outbox

    cleared = se.checkout_session(meta=meta, payment_status="paid")
    deliver(se.event("checkout.session.async_payment_succeeded", cleared, created=se.T0 + 86400))

    donation = Donation.objects.get()
    assert donation.status == "succeeded"
    assert len(mail.outbox) == 1


def test_a_bank_debit_that_fails_is_no_donation(deliver, meta, ring):
    deliver(
        se.event(
            "checkout.session.async_payment_failed",
            se.checkout_session(meta=meta, payment_status="unpaid"),
            created=se.T0 + 9,
        )
    )
    deliver(
        se.event("checkout.session.completed", se.checkout_session(meta=meta, payment_status="unpaid"), created=se.T0)
    )

    assert Donation.objects.get().status == "failed"
    assert totals.campaign_totals(ring)["totals"] == []
    assert not mail.outbox


@pytest.mark.parametrize(
    ("statuses", "withheld"),
    [
        (["needs_response"], 2500),
        (["needs_response", "won"], 0),
        (["won", "needs_response"], 0),  # the close arrived first
        (["lost", "needs_response"], 2500),
        (["warning_needs_response"], 0),  # an inquiry holds no money back
    ],
)
def test_disputes_hold_back_the_money_until_won(deliver, meta, statuses, withheld):
    deliver(se.event("checkout.session.completed", se.checkout_session(meta=meta), created=se.T0))
    for number, status in enumerate(statuses):
        kind = "charge.dispute.closed" if status in ("won", "lost") else "charge.dispute.created"
        deliver(se.event(kind, se.dispute(status=status), created=se.T0 + 100 + number))

    donation = Donation.objects.get()
    assert donation.amount_disputed == withheld
    assert donation.net_amount == 2500 - withheld


def test_stripe_unreachable_during_a_lookup_means_a_retry_later(deliver, meta, fake_stripe, settings):
    fake_stripe.failure = (400, "invalid_request_error")
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens: a connection error
    deliver(se.event("checkout.session.completed", se.checkout_session(meta=meta, **MONTHLY), created=se.T0))
    deliver(se.event("invoice.paid", se.invoice(meta=meta), created=se.T0 + 1))

    deliver(se.event("charge.refunded", se.charge(refunded=2500), created=se.T0 + 50))

    stored = StripeEvent.objects.get(type="charge.refunded")
    assert stored.status == StripeEvent.Status.RETRY
    assert stored.next_attempt_at is not None
    assert stored.next_attempt_at > timezone.now()
    assert Donation.objects.get().amount_refunded == 0

    fake_stripe.failure = None
    fake_stripe.invoice_payments["pi_test_1"] = "in_test_1"
    settings.STRIPE_API_BASE = fake_stripe.url
    later = stored.next_attempt_at + dt.timedelta(seconds=1)
    assert processing.sweep(later) == [stored.pk]
    StripeEvent.objects.filter(pk=stored.pk).update(next_attempt_at=timezone.now())
    processing.process_event(stored.pk)

    stored.refresh_from_db()
    assert stored.status == StripeEvent.Status.PROCESSED
    assert Donation.objects.get().amount_refunded == 2500


def test_a_claimed_event_is_handled_once_however_often_the_task_runs(deliver, meta):
    deliver(se.event("checkout.session.completed", se.checkout_session(meta=meta), created=se.T0))
    stored = StripeEvent.objects.get()

    processing.process_event(stored.pk)
    processing.process_event(stored.pk)

    assert Donation.objects.count() == 1
    assert len(mail.outbox) == 1
