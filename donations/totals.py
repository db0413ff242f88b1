"""What organizers see: money raised per campaign and per day (in the campaign's zone), monthly vs one-time."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, Greatest, TruncDate

from campaigns.models import Campaign
from donations.models import Donation, RecurringGift

# What a donation raised: its amount less refunds and disputes, never below zero.
NET_RAISED = Coalesce(Sum(Greatest(F("amount") - F("amount_refunded") - F("amount_disputed"), 0)), 0)
_SUMS = {
    "count": Count("pk"),
    "gross": Coalesce(Sum("amount"), 0),
    "refunded": Coalesce(Sum("amount_refunded"), 0),
    "disputed": Coalesce(Sum("amount_disputed"), 0),
    "net": NET_RAISED,
}


def campaign_totals(campaign: Campaign, *, first: dt.date | None = None, last: dt.date | None = None) -> dict[str, Any]:
    zone = zoneinfo.ZoneInfo(campaign.time_zone)
    donations = _paid(campaign, zone, first, last)
    totals = donations.values("currency", "kind").annotate(**_SUMS).order_by("currency", "kind")
    days = (
        donations.annotate(day=TruncDate("paid_at", tzinfo=zone))
        .values("day", "currency", "kind")
        .annotate(**_SUMS)
        .order_by("day", "currency", "kind")
    )
    gifts = RecurringGift.objects.filter(campaign=campaign)
    return {
        "time_zone": campaign.time_zone,
        "totals": list(totals),
        "days": list(days),
        "monthly_gifts": {
            "active": gifts.filter(ended_at=None, status__in=("active", "trialing")).count(),
            "past_due": gifts.filter(ended_at=None, status__in=("past_due", "unpaid")).count(),
            "ending": gifts.filter(ended_at=None, cancel_at_period_end=True).count(),
            "ended": gifts.exclude(ended_at=None).count(),
        },
    }


def public_summary(campaign: Campaign, currency: str) -> dict[str, Any]:
    sums = Donation.objects.succeeded().filter(campaign=campaign, currency=currency).aggregate(**_SUMS)
    donors = RecurringGift.objects.filter(campaign=campaign, ended_at=None, status__in=("active", "past_due"))
    return {"currency": currency, "raised": sums["net"], "donations": sums["count"], "monthly_donors": donors.count()}


def _paid(campaign: Campaign, zone: dt.tzinfo, first: dt.date | None, last: dt.date | None) -> Any:
    donations = Donation.objects.succeeded().filter(campaign=campaign, paid_at__isnull=False)
    window = Q()
    if first is not None:
        window &= Q(paid_at__gte=dt.datetime.combine(first, dt.time.min, tzinfo=zone))
    if last is not None:
        window &= Q(paid_at__lt=dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone))
    return donations.filter(window)
