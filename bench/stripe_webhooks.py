"""How fast Stripe's webhook takes events, and that replays change nothing.

Run from the project root:

    DJANGO_SETTINGS_MODULE=backend.settings_test .venv/bin/python -m bench.stripe_webhooks [--events N]

In a throwaway database (bench_townhall_<pid>), tasks in-process (as in laptop mode, so each
request also handles its event and writes the receipt to the outbox): N signed
checkout.session.completed events for N one-time donations are posted through the WSGI
application, then all N again (Stripe's replays). Prints requests/s and p50/p99 of each pass, and
the rows left; exits 1 unless there are exactly N donations and N receipts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import django


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=2000)
    count = parser.parse_args().events
    django.setup()
    from bench.mail_rig import bench_database

    with bench_database():
        return _run(count)


def _run(count: int) -> int:
    from django.conf import settings
    from django.test import Client

    from campaigns.models import Campaign
    from donations.models import Donation, StripeEvent
    from emails.models import OutboundMessage
    from tests.donations import stripe_events as se

    settings.STRIPE_SECRET_KEY = "sk_test_bench"  # noqa: S105 (a test key, talking to no one)
    settings.STRIPE_WEBHOOK_SECRET = se.WEBHOOK_SECRET
    campaign = Campaign.objects.create(slug="ring", title="End Ring partnerships", is_public=True)
    meta = se.metadata(campaign=campaign.pk)
    bodies = [
        se.dump(
            se.event(
                "checkout.session.completed",
                se.checkout_session(meta=meta, session_id=f"cs_b{n}", payment_intent=f"pi_b{n}"),
                created=se.T0 + n,
            )
        )
        for n in range(count)
    ]
    client = Client()
    for label in ("first delivery", "replays"):
        seconds = _post_all(client, bodies)
        total = sum(seconds)
        print(
            f"{label}: {count} events in {total:.1f} s, {count / total:.0f}/s, "
            f"p50 {statistics.median(seconds) * 1000:.1f} ms, p99 {_p99(seconds) * 1000:.1f} ms"
        )
    donations = Donation.objects.count()
    receipts = OutboundMessage.objects.filter(kind="donations.receipt").count()
    events = StripeEvent.objects.filter(status=StripeEvent.Status.PROCESSED).count()
    print(f"rows: {donations} donations, {receipts} receipts, {events} processed events (expected {count} each)")
    return 0 if donations == receipts == events == count else 1


def _post_all(client: object, bodies: list[str]) -> list[float]:
    from tests.donations import stripe_events as se

    seconds = []
    for body in bodies:
        header = se.signature_header(body)
        started = time.perf_counter()
        response = client.post(  # type: ignore[attr-defined]
            "/donations/stripe/webhook/", data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
        )
        seconds.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"answered {response.status_code}: {response.content[:200]!r}")
    return seconds


def _p99(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.99) - 1)]


if __name__ == "__main__":
    sys.exit(main())
