"""The dashboard's figures: what was counted each day of a window, and per referrer code.

Every figure counts what the public figures count: confirmed signatures and letters an organizer
did not hold or reject, and succeeded donations net of refunds and disputes. Days are the
campaign's own (its time zone), as in the daily digests and the donation totals. Each series is one
GROUP BY query, whatever the number of rows or days.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from campaigns.models import Campaign, Letter, Signature
from donations.models import Donation, DonationSettings
from donations.totals import NET_RAISED

WINDOWS = (7, 30, 90)
DEFAULT_WINDOW = 30


@dataclass(frozen=True)
class Window:
    """The last `days` days of the campaign's calendar, today included."""

    first: dt.date
    last: dt.date
    zone: zoneinfo.ZoneInfo

    @property
    def days(self) -> list[dt.date]:
        count = (self.last - self.first).days + 1
        return [self.first + dt.timedelta(days=n) for n in range(count)]

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time.min, tzinfo=self.zone)


@dataclass(frozen=True)
class Series:
    """One figure per day of a window, zeros included."""

    days: list[dt.date]
    values: list[int]

    @property
    def total(self) -> int:
        return sum(self.values)


def window_of(campaign: Campaign, days: int) -> Window:
    zone = zoneinfo.ZoneInfo(campaign.time_zone)
    today = timezone.now().astimezone(zone).date()
    return Window(first=today - dt.timedelta(days=days - 1), last=today, zone=zone)


def signatures_by_day(campaign: Campaign, window: Window) -> Series:
    # Filtered on petition and confirmed_at: the signature_recent_confirmed index.
    counted = Signature.objects.counted().filter(petition__campaign=campaign, confirmed_at__gte=window.starts_at)
    return _series(window, _count_by_day(counted, window.zone))


def letters_by_day(campaign: Campaign, window: Window) -> Series:
    counted = Letter.objects.counted().filter(letter_campaign__campaign=campaign, confirmed_at__gte=window.starts_at)
    return _series(window, _count_by_day(counted, window.zone))


def donation_currency(campaign: Campaign) -> str:
    return DonationSettings.for_campaign(campaign).currency


def donations_by_day(campaign: Campaign, window: Window, currency: str) -> Series:
    """Money raised per day in minor units (cents), in the campaign's currency, net of refunds and disputes."""
    paid = Donation.objects.succeeded().filter(campaign=campaign, currency=currency, paid_at__gte=window.starts_at)
    rows = paid.annotate(day=TruncDate("paid_at", tzinfo=window.zone)).values("day").annotate(net=NET_RAISED).order_by()
    return _series(window, {row["day"]: int(row["net"] or 0) for row in rows})


@dataclass(frozen=True)
class ReferrerRow:
    code: str  # empty: came without a referrer code
    signatures: int
    letters: int


def referrers(campaign: Campaign, window: Window) -> list[ReferrerRow]:
    """Counted signatures and letters of the window per referrer code, most first."""
    signed = Signature.objects.counted().filter(petition__campaign=campaign, confirmed_at__gte=window.starts_at)
    written = Letter.objects.counted().filter(letter_campaign__campaign=campaign, confirmed_at__gte=window.starts_at)
    signatures, letters = _count_by_referrer(signed), _count_by_referrer(written)
    codes = sorted(signatures.keys() | letters.keys(), key=lambda code: (-(signatures[code] + letters[code]), code))
    return [ReferrerRow(code, signatures[code], letters[code]) for code in codes]


def _count_by_day(rows: QuerySet[Signature] | QuerySet[Letter], zone: dt.tzinfo) -> dict[dt.date, int]:
    days = rows.annotate(day=TruncDate("confirmed_at", tzinfo=zone)).values("day").annotate(n=Count("pk")).order_by()
    return {row["day"]: row["n"] for row in days}


def _count_by_referrer(rows: QuerySet[Signature] | QuerySet[Letter]) -> Counter[str]:
    return Counter(dict(rows.values_list("referrer").annotate(n=Count("pk")).order_by()))


def _series(window: Window, by_day: Mapping[dt.date, int]) -> Series:
    days = window.days
    return Series(days=days, values=[by_day.get(day, 0) for day in days])
