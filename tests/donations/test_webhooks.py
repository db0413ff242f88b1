"""Stripe's webhook: verified for real by the stripe library, stored once, answered at once, never a 500."""

from __future__ import annotations

import json
import logging
import time
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from accounts.models import AuditEvent
from donations.models import Donation, StripeEvent
from tests.donations import stripe_events as se
from tests.donations.conftest import WEBHOOK


def paid_once(meta, **changes):
    return se.event("checkout.session.completed", se.checkout_session(meta=meta, **changes), created=se.T0)


def test_it_records_a_verified_one_time_donation_and_sends_a_receipt(deliver, meta, ring):
    response = deliver(paid_once(meta))

    assert response.status_code == 200
    donation = Donation.objects.get()
    assert (donation.kind, donation.status, donation.amount, donation.currency) == (
        "one_time",
        "succeeded",
        2500,
        "usd",
    )
    assert donation.stripe_payment_intent_id == "pi_test_1"
    assert donation.campaign == ring
    assert donation.donor_email == "dana@example.org"
    stored = StripeEvent.objects.get()
    assert stored.status == StripeEvent.Status.PROCESSED
    assert stored.payload is None  # the donor's details do not linger in the raw event
    [receipt] = mail.outbox
    assert receipt.to == ["dana@example.org"]
    assert "25.00 USD" in receipt.body


def test_it_changes_nothing_when_stripe_replays_an_event(deliver, meta):
    event = paid_once(meta)

    first, again = deliver(event), deliver(event)

    assert first.status_code == again.status_code == 200
    assert (first.json()["duplicate"], again.json()["duplicate"]) == (False, True)
    assert StripeEvent.objects.count() == 1
    assert Donation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_it_refuses_a_wrong_signature(deliver, meta):
    body = se.dump(paid_once(meta))

    response = deliver(body, signature=se.signature_header(body, secret="whsec_someone_else"))

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_it_refuses_a_signature_of_another_body(deliver, meta):
    signed = se.signature_header(se.dump(paid_once(meta)))

    response = deliver(paid_once(meta, amount=1), signature=signed)

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_it_refuses_a_stale_timestamp(deliver, meta):
    body = se.dump(paid_once(meta))
    replayed_later = se.signature_header(body, timestamp=int(time.time()) - 301)

    response = deliver(body, signature=replayed_later)

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_it_accepts_a_timestamp_within_the_tolerance(deliver, meta):
    body = se.dump(paid_once(meta))

    response = deliver(body, signature=se.signature_header(body, timestamp=int(time.time()) - 200))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        "",
        "not json",
        "[1, 2, 3]",
        '"just a string"',
        "{}",
        '{"id": 5, "type": "charge.refunded", "created": 1}',
        '{"id": "evt_1", "type": "charge.refunded", "created": "yesterday", "data": {"object": {}}}',
        '{"id": "evt_1", "type": "charge.refunded", "created": 1790000000, "data": []}',
        '{"id": "evt_1", "type": "charge.refunded", "created": 1790000000, "data": {"object": null}}',
        "\udcff".encode("utf-8", "surrogatepass").decode("latin-1"),
        '{"id": "evt_\\u0000", "type": "charge.refunded", "created": 1790000000, "data": {"object": {}}}',
        '{"id": "evt_1", "type": "charge.refunded", "api_version": "x\\u0000", "created": 1, "data": {"object": {}}}',
        "[" * 100_000 + "]" * 100_000,
    ],
)
def test_it_answers_400_never_500_to_signed_garbage(deliver, body):
    response = deliver(body)

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_it_answers_400_to_a_missing_signature(stripe_keys, meta):
    response = Client().post(WEBHOOK, data=se.dump(paid_once(meta)), content_type="application/json")

    assert response.status_code == 400


def test_it_stores_an_unknown_type_and_answers_200(deliver):
    response = deliver(se.event("customer.created", {"id": "cus_1", "object": "customer"}, created=se.T0))

    assert response.status_code == 200
    stored = StripeEvent.objects.get()
    assert stored.status == StripeEvent.Status.IGNORED
    assert stored.payload is None


