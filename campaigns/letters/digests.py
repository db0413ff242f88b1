"""Daily digests: each official's letters of one day (the campaign's time zone) in as few messages as fit.

Deliveries routed to a digest wait with `digest_day` set and no message. Once that day is over
in the campaign's time zone, send_due_digests() (beat, hourly) writes the day's letters for each
official into messages of at most DIGEST_MAX_LETTERS letters and DIGEST_MAX_CHARACTERS of text
(mail clients clip long messages; the outbox refuses HTML over 100 KB). Each message's key names
the official, the day and its first delivery, so a sweep run twice writes nothing twice, and a
delivery that arrives late for a day already sent goes in a message of its own.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from campaigns.letters.delivery import letter_context, place_headers, sender
from campaigns.letters.positions import position_url
from campaigns.mail_kinds import LETTER_DIGEST_MAIL
from campaigns.models import Campaign, LetterDelivery, Official
from emails.outbox import send

DIGEST_MAX_LETTERS = 50
DIGEST_MAX_CHARACTERS = 60_000


def waiting() -> Any:
    return LetterDelivery.objects.filter(
        message__isnull=True, route=LetterDelivery.Route.DIGEST, digest_day__isnull=False
    )


def send_due_digests(now: dt.datetime | None = None) -> int:
    """Writes every digest whose day is over; returns how many messages it wrote."""
    now = now or timezone.now()
    groups = (
        waiting().values_list("official_id", "digest_day", "letter__letter_campaign__campaign__time_zone").distinct()
    )
    written = 0
    for official_id, day, zone in sorted(set(groups)):
        today = timezone.localtime(now, zoneinfo.ZoneInfo(zone)).date()
        # Never after they leave office: their letters stay counted, and undelivered.
        if day < today and Official.objects.current(today).filter(pk=official_id).exists():
            written += send_digest(official_id=official_id, day=day)
    return written


@transaction.atomic
def send_digest(*, official_id: int, day: dt.date) -> int:
    official = Official.objects.select_related("campaign", "place").get(pk=official_id)
    # Locked: two sweeps at once must not both write the same letters.
    deliveries = list(
        waiting()
        .select_for_update(of=("self",))
        .filter(official=official, digest_day=day, letter__supporter__erased_at__isnull=True)
        .select_related("letter__letter_campaign__campaign", "letter__place", "letter__supporter")
        .order_by("pk")
    )
    written = 0
    for chunk in _chunks(deliveries):
        _write(official, day, chunk)
        written += 1
    return written


def _write(official: Official, day: dt.date, chunk: list[LetterDelivery]) -> None:
    campaign: Campaign = official.campaign
    letters = [letter_context(delivery.letter, official) for delivery in chunk]
    message = send(
        LETTER_DIGEST_MAIL,
        to=official.email,
        context={
            "official_name": official.name,
            "day": day,
            "letters": letters,
            "count": len(letters),
            "campaign_title": campaign.title,
            "position_link": position_url(official, campaign),
        },
        language=settings.LANGUAGE_CODE,
        key=f"campaigns.letter_digest:{official.pk}:{day.isoformat()}:{chunk[0].pk}",
        from_email=sender(campaign),
        headers=place_headers(official.place),
    )
    now = timezone.now()
    LetterDelivery.objects.filter(pk__in=[delivery.pk for delivery in chunk]).update(message=message, handed_at=now)


def _chunks(deliveries: list[LetterDelivery]) -> Iterator[list[LetterDelivery]]:
    chunk: list[LetterDelivery] = []
    size = 0
    for delivery in deliveries:
        length = len(delivery.letter.body)
        if chunk and (len(chunk) >= DIGEST_MAX_LETTERS or size + length > DIGEST_MAX_CHARACTERS):
            yield chunk
            chunk, size = [], 0
        chunk.append(delivery)
        size += length
    if chunk:
        yield chunk
