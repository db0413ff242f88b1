"""Owners' CSV export of a campaign's donations: streamed, and recorded in the audit trail."""

from __future__ import annotations

import csv
import zoneinfo
from collections.abc import Iterator
from typing import Any

from accounts.audit import record_personal_data_read
from accounts.models import User
from campaigns.models import Campaign
from donations.models import Donation

COLUMNS = (
    "paid_at",
    "kind",
    "status",
    "currency",
    "amount",
    "refunded",
    "disputed",
    "net",
    "dispute_status",
    "donor_name",
    "donor_email",
    "stripe_payment_intent",
    "stripe_invoice",
    "stripe_customer",
)
# A cell starting with one of these runs as a formula in spreadsheets: a donor could name themselves "=HYPERLINK(…)".
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_rows(*, campaign: Campaign, actor: User, via: str) -> Iterator[str]:
    """CSV lines of every donation of the campaign, oldest first; audited now, before a line is sent."""
    donations = Donation.objects.filter(campaign=campaign).order_by("created_at", "pk")
    record_personal_data_read(
        actor=actor,
        via=via,
        model=Donation,
        campaign_id=campaign.pk,
        filters={},
        row_count=donations.count(),
        export=True,
    )
    return _lines(donations, zoneinfo.ZoneInfo(campaign.time_zone))


def _lines(donations: Any, zone: zoneinfo.ZoneInfo) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for donation in donations.iterator(chunk_size=500):
        yield writer.writerow([_safe(value) for value in _row(donation, zone)])


def _row(donation: Donation, zone: zoneinfo.ZoneInfo) -> list[Any]:
    return [
        donation.paid_at.astimezone(zone).isoformat() if donation.paid_at else "",
        donation.kind,
        donation.status,
        donation.currency,
        donation.amount,
        donation.amount_refunded,
        donation.amount_disputed,
        donation.net_amount,
        donation.dispute_status,
        donation.donor_name or "",
        donation.donor_email or "",
        donation.stripe_payment_intent_id or "",
        donation.stripe_invoice_id or "",
        donation.stripe_customer_id,
    ]


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