def test_it_stores_another_api_version_as_unsupported_and_alerts_the_operator(deliver, meta, caplog):
    event = {**paid_once(meta), "api_version": "2024-06-20"}

    with caplog.at_level(logging.ERROR, logger="donations.receiving"):
        response = deliver(event)

    assert response.status_code == 200  # Stripe must not retry it for days
    stored = StripeEvent.objects.get()
    assert stored.status == StripeEvent.Status.UNSUPPORTED
    assert stored.data()["id"] == event["id"]  # kept for the operator, encrypted
    assert not Donation.objects.exists()
    assert any("2024-06-20" in record.getMessage() for record in caplog.records if record.levelno == logging.ERROR)
    alert = AuditEvent.objects.get(action=AuditEvent.Action.SECURITY)
    assert alert.details["event"] == "stripe_event_unsupported_api_version"
    assert alert.details["api_version"] == "2024-06-20"


def test_it_records_a_malformed_handled_event_as_failed_and_still_answers_200(deliver, meta, caplog):
    session = se.checkout_session(meta=meta)
    del session["payment_intent"]

    with caplog.at_level(logging.ERROR, logger="donations.processing"):
        response = deliver(se.event("checkout.session.completed", session, created=se.T0))

    assert response.status_code == 200
    stored = StripeEvent.objects.get()
    assert stored.status == StripeEvent.Status.FAILED
    assert "payment_intent" in stored.handler_error["error"]
    assert not Donation.objects.exists()


def test_it_answers_503_without_a_webhook_secret(settings, meta, db):
    settings.STRIPE_WEBHOOK_SECRET = ""
    body = se.dump(paid_once(meta))

    response = Client().post(WEBHOOK, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=x")

    assert response.status_code == 503
    assert response.json()["detail"] == "Donations are not configured."


def test_it_takes_only_posts(stripe_keys, db):
    assert Client().get(WEBHOOK).status_code == 405


def test_it_slows_down_an_address_that_keeps_posting_forgeries(deliver, settings, meta):
    settings.STRIPE_WEBHOOK_FAILURES_PER_MINUTE = 3
    body = se.dump(paid_once(meta))
    forged = se.signature_header(body, secret="whsec_guess")

    answers = [deliver(body, signature=forged).status_code for _ in range(4)]
    genuine = deliver(body)

    assert answers == [400, 400, 400, 429]
    assert genuine.status_code == 429  # the same address, until the minute is over


def test_it_needs_no_csrf_token(stripe_keys, meta, django_capture_on_commit_callbacks):
    body = se.dump(paid_once(meta))
    client = Client(enforce_csrf_checks=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            WEBHOOK, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=se.signature_header(body)
        )

    assert response.status_code == 200


def test_an_unsupported_event_resent_in_our_version_is_handled(deliver, meta):
    event = paid_once(meta)
    deliver({**event, "api_version": "2024-06-20"})

    response = deliver(event)  # the operator fixed the endpoint's version and pressed "Resend"

    assert response.status_code == 200
    assert StripeEvent.objects.get().status == StripeEvent.Status.PROCESSED
    assert Donation.objects.count() == 1
    assert deliver(event).json()["duplicate"] is True


def test_the_operator_requeues_a_failed_event_once_its_cause_is_fixed(
    deliver, meta, ring, django_capture_on_commit_callbacks
):
    broken = se.checkout_session(meta=meta)
    broken["amount_total"] = "lots"
    stored = deliver(se.event("checkout.session.completed", broken, created=se.T0)).json()
    assert StripeEvent.objects.get().status == StripeEvent.Status.FAILED

    # Say a fixed handler now reads the payload; simulated by correcting the stored payload.
    row = StripeEvent.objects.get()
    payload = row.data()
    payload["data"]["object"]["amount_total"] = 2500
    StripeEvent.objects.filter(pk=row.pk).update(payload=json.dumps(payload))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reprocess_stripe_events", stored["received"], stdout=out)

    assert "1 event(s) queued again." in out.getvalue()
    assert StripeEvent.objects.get().status == StripeEvent.Status.PROCESSED
    assert Donation.objects.get().amount == 2500
