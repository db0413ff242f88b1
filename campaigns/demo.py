"""The demo campaign a newcomer sees after `make demo`: real places and partnerships, each cited.

The facts live in `campaigns.demo_data`; this module writes them. Loading again changes nothing:
rows are found by their natural keys and saved only when a value differs, and a place's status
changes only while it is untracked or not started (an organizer who moved it on keeps their step).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

import zipcodes
from django.db import models, transaction

from accounts.models import User
from campaigns import demo_data
from campaigns.demo_data import CitationFacts, PartnershipFacts, PlaceFacts
from campaigns.models import Agency, Campaign, Citation, Official, Partnership, Place, PlaceStatus, Source, Status
from campaigns.tracker import CitationInput, change_status

DEMO_SLUG = demo_data.CAMPAIGN.slug
VIA = "command"

M = TypeVar("M", bound=models.Model)


@transaction.atomic
def load_demo_campaign(*, organizer: User) -> Campaign:
    """Create or bring up to date the demo campaign; `organizer` records its status changes."""
    campaign = _load_campaign()
    sources = {key: _load_source(campaign, facts) for key, facts in demo_data.SOURCES.items()}
    for facts in demo_data.PLACES:
        place = _load_place(facts)
        agency = _upsert(
            Agency,
            {"campaign": campaign, "name": facts.agency.name},
            {"kind": facts.agency.kind},
        )
        agency.places.add(place)
        _load_partnership(agency, facts.agency.partnership, sources)
        for official in facts.officials:
            _upsert(
                Official,
                {"campaign": campaign, "place": place, "name": official.name, "office": official.office},
                {"term_start": official.term_start, "term_end": official.term_end, "phone": official.phone},
            )
        _document(campaign, place, facts, sources, organizer)
    return campaign


def _load_campaign() -> Campaign:
    facts = demo_data.CAMPAIGN
    return _upsert(
        Campaign,
        {"slug": facts.slug},
        {
            "title": facts.title,
            "is_public": facts.is_public,
            "ask": facts.ask,
            "description": facts.description,
            "signature_goal": facts.signature_goal,
            "letter_goal": facts.letter_goal,
            "time_zone": facts.time_zone,
        },
    )


def _load_source(campaign: Campaign, facts: demo_data.SourceFacts) -> Source:
    return _upsert(
        Source,
        {"campaign": campaign, "url": facts.url},
        {
            "title": facts.title,
            "publisher": facts.publisher,
            "authors": facts.authors,
            "published_on": facts.published_on,
            "published_precision": facts.published_precision,
            "archived_url": facts.archived_url,
            "kind": facts.kind,
            "is_verified": facts.is_verified,
        },
    )


def _load_place(facts: PlaceFacts) -> Place:
    latitude, longitude = zip_centroid(facts.zip_code, state=facts.state)
    # Population stays as the operator's importer left it: the demo has no sourced figure to give.
    return _upsert(
        Place,
        {"ocd_id": facts.ocd_id},
        {
            "name": facts.name,
            "kind": facts.kind,
            "state": facts.state,
            "census_geoid": facts.census_geoid,
            "county_name": facts.county_name,
            "latitude": latitude,
            "longitude": longitude,
            "location_source": facts.location_source,
        },
    )


def zip_centroid(zip_code: str, *, state: str) -> tuple[Decimal, Decimal]:
    """The `zipcodes` package's centroid of a ZIP code, which must lie in `state`."""
    matches: list[dict[str, Any]] = zipcodes.matching(zip_code)  # type: ignore[no-untyped-call]
    if len(matches) != 1 or matches[0]["state"] != state:
        raise ValueError(f"ZIP code {zip_code} is not a single ZIP code in {state}.")
    return Decimal(matches[0]["lat"]), Decimal(matches[0]["long"])


def _load_partnership(agency: Agency, facts: PartnershipFacts, sources: dict[str, Source]) -> None:
    partnership = _upsert(
        Partnership,
        {"agency": agency, "vendor": facts.vendor, "program": facts.program},
        {
            "started_on": facts.started_on,
            "started_precision": facts.started_precision,
            "how_known": facts.how_known,
        },
    )
    for citation in facts.citations:
        _upsert(
            Citation,
            {
                "partnership": partnership,
                "source": sources[citation.source],
                "locator": citation.locator,
                "quote": citation.quote,
            },
            {"note": citation.note},
        )


def _document(campaign: Campaign, place: Place, facts: PlaceFacts, sources: dict[str, Source], organizer: User) -> None:
    status = facts.documented
    current = PlaceStatus.objects.filter(campaign=campaign, place=place).values_list("status", flat=True).first()
    if current == status.status or current not in (None, Status.NOT_STARTED):
        return
    change_status(
        campaign=campaign,
        place=place,
        status=status.status,
        occurred_on=status.occurred_on,
        precision=status.precision,
        title=status.title,
        description=status.description,
        citations=[_citation_input(c, sources) for c in status.citations],
        actor=organizer,
        via=VIA,
    )


def _citation_input(facts: CitationFacts, sources: dict[str, Source]) -> CitationInput:
    return CitationInput(source=sources[facts.source], locator=facts.locator, quote=facts.quote, note=facts.note)


def _upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
    """update_or_create on a natural key, but validated and saved only when something differs."""
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
    elif all(getattr(instance, name) == value for name, value in values.items()):
        return instance
    else:
        for name, value in values.items():
            setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance
