"""Who a mailing goes to: a campaign's supporters narrowed by place, petition, audience and date.

Whatever the narrowing, a supporter is in a segment only if they consented to updates on a
counted action of the campaign (a signature or letter confirmed and not held or rejected), their
address is confirmed and not erased, and it is neither suppressed (bounce, complaint) nor
unsubscribed from the campaign's list or from everything. The pipeline checks suppression and
unsubscribes again at the moment of sending, so one that arrives mid-send is honoured too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from campaigns.letters import figures as letters
from campaigns.models import Campaign, Letter, Place, Signature
from emails.models import EVERY_LIST, Suppression, Unsubscribe
from mailings.models import Audience, Mailing
from supporters.models import Supporter


@dataclass(frozen=True)
class Segment:
    campaign_id: int
    audience: str = Audience.EVERYONE
    place_id: int | None = None
    petition_id: int | None = None
    signed_after: dt.datetime | None = None

    @classmethod
    def of(cls, mailing: Mailing) -> Segment:
        return cls(
            campaign_id=mailing.campaign_id,
            audience=mailing.audience,
            place_id=mailing.place_id,
            petition_id=mailing.petition_id,
            signed_after=mailing.signed_after,
        )

    @property
    def list_key(self) -> str:
        return f"campaign:{self.campaign_id}"

    @property
    def includes_signers(self) -> bool:
        return self.audience != Audience.LETTER_WRITERS

    @property
    def includes_letter_writers(self) -> bool:
        # Letters are not written to a petition: naming one narrows the segment to its signers.
        return self.audience != Audience.SIGNERS and self.petition_id is None


def consenting_signatures(segment: Segment) -> QuerySet[Signature]:
    """Counted signatures of the segment (confirmed, accepted) whose signer asked for updates."""
    signatures = Signature.objects.counted().filter(petition__campaign_id=segment.campaign_id, email_updates=True)
    if segment.place_id is not None:
        signatures = signatures.filter(place_id=segment.place_id)
    if segment.petition_id is not None:
        signatures = signatures.filter(petition_id=segment.petition_id)
    if segment.signed_after is not None:
        signatures = signatures.filter(created_at__gt=segment.signed_after)
    return signatures


def consenting_letter_writers(segment: Segment) -> QuerySet[Supporter]:
    """Supporters who wrote a counted letter of the segment and asked for updates (the letters' own rule)."""
    campaign = Campaign.objects.get(pk=segment.campaign_id)
    place = Place.objects.get(pk=segment.place_id) if segment.place_id is not None else None
    writers = letters.update_recipients(campaign, place)
    if segment.signed_after is not None:
        # One filter() call: the same letter is of this campaign and written after the date.
        writers = writers.filter(
            letters__letter_campaign__campaign_id=segment.campaign_id, letters__created_at__gt=segment.signed_after
        )
    return writers


def members(segment: Segment) -> QuerySet[Supporter]:
    """The supporters a mailing to `segment` goes to, by id, each annotated with `place_name`."""
    wanted = Q()
    if segment.includes_signers:
        wanted |= Q(pk__in=consenting_signatures(segment).values("supporter_id"))
    if segment.includes_letter_writers:
        wanted |= Q(pk__in=consenting_letter_writers(segment).values("pk"))
    if not wanted:
        return Supporter.objects.none()
    return (
        reachable(Supporter.objects.filter(wanted), list_key=segment.list_key)
        .annotate(place_name=Coalesce(_latest_place(segment, Signature), _latest_place(segment, Letter)))
        .order_by("pk")
    )


def _latest_place(segment: Segment, model: type[Signature] | type[Letter]) -> Subquery:
    """The place of the supporter's latest signature (or letter) of the segment, for `{{ place }}`."""
    campaign = "petition__campaign_id" if model is Signature else "letter_campaign__campaign_id"
    narrowing: dict[str, Any] = {"supporter_id": OuterRef("pk"), campaign: segment.campaign_id}
    if segment.place_id is not None:
        narrowing["place_id"] = segment.place_id
    actions = model._default_manager.filter(**narrowing).order_by("-created_at", "-pk")
    return Subquery(actions.values("place__name")[:1])


def reachable(supporters: QuerySet[Supporter], *, list_key: str) -> QuerySet[Supporter]:
    """Confirmed, not erased, not suppressed, not unsubscribed from `list_key` or from everything."""
    unsubscribed = Unsubscribe.objects.filter(list_key__in=(list_key, EVERY_LIST)).values("address_hash")
    return (
        supporters.filter(confirmed_at__isnull=False, erased_at__isnull=True, email_hash__isnull=False)
        .exclude(email_hash__in=Suppression.objects.values("address_hash"))
        .exclude(email_hash__in=unsubscribed)
    )


def size(segment: Segment) -> int:
    return members(segment).count()
