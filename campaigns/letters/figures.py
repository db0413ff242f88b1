"""What other apps read about letters: counts per place and the writers who want updates.

Briefings call letter_counts() for a place's figures; mailings call update_recipients() for whom
to write. Both count only what public figures count: confirmed letters an organizer did not hold
or reject.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate

from campaigns.models import Campaign, Letter, LetterDelivery, Official, Place, Review
from emails.models import Status
from supporters.models import Supporter

BOUNCED_EVENTS = ("bounced", "complained")


def letter_counts(campaign: Campaign, place: Place | None = None) -> dict[str, int]:
    """received (written, any state), confirmed (counted), delivered and bounced (officials' copies)."""
    letters = Letter.objects.filter(letter_campaign__campaign=campaign)
    deliveries = LetterDelivery.objects.filter(letter__letter_campaign__campaign=campaign)
    if place is not None:
        letters, deliveries = letters.filter(place=place), deliveries.filter(letter__place=place)
    received = letters.aggregate(
        received=Count("pk"), confirmed=Count("pk", filter=Q(confirmed_at__isnull=False, review=Review.ACCEPTED))
    )
    return {**received, **_delivery_counts(deliveries)}


def counted_letters(campaign: Campaign, place: Place) -> int:
    """The public figure: confirmed, accepted letters from the place."""
    return Letter.objects.counted().filter(letter_campaign__campaign=campaign, place=place).count()


def update_recipients(campaign: Campaign, place: Place | None = None) -> QuerySet[Supporter]:
    """Supporters who confirmed a counted letter of the campaign (from the place) and asked for updates."""
    letters = Letter.objects.counted().filter(letter_campaign__campaign=campaign, email_updates=True)
    if place is not None:
        letters = letters.filter(place=place)
    return Supporter.objects.filter(pk__in=letters.values("supporter_id"), erased_at__isnull=True).exclude(
        email__isnull=True
    )


def per_official(campaign: Campaign) -> list[dict[str, Any]]:
    """Each official written to: totals and per day (the campaign's time zone)."""
    deliveries = LetterDelivery.objects.filter(letter__letter_campaign__campaign=campaign)
    officials = {o.pk: o for o in Official.objects.filter(pk__in=deliveries.values("official_id"))}
    rows = []
    for official_id, official in sorted(officials.items(), key=lambda item: (item[1].place_id, item[1].name)):
        mine = deliveries.filter(official_id=official_id)
        rows.append(
            {
                "official": official,
                "received": mine.count(),
                **_delivery_counts(mine),
                "by_day": _by_day(mine, campaign),
            }
        )
    return rows


def per_place(campaign: Campaign) -> list[dict[str, Any]]:
    """Each place letters came from: totals and per day (the campaign's time zone)."""
    letters = Letter.objects.filter(letter_campaign__campaign=campaign)
    places = Place.objects.filter(pk__in=letters.values("place_id")).order_by("state", "name")
    rows = []
    for place in places:
        deliveries = LetterDelivery.objects.filter(letter__letter_campaign__campaign=campaign, letter__place=place)
        counts = letter_counts(campaign, place)
        # Kept and reported: confirmed letters that found no official in office.
        unaddressed = letters.filter(place=place, no_official_at__isnull=False, planned_at__isnull=True).count()
        rows.append({"place": place, **counts, "no_official": unaddressed, "by_day": _by_day(deliveries, campaign)})
    return rows


def _delivery_counts(deliveries: QuerySet[LetterDelivery]) -> dict[str, int]:
    bounced = _bounced(deliveries)
    delivered = deliveries.filter(message__status=Status.SENT).exclude(pk__in=bounced.values("pk"))
    return {"delivered": delivered.count(), "bounced": bounced.count()}


def _bounced(deliveries: QuerySet[LetterDelivery]) -> QuerySet[LetterDelivery]:
    """Refused for good by the mail server, or reported back as bounced by the provider."""
    return deliveries.filter(
        Q(message__status=Status.FAILED) | Q(message__events__status__in=BOUNCED_EVENTS)
    ).distinct()


def _by_day(deliveries: QuerySet[LetterDelivery], campaign: Campaign) -> list[dict[str, Any]]:
    zone = _zone(campaign)
    received = _count_by_day(deliveries, "created_at", zone)
    delivered = _count_by_day(
        deliveries.filter(message__status=Status.SENT).exclude(pk__in=_bounced(deliveries).values("pk")),
        "message__sent_at",
        zone,
    )
    bounced = _count_by_day(_bounced(deliveries), "created_at", zone)
    days = sorted({*received, *delivered, *bounced})
    return [
        {
            "day": day,
            "received": received.get(day, 0),
            "delivered": delivered.get(day, 0),
            "bounced": bounced.get(day, 0),
        }
        for day in days
    ]


def _count_by_day(deliveries: QuerySet[LetterDelivery], field: str, zone: dt.tzinfo) -> dict[dt.date, int]:
    rows: Iterable[dict[str, Any]] = (
        deliveries.order_by()
        .annotate(day=TruncDate(field, tzinfo=zone))
        .values("day")
        .annotate(n=Count("pk", distinct=True))
    )
    return {row["day"]: row["n"] for row in rows if row["day"] is not None}


def _zone(campaign: Campaign) -> dt.tzinfo:
    import zoneinfo

    return zoneinfo.ZoneInfo(campaign.time_zone)
