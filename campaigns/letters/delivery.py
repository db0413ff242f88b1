"""Delivering a confirmed letter: one delivery per current official, each through the outbox once.

plan_deliveries() runs in a task after the letter is confirmed (or approved once confirmed):
1. the letter is locked and planned at most once (`planned_at`); a task run twice finds it planned;
2. its officials are those in office today for the letter's place: active, within their term, of
   the drive's target offices (the mayor too when the drive says so), with an address;
3. each gets one LetterDelivery (unique per letter and official) and, when it goes out on its
   own, one outbox message keyed `campaigns.letter:<letter>:<official>` in the same transaction;
4. it goes to the official's daily digest instead when the drive sends digests, the official asked
   for digests only, or the official already got `hourly_cap_per_official` letters in the last hour.

A letter for which no official is in office is kept, marked `no_official_at` and counted for
organizers; nothing is sent.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from campaigns.letters import placeholders
from campaigns.letters.positions import position_url
from campaigns.mail_kinds import LETTER_MAIL
from campaigns.models import (
    Campaign,
    DeliveryMode,
    Letter,
    LetterCampaign,
    LetterDelivery,
    LettersSee,
    Official,
    Place,
)
from emails.outbox import send

CAP_WINDOW = dt.timedelta(hours=1)


def plan_after_commit(letter: Letter) -> None:
    """Queues the planning task once the caller's transaction commits.

    robust: a broker that is down must not fail the confirmation; beat's plan_missed_letters
    finds the letter five minutes later.
    """
    from campaigns.letters.tasks import plan_letter_deliveries

    letter_id = letter.pk
    transaction.on_commit(lambda: plan_letter_deliveries.delay(letter_id), robust=True)


@transaction.atomic
def plan_deliveries(letter_id: int) -> int:
    """Plans (and hands to the outbox) the letter's deliveries; returns how many it made now."""
    letter = (
        Letter.objects.select_for_update(of=("self",))
        .select_related("letter_campaign__campaign", "place", "supporter")
        .filter(pk=letter_id)
        .first()
    )
    if letter is None or not letter.is_counted or letter.planned_at is not None:
        return 0
    if letter.supporter.email is None:
        return 0  # erased before it went out: its text is gone too
    now = timezone.now()
    officials = list(recipients(letter.letter_campaign, letter.place))
    if not officials:
        letter.no_official_at = now
        letter.save(update_fields=["no_official_at"])
        return 0
    _deliver_to_all(letter, officials, now=now)
    letter.planned_at, letter.no_official_at = now, None
    letter.save(update_fields=["planned_at", "no_official_at"])
    return len(officials)


def recipients(letter_campaign: LetterCampaign, place: Place, on: dt.date | None = None) -> list[Official]:
    """The officials the drive's letters from `place` go to today, in office and with an address."""
    offices = list(letter_campaign.target_offices)
    wanted = (
        Q(office__in=offices) | Q(office=Official.Office.MAYOR)
        if letter_campaign.include_mayor
        else Q(office__in=offices)
    )
    current = Official.objects.current(on or _today(letter_campaign.campaign)).filter(
        wanted, campaign=letter_campaign.campaign, place=place
    )
    return list(current.exclude(email="").order_by("pk"))


def _deliver_to_all(letter: Letter, officials: list[Official], *, now: dt.datetime) -> None:
    # One statement for the rows: the unique constraint keeps a delivery made before (a task run
    # twice after its claim was lost) and the outbox key its message.
    LetterDelivery.objects.bulk_create(
        [
            LetterDelivery(letter=letter, official=o, route=LetterDelivery.Route.INDIVIDUAL, created_at=now)
            for o in officials
        ],
        ignore_conflicts=True,
    )
    by_official = {official.pk: official for official in officials}
    waiting = LetterDelivery.objects.filter(letter=letter, official_id__in=by_official, message__isnull=True)
    changed = []
    for delivery in waiting.order_by("official_id"):
        _deliver(delivery, letter, by_official[delivery.official_id], now=now)
        changed.append(delivery)
    LetterDelivery.objects.bulk_update(changed, ["route", "digest_day", "message", "handed_at"])


def _deliver(delivery: LetterDelivery, letter: Letter, official: Official, *, now: dt.datetime) -> None:
    campaign = letter.letter_campaign
    if _goes_to_digest(campaign, official, now=now):
        delivery.route = LetterDelivery.Route.DIGEST
        delivery.digest_day = timezone.localtime(now, _zone(campaign.campaign)).date()
        return
    delivery.message = send(
        LETTER_MAIL,
        to=official.email,
        context=letter_context(letter, official),
        language=settings.LANGUAGE_CODE,
        key=f"campaigns.letter:{letter.pk}:{official.pk}",
        reply_to=letter.supporter.email or "",
        from_email=sender(campaign.campaign),
        headers=place_headers(letter.place),
    )
    delivery.handed_at = now


def _goes_to_digest(campaign: LetterCampaign, official: Official, *, now: dt.datetime) -> bool:
    if campaign.delivery_mode == DeliveryMode.DIGEST or official.letters_digest_only:
        return True
    cap = campaign.hourly_cap_per_official
    if cap is None:
        return False
    # Locked: two letters planned at once for the same official must not both slip under the cap.
    Official.objects.select_for_update().filter(pk=official.pk).first()
    recent = LetterDelivery.objects.filter(
        official=official, route=LetterDelivery.Route.INDIVIDUAL, handed_at__gt=now - CAP_WINDOW
    )
    return recent.count() >= cap


def letter_context(letter: Letter, official: Official) -> dict[str, Any]:
    """What the letter template shows: the filled subject and text, and who wrote it."""
    supporter = letter.supporter
    values = {
        "supporter_name": supporter.name or "",
        "place": f"{letter.place.name}, {letter.place.state}",
        "official_name": official.name,
        "official_office": str(official.get_office_display()),
    }
    show_address = letter.officials_see == LettersSee.NAME_ADDRESS and supporter.street_address
    return {
        "subject": placeholders.fill(letter.subject, values),
        "body": placeholders.fill(letter.body, values),
        "writer_name": supporter.name or "",
        "writer_place": values["place"],
        "writer_address": supporter.street_address if show_address else "",
        "campaign_title": letter.letter_campaign.campaign.title,
        "position_link": position_url(official, letter.letter_campaign.campaign),
    }


def sender(campaign: Campaign) -> str:
    """The campaign's own sending address (never the supporter's), under the campaign's name."""
    address = campaign.sending_address or settings.DEFAULT_FROM_EMAIL
    if "<" in address:
        return address
    return formataddr((campaign.title[:100], address))


def place_headers(place: Place) -> dict[str, str]:
    return {"X-Townhall-Place": f"{place.name}, {place.state}", "X-Townhall-Place-Id": place.ocd_id}


def _today(campaign: Campaign) -> dt.date:
    return timezone.localtime(timezone.now(), _zone(campaign)).date()


def _zone(campaign: Campaign) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(campaign.time_zone)


def plan_missed(*, older_than: dt.timedelta = dt.timedelta(minutes=5)) -> int:
    """Plans confirmed letters whose planning task was lost (broker down, worker gone); beat calls it."""
    cutoff = timezone.now() - older_than
    missed = Letter.objects.counted().filter(planned_at__isnull=True, no_official_at__isnull=True)
    ids = list(missed.filter(confirmed_at__lt=cutoff).values_list("pk", flat=True)[:1000])
    return sum(plan_deliveries(letter_id) for letter_id in ids)
