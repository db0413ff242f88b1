"""What the public tracker reads: each answer in a fixed number of queries, however many places."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat, LPad
from django.shortcuts import get_object_or_404

from campaigns.models import (
    Agency,
    Campaign,
    Citation,
    Official,
    OfficialPosition,
    Partnership,
    PlaceStatus,
    Source,
    TimelineEvent,
)
from campaigns.places_lookup import PlaceCandidate, candidates_for_zip, search_places


@dataclass(frozen=True)
class PlaceFilters:
    state: str = ""
    status: str = ""
    vendor: str = ""
    program: str = ""
    q: str = ""
    zip_code: str = ""

    @property
    def ranked(self) -> bool:
        """A search answers in its own order (closeness, ZIP rank), which no cursor can follow."""
        return bool(self.q or self.zip_code)


def public_campaign(slug: str) -> Campaign:
    return get_object_or_404(Campaign.objects.public(), slug=slug)


def find_tracked_places(*, campaign: Campaign, filters: PlaceFilters) -> QuerySet[PlaceStatus]:
    statuses = _filtered(_tracked(campaign), campaign=campaign, filters=filters)
    if filters.q:
        statuses = search_places(statuses, filters.q, prefix="place__")
    if filters.zip_code:
        return _in_zip_order(statuses, candidates_for_zip(filters.zip_code))
    return statuses if filters.q else _in_list_order(statuses)


def tracked_place(*, campaign: Campaign, place_id: int) -> PlaceStatus:
    """One tracked place with its agencies, partnerships, current officials and timeline, cited."""
    partnerships = Partnership.objects.all().prefetch_related(_public_citations())
    # Officials' e-mail and phone are for letters only: they are not even read here.
    officials = Official.objects.current().filter(campaign=campaign).defer("email", "phone")
    # Each official's statements, newest first: the first is their position (campaigns.letters.positions).
    positions = OfficialPosition.objects.order_by("-recorded_at", "-pk")
    officials = officials.prefetch_related(Prefetch("positions", queryset=positions, to_attr="recorded_positions"))
    events = TimelineEvent.objects.filter(campaign=campaign).prefetch_related(_public_citations())
    statuses = PlaceStatus.objects.for_campaign(campaign).select_related("campaign", "place")
    statuses = statuses.prefetch_related(
        _campaign_agencies(campaign, partnerships),
        Prefetch("place__officials", queryset=officials, to_attr="current_officials"),
        Prefetch("place__timeline_events", queryset=events, to_attr="campaign_events"),
    )
    return get_object_or_404(statuses, place_id=place_id)


def public_sources(campaign: Campaign) -> QuerySet[Source]:
    # Our own records back internal steps for organizers; the public sees what anyone can check.
    return Source.objects.filter(campaign=campaign).exclude(kind=Source.Kind.INTERNAL)


def mapped_places(campaign: Campaign) -> Iterable[Mapping[str, Any]]:
    """Tracked places that have coordinates, as plain rows: a map may show thousands."""
    located = PlaceStatus.objects.for_campaign(campaign).filter(
        place__latitude__isnull=False, place__longitude__isnull=False
    )
    rows = located.values("place_id", "place__name", "place__state", "status", "place__latitude", "place__longitude")
    # A fixed order, so the same figures give the same bytes and the same ETag.
    return rows.order_by("place__state", "place__name", "pk")


def _tracked(campaign: Campaign) -> QuerySet[PlaceStatus]:
    statuses = PlaceStatus.objects.for_campaign(campaign).select_related("place")
    return statuses.prefetch_related(_campaign_agencies(campaign, Partnership.objects.current()))


def _campaign_agencies(campaign: Campaign, partnerships: QuerySet[Partnership]) -> Prefetch[str, QuerySet[Agency]]:
    # Agencies belong to a campaign, while places are shared: show only this campaign's.
    agencies = Agency.objects.filter(campaign=campaign).prefetch_related(
        Prefetch("partnerships", queryset=partnerships, to_attr="shown_partnerships")
    )
    return Prefetch("place__agencies", queryset=agencies, to_attr="campaign_agencies")


def _public_citations() -> Prefetch[str, QuerySet[Citation]]:
    # Our own records stay with organizers here too.
    citations: QuerySet[Citation] = Citation.objects.public().select_related("source")
    return Prefetch("citations", queryset=citations)


def _filtered(statuses: QuerySet[PlaceStatus], *, campaign: Campaign, filters: PlaceFilters) -> QuerySet[PlaceStatus]:
    if filters.state:
        statuses = statuses.filter(place__state=filters.state)
    if filters.status:
        statuses = statuses.filter(status=filters.status)
    if filters.vendor or filters.program:
        statuses = statuses.filter(Exists(_partnerships_of_place(campaign, filters)))
    return statuses


def _partnerships_of_place(campaign: Campaign, filters: PlaceFilters) -> QuerySet[Partnership]:
    # One subquery, so vendor and program must hold for the same partnership, and no row repeats.
    partnerships = Partnership.objects.filter(agency__campaign=campaign, agency__places=OuterRef("place_id"))
    if filters.vendor:
        partnerships = partnerships.filter(vendor=filters.vendor)
    if filters.program:
        partnerships = partnerships.filter(program=filters.program)
    return partnerships


def _in_list_order(statuses: QuerySet[PlaceStatus]) -> QuerySet[PlaceStatus]:
    """By state and name, under one unique key.

    The cursor paginator keeps its position in the first ordering column alone and counts ties
    by offset, capped at 1,000: ordering by state would lose places in a big state. A unique
    key ("NJ bloomfield 000000000042") keeps each page boundary exact.
    """
    padded_pk = LPad(Cast("pk", CharField()), 12, Value("0"))
    key = Concat("place__state", Value(" "), "place__search_name", Value(" "), padded_pk, output_field=CharField())
    return statuses.annotate(list_key=key)


def _in_zip_order(statuses: QuerySet[PlaceStatus], candidates: list[PlaceCandidate]) -> QuerySet[PlaceStatus]:
    if not candidates:
        return statuses.none()
    ranks = [When(place_id=c.place.pk, then=Value(c.rank)) for c in candidates]
    hows = [When(place_id=c.place.pk, then=Value(c.how.value)) for c in candidates]
    return (
        statuses.filter(place_id__in=[c.place.pk for c in candidates])
        .annotate(zip_rank=Case(*ranks, output_field=IntegerField()), how=Case(*hows, output_field=CharField()))
        .order_by("zip_rank")
    )
