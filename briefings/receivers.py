"""New editions made by events elsewhere: a place's status change, or support passing a step."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from briefings.editions import request_edition
from briefings.figures import NotTracked
from briefings.footnotes import MissingCitation
from briefings.models import BriefingPreferences, Edition, Reason
from campaigns import tallies
from campaigns.models import Campaign, Place, Signature
from supporters.models import Confirmation

logger = logging.getLogger(__name__)


def edition_on_status_change(sender: Any, *, campaign: Campaign, place: Place, **kwargs: Any) -> None:
    """Sent after the tracker's commit: a new place-wide edition (failing quietly on an uncited fact)."""
    _request(campaign, place, Reason.STATUS_CHANGE)


def edition_on_confirmation(sender: Any, *, confirmation: Confirmation, **kwargs: Any) -> None:
    """Inside the confirming transaction: look at the places once it commits, when the tallies are final."""
    pairs = set(Signature.objects.filter(confirmation=confirmation).values_list("petition__campaign_id", "place_id"))
    if pairs:
        transaction.on_commit(lambda: check_support_steps(pairs))


def check_support_steps(pairs: set[tuple[int, int]]) -> None:
    """A new edition for each place whose confirmed signatures passed the next multiple of the step."""
    for campaign_id, place_id in sorted(pairs):
        step = BriefingPreferences.objects.filter(campaign_id=campaign_id).values_list("support_step", flat=True)
        if not step or not step[0]:
            continue
        campaign, place = Campaign.objects.get(pk=campaign_id), Place.objects.get(pk=place_id)
        if _passed_step(campaign, place, step[0]):
            _request(campaign, place, Reason.SUPPORT_STEP)


def _passed_step(campaign: Campaign, place: Place, step: int) -> bool:
    now = tallies.place_count(campaign=campaign, place=place)
    last = (
        Edition.objects.of_briefing(campaign=campaign, place=place, official=None)
        .exclude(status=Edition.Status.FAILED)
        .order_by("-number")
        .values_list("figures", flat=True)
        .first()
    )
    before = int(last["support"]["signatures"]) if last else 0
    return now // step > before // step


def _request(campaign: Campaign, place: Place, reason: Reason) -> None:
    try:
        request_edition(campaign=campaign, place=place, reason=reason)
    except (MissingCitation, NotTracked) as error:
        # Organizers see it when they ask for the briefing themselves; the tracker must not fail.
        logger.warning("no briefing edition for %s (%s): %s", place, reason, error)
