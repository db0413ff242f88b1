"""Organizers' view of the money: totals per campaign and per day, settings, the owners' export, the public total."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client

from accounts.models import AuditEvent
from campaigns.models import Membership, Role
from donations.models import Donation, DonationSettings, RecurringGift
from tests.conftest import sign_in_with_two_factors

BASE = "/api/v1/organizer/campaigns/ring/donations"
UTC = dt.UTC


def donation(ring, *, kind="one_time", amount=2500, paid_at, refunded=0, number=1, name="Dana Scully", **extra):
    ids = {"stripe_payment_intent_id": f"pi_{number}"} if kind == "one_time" else {"stripe_invoice_id": f"in_{number}"}
    return Donation.objects.create(
        campaign=ring,
        kind=kind,
        status="succeeded",
        amount=amount,
        currency="usd",
        amount_refunded=refunded,
        paid_at=paid_at,
        donor_name=name,
        donor_email="dana@example.org",
        **ids,
        **extra,
    )


@pytest.fixture
def member(ring, user_factory):
    def signed_in(role: Role) -> Client:
        user = user_factory(f"{role}@example.org")
        Membership.objects.create(user=user, campaign=ring, role=role)
        return sign_in_with_two_factors(Client(), user)

    return signed_in


def test_totals_count_days_in_the_campaigns_time_zone_and_split_monthly_from_one_time(member, ring):
    # 01:30 UTC on the 2nd is still the 1st in New York.
    donation(ring, paid_at=dt.datetime(2026, 10, 2, 1, 30, tzinfo=UTC), number=1)
    donation(ring, paid_at=dt.datetime(2026, 10, 2, 14, 0, tzinfo=UTC), number=2, refunded=500)
    donation(ring, kind="monthly", amount=1000, paid_at=dt.datetime(2026, 10, 2, 15, 0, tzinfo=UTC), number=3)
    Donation.objects.create(
        campaign=ring, kind="one_time", status="failed", amount=9999, currency="usd", stripe_payment_intent_id="pi_x"
    )
    RecurringGift.objects.create(campaign=ring, stripe_subscription_id="sub_1", amount=1000, currency="usd")

    body = member(Role.VIEWER).get(f"{BASE}/totals/").json()

    assert body["time_zone"] == "America/New_York"
    assert [(t["kind"], t["count"], t["gross"], t["refunded"], t["net"]) for t in body["totals"]] == [
        ("monthly", 1, 1000, 0, 1000),
        ("one_time", 2, 5000, 500, 4500),
    ]
    assert [(d["day"], d["kind"], d["net"]) for d in body["days"]] == [
        ("2026-10-01", "one_time", 2500),
        ("2026-10-02", "monthly", 1000),
        ("2026-10-02", "one_time", 2000),
    ]
    assert body["monthly_gifts"]["active"] == 1

    one_day = member(Role.EDITOR).get(f"{BASE}/totals/?start=2026-10-02&end=2026-10-02").json()
    assert [(t["kind"], t["count"]) for t in one_day["totals"]] == [("monthly", 1), ("one_time", 1)]


def test_totals_refuse_a_backwards_window(member, ring):
    response = member(Role.VIEWER).get(f"{BASE}/totals/?start=2026-10-02&end=2026-10-01")

    assert response.status_code == 400
    assert "end" in response.json()["fields"]


def test_owners_export_donations_as_csv_and_the_export_is_audited(member, ring):
    donation(ring, paid_at=dt.datetime(2026, 10, 2, 1, 30, tzinfo=UTC), name="=HYPERLINK(evil)")
    owner = member(Role.OWNER)

    response = owner.get(f"{BASE}/export/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    [row] = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert row["paid_at"] == "2026-10-01T21:30:00-04:00"
    assert (row["amount"], row["net"], row["donor_email"]) == ("2500", "2500", "dana@example.org")
    assert row["donor_name"] == "'=HYPERLINK(evil)"  # never a live formula in a spreadsheet
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT_PERSONAL_DATA)
    assert (event.row_count, event.campaign_id) == (1, ring.pk)


def test_only_owners_export(member, ring):
    assert member(Role.EDITOR).get(f"{BASE}/export/").status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT_PERSONAL_DATA).exists()


def test_owners_change_the_settings_and_the_change_is_audited(member, ring):
    owner = member(Role.OWNER)

    response = owner.patch(
        f"{BASE}/settings/",
        data={"preset_amounts": [500, 1500], "minimum_amount": 500, "public_summary": True, "tax_deductible": True},
        content_type="application/json",
    )

    assert response.status_code == 200
    rules = DonationSettings.objects.get(campaign=ring)
    assert (rules.preset_amounts, rules.minimum_amount, rules.public_summary) == ([500, 1500], 500, True)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE, campaign_id=ring.pk).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"minimum_amount": 5000, "maximum_amount": 1000}, "maximum_amount"),
        ({"preset_amounts": []}, "preset_amounts"),
        ({"preset_amounts": [10]}, "preset_amounts"),  # under the minimum
        ({"currency": "US dollars"}, "currency"),
        ({"minimum_amount": 10}, "minimum_amount"),
    ],
)
def test_bad_settings_are_refused_with_field_messages(member, ring, body, field):
    response = member(Role.OWNER).patch(f"{BASE}/settings/", data=body, content_type="application/json")

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not DonationSettings.objects.exists()


def test_editors_read_the_settings_but_do_not_change_them(member, ring):
    editor = member(Role.EDITOR)

    assert editor.get(f"{BASE}/settings/").json()["preset_amounts"] == [1000, 2500, 5000, 10000]
    assert (
        editor.patch(f"{BASE}/settings/", data={"enabled": False}, content_type="application/json").status_code == 403
    )


def test_the_public_total_shows_only_when_organizers_enable_it(ring):
    donation(ring, paid_at=dt.datetime(2026, 10, 2, tzinfo=UTC), refunded=500)
    url = "/api/v1/campaigns/ring/donations/summary/"

    assert Client().get(url).status_code == 404

    DonationSettings.objects.create(campaign=ring, preset_amounts=[2500], public_summary=True)
    body = Client().get(url).json()

    assert body == {"currency": "usd", "raised": 2000, "donations": 1, "monthly_donors": 0}
    assert "dana" not in str(body).lower()
