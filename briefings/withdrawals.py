"""Withdrawing editions whose appendix names a person who erased their data.

A withdrawn edition loses its PDF and HTML (deleted through the "briefings" storage once the erasure
commits) and the SHA-256 of a file that no longer exists; it keeps its figures, which hold no names,
and its delivery log. Each briefing (campaign, place, official) that loses its latest edition gets a
new one, queued on the heavy queue after the commit so it is gathered once the names are gone;
withdrawn editions point at the edition that replaces them, which the verification page links to.
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction
from django.utils import timezone

from briefings.editions import of_briefing, queue_replacement
from briefings.models import Edition
from briefings.models.editions import EditionQuerySet
from briefings.storage import briefing_storage

logger = logging.getLogger(__name__)
Status = Edition.Status

Briefing = tuple[int, int, int | None]


@transaction.atomic
def withdraw(editions: EditionQuerySet) -> int:
    """Withdraws the given editions (those not withdrawn yet) and replaces what needs it; returns how many."""
    now = timezone.now()
    withdrawn = list(editions.exclude(status=Status.WITHDRAWN).select_for_update().order_by("pk"))
    briefings: set[Briefing] = set()
    for edition in withdrawn:
        files = [name for name in (edition.pdf_name, edition.html_name) if name]
        edition.status, edition.withdrawn_at, edition.sha256 = Status.WITHDRAWN, now, ""
        edition.save(update_fields=["status", "withdrawn_at", "sha256"])
        transaction.on_commit(partial(delete_files, edition.pk, files), robust=True)
        briefings.add((edition.campaign_id, edition.place_id, edition.official_id))
    for campaign_id, place_id, official_id in sorted(briefings, key=str):
        replacement = _current_or_new(campaign_id, place_id, official_id)
        editions = of_briefing(campaign_id=campaign_id, place_id=place_id, official_id=official_id)
        editions.filter(pk__in=[edition.pk for edition in withdrawn]).update(replaced_by=replacement)
    return len(withdrawn)


def _current_or_new(campaign_id: int, place_id: int, official_id: int | None) -> Edition:
    """The briefing's newest edition not withdrawn nor failed (one made after, or one still queued); else a new one."""
    editions = of_briefing(campaign_id=campaign_id, place_id=place_id, official_id=official_id)
    latest = editions.exclude(status=Status.FAILED).order_by("-number").first()
    if latest is not None and latest.status != Status.WITHDRAWN:
        return latest
    return queue_replacement(campaign_id=campaign_id, place_id=place_id, official_id=official_id)


def delete_files(edition_id: int, names: list[str]) -> None:
    """Deletes a withdrawn edition's files, then forgets their names (left set if deleting failed)."""
    storage = briefing_storage()
    for name in names:
        storage.delete(name)
    Edition.objects.filter(pk=edition_id).update(pdf_name="", html_name="")
    logger.info("briefing edition %s withdrawn: %s file(s) deleted", edition_id, len(names))
