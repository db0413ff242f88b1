"""Changing where a place stands in a campaign: a dated event, cited, audited, announced."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import AuditEvent, User
from campaigns.models import Campaign, Citation, Place, PlaceStatus, Source, Status, TimelineEvent
from campaigns.models.dates import DatePrecision
from campaigns.models.statuses import needs_public_source
from campaigns.signals import place_status_changed


@dataclass(frozen=True)
class CitationInput:
    source: Source
    locator: str = ""
    quote: str = ""
    note: str = ""


@transaction.atomic
def track_place(*, campaign: Campaign, place: Place, actor: User | None, via: str) -> PlaceStatus:
    status, created = PlaceStatus.objects.get_or_create(campaign=campaign, place=place)
    if created:
        audit.record_write(
            actor=actor,
            via=via,
            action=AuditEvent.Action.CREATE,
            instance=status,
            campaign_id=campaign.pk,
            after=audit.snapshot(status),
        )
    return status


@transaction.atomic
def change_status(
    *,
    campaign: Campaign,
    place: Place,
    status: Status,
    occurred_on: dt.date,
    title: str,
    citations: list[CitationInput],
    actor: User,
    via: str,
    precision: DatePrecision = DatePrecision.DAY,
    description: str = "",
) -> TimelineEvent:
    """Record that `place` reached `status` on `occurred_on`, with its evidence.

    Every change cites a source from this campaign's library; agenda, vote, ended, lost and a
    documented partnership need a public one (our own records serve only for internal steps).
    """
    _check_evidence(campaign, status, citations)
    # Locked so two organizers changing one place at once record a true before→after chain.
    current = PlaceStatus.objects.select_for_update().filter(campaign=campaign, place=place).first()
    if current is None:
        current = track_place(campaign=campaign, place=place, actor=actor, via=via)
    before = audit.snapshot(current)
    event = TimelineEvent(
        campaign=campaign,
        place=place,
        occurred_on=occurred_on,
        occurred_precision=precision,
        title=title,
        description=description,
        status_before=current.status,
        status_after=status,
        recorded_by=actor,
    )
    event.full_clean()
    event.save()
    Citation.objects.bulk_create(
        Citation(event=event, source=c.source, locator=c.locator, quote=c.quote, note=c.note) for c in citations
    )
    current.status = status
    current.changed_at = timezone.now()
    current.save(update_fields=["status", "changed_at"])
    audit.record_write(
        actor=actor,
        via=via,
        action=AuditEvent.Action.UPDATE,
        instance=current,
        campaign_id=campaign.pk,
        before=before,
        after=audit.snapshot(current),
    )
    transaction.on_commit(lambda: _announce(event))
    return event


def _check_evidence(campaign: Campaign, status: Status, citations: list[CitationInput]) -> None:
    if not citations:
        raise ValidationError({"citations": ["A status change cites its evidence: add at least one source."]})
    if any(c.source.campaign_id != campaign.pk for c in citations):
        raise ValidationError({"citations": ["Cite sources from this campaign's library."]})
    if needs_public_source(status) and not any(c.source.is_public for c in citations):
        raise ValidationError(
            {"citations": [f"“{status.label}” is a public fact: cite at least one public source, not our own records."]}
        )


def _announce(event: TimelineEvent) -> None:
    place_status_changed.send(
        sender=TimelineEvent,
        campaign=event.campaign,
        place=event.place,
        event=event,
        status_before=event.status_before,
        status_after=event.status_after,
    )
