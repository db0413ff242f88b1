"""A tracked place with cited partnership facts, a cited status change, officials and signers."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import User
from campaigns import tracker
from campaigns.models import (
    Agency,
    Campaign,
    Citation,
    Membership,
    Official,
    OfficialsSee,
    Partnership,
    Petition,
    Place,
    Review,
    Role,
    Signature,
    Source,
    Status,
)
from supporters.models import Supporter


@pytest.fixture(autouse=True)
def _briefing_storage(settings: Any, tmp_path: Any) -> None:
    """Each test's PDFs in a folder of its own (the storage alias is re-read when STORAGES changes)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "briefings": {"BACKEND": "briefings.storage.UnservedFileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


@dataclass
class World:
    campaign: Campaign
    place: Place
    other_place: Place
    owner: User
    agency: Agency
    partnership: Partnership
    citation: Citation
    news: Source
    minutes: Source
    official: Official
    petition: Petition


@pytest.fixture
def world(db: Any, user_factory: Any) -> World:
    owner = user_factory("owner@example.org")
    campaign = Campaign.objects.create(
        slug="ring", title="End Ring partnerships", is_public=True, ask="End the Neighbors Portal agreement."
    )
    Membership.objects.create(user=owner, campaign=campaign, role=Role.OWNER)
    place = Place.objects.create(
        name="Bloomfield", kind="township", state="NJ", ocd_id="ocd-division/country:us/state:nj/place:bloomfield"
    )
    other = Place.objects.create(
        name="Maywood", kind="borough", state="NJ", ocd_id="ocd-division/country:us/state:nj/place:maywood"
    )
    news = Source.objects.create(
        campaign=campaign,
        title="Amazon Is Coaching Cops",
        publisher="Motherboard",
        authors="Caroline Haskins",
        published_on=dt.date(2019, 8, 6),
        url="https://example.org/coaching",
        archived_url="https://archive.example.org/coaching",
        is_verified=True,
    )
    minutes = Source.objects.create(
        campaign=campaign,
        title="Council minutes, 12 March 2024",
        publisher="Township of Bloomfield",
        kind=Source.Kind.MEETING,
        url="https://example.org/minutes",
        is_verified=True,
    )
    agency = Agency.objects.create(campaign=campaign, name="Bloomfield Police Department")
    agency.places.add(place)
    partnership = Partnership.objects.create(
        agency=agency,
        program="neighbors_portal",
        started_on=dt.date(2019, 1, 1),
        started_precision="year",
        how_known="The agreement obtained by public records request.",
    )
    citation = Citation.objects.create(
        source=news, partnership=partnership, locator="p. 4", quote="Police must promote the Neighbors app."
    )
    tracker.change_status(
        campaign=campaign,
        place=place,
        status=Status.PARTNERSHIP_DOCUMENTED,
        occurred_on=dt.date(2024, 3, 12),
        title="Council discussed the partnership",
        citations=[tracker.CitationInput(source=minutes, locator="p. 2", quote="The chief confirmed the agreement.")],
        actor=owner,
        via="test",
    )
    official = Official.objects.create(
        campaign=campaign, place=place, name="Ana Member", email="ana.member@example.gov", district="Ward 1"
    )
    Official.objects.create(
        campaign=campaign, place=place, name="Former Member", email="former@example.gov", is_active=False
    )
    petition = Petition.objects.create(campaign=campaign, slug="end-ring", title="End Ring", text="End it.")
    return World(campaign, place, other, owner, agency, partnership, citation, news, minutes, official, petition)


_serial = iter(range(1, 10**9))


def add_signer(
    world: World,
    *,
    name: str = "",
    officials_see: str = OfficialsSee.COUNT,
    street: str = "",
    confirmed: bool = True,
    review: str = Review.ACCEPTED,
    place: Place | None = None,
    petition: Petition | None = None,
    supporter: Supporter | None = None,
) -> Signature:
    if supporter is None:
        supporter = Supporter.objects.create(
            email=f"signer{next(_serial)}@example.org",
            name=name or None,
            street_address=street or None,
            confirmed_at=timezone.now() if confirmed else None,
        )
    return Signature.objects.create(
        petition=petition or world.petition,
        supporter=supporter,
        place=place or world.place,
        consent_version="1",
        officials_see=officials_see,
        confirmed_at=timezone.now() if confirmed else None,
        review=review,
    )


def generated(world: World, **kwargs: Any) -> Any:
    """request_edition, then the task's work (tests run no on-commit callbacks unless asked to)."""
    from briefings import editions
    from briefings.models import Edition

    edition = editions.request_edition(campaign=world.campaign, place=world.place, **kwargs)
    editions.generate_edition(edition.pk)  # a no-op for an edition already generated or reused
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DONE, edition.error
    return edition


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def section(text: str, start: str, end: str | None = None) -> str:
    begin = text.index(start)
    return text[begin : text.index(end, begin) if end else None]


def markers(text: str) -> set[int]:
    """Footnote numbers cited in the body: [1], [2, 3]."""
    found: set[int] = set()
    for group in re.findall(r"\[(\d+(?:, \d+)*)\]", text):
        found |= {int(number) for number in group.split(", ")}
    return found
