"""The operator sees Stripe events that were stored but not handled, on /metrics."""

from __future__ import annotations

from health import metrics
from tests.donations import stripe_events as se


def test_unhandled_stripe_events_show_on_the_metrics(deliver, meta):
    deliver(se.event("checkout.session.completed", se.checkout_session(meta=meta), created=se.T0))
    assert "townhall_stripe_events_unprocessed 0.0" in metrics.render().decode()

    deliver({**se.event("invoice.paid", se.invoice(meta=meta), created=se.T0), "api_version": "2020-08-27"})

    assert "townhall_stripe_events_unprocessed 1.0" in metrics.render().decode()
