"""A campaign with two places and two petitions, and supporters made as signing and confirming would leave them."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from campaigns.models import Campaign, Letter, LetterCampaign, Membership, Petition, Place, Review, Role, Signature
from campaigns.tracker import track_place
from supporters.models import Supporter
from tests.conftest import sign_in_with_two_factors

_numbers = itertools.count(1)


@pytest.fixture
def ring(alice: User) -> Campaign:
    """Alice owns the campaign."""
    campaign = Campaign.objects.create(slug="ring", title="End Ring partnerships", is_public=True)
    Membership.objects.create(user=alice, campaign=campaign, role=Role.OWNER)
    return campaign


@pytest.fixture
def bloomfield(db: Any) -> Place:
    return Place.objects.create(
        ocd_id="ocd-division/country:us/state:nj/place:bloomfield", name="Bloomfield", kind="township", state="NJ"
    )


@pytest.fixture
def maywood(db: Any) -> Place:
    return Place.objects.create(
        ocd_id="ocd-division/country:us/state:nj/place:maywood", name="Maywood", kind="borough", state="NJ"
    )


@pytest.fixture
def petition(ring: Campaign, bloomfield: Place, maywood: Place) -> Petition:
    for place in (bloomfield, maywood):
        track_place(campaign=ring, place=place, actor=None, via="test")
    return Petition.objects.create(campaign=ring, slug="end-ring", title="End Ring", text="End it.")


@pytest.fixture
def second_petition(ring: Campaign) -> Petition:
    return Petition.objects.create(campaign=ring, slug="budget", title="Budget", text="Show the budget.")


@pytest.fixture
def owner(client: Client, alice: User, ring: Campaign) -> Client:
    return sign_in_with_two_factors(client, alice)


@pytest.fixture
def editor(user_factory: Any, ring: Campaign) -> Client:
    bob = user_factory("bob@example.org")
    Membership.objects.create(user=bob, campaign=ring, role=Role.EDITOR)
    return sign_in_with_two_factors(Client(), bob)


def signer(
    petition: Petition,
    place: Place,
    email: str | None = None,
    *,
    updates: bool = True,
    confirmed: bool = True,
    language: str = "en",
    name: str = "Dana Scully",
    review: str = Review.ACCEPTED,
    signed_at: dt.datetime | None = None,
) -> Supporter:
    """A supporter who signed `petition` for `place`, confirmed (or not), asking for updates (or not)."""
    now = timezone.now()
    supporter = Supporter.objects.create(
        email=email or f"signer{next(_numbers)}@example.org",
        name=name if confirmed else None,
        language=language,
        confirmed_at=now if confirmed else None,
    )
    sign(supporter, petition, place, updates=updates, confirmed=confirmed, review=review, signed_at=signed_at)
    return supporter


def sign(
    supporter: Supporter,
    petition: Petition,
    place: Place,
    *,
    updates: bool = True,
    confirmed: bool = True,
    review: str = Review.ACCEPTED,
    signed_at: dt.datetime | None = None,
) -> Signature:
    now = timezone.now()
    return Signature.objects.create(
        petition=petition,
        supporter=supporter,
        place=place,
        email_updates=updates,
        consent_version="test",
        confirmed_at=now if confirmed else None,
        review=review,
        created_at=signed_at or now,
    )


def writer(
    campaign: Campaign,
    place: Place,
    email: str,
    *,
    updates: bool = True,
    confirmed: bool = True,
    review: str = Review.ACCEPTED,
    written_at: dt.datetime | None = None,
) -> Supporter:
    """A supporter who wrote a letter of the campaign's letter drive from `place`."""
    drive, _created = LetterCampaign.objects.get_or_create(
        campaign=campaign, slug="write", defaults={"title": "Write", "subject_template": "S", "body_template": "B"}
    )
    now = timezone.now()
    supporter = Supporter.objects.create(email=email, name="Fox Mulder", language="en", confirmed_at=now)
    Letter.objects.create(
        letter_campaign=drive,
        supporter=supporter,
        place=place,
        email_updates=updates,
        consent_version="test",
        confirmed_at=now if confirmed else None,
        review=review,
        created_at=written_at or now,
    )
    return supporter


def many_signers(petition: Petition, place: Place, count: int, *, prefix: str = "reader") -> list[Supporter]:
    """`count` confirmed, consenting signers, written in two statements."""
    now = timezone.now()
    supporters = Supporter.objects.bulk_create(
        Supporter(email=f"{prefix}{n}@example.org", name=f"Reader {n}", language="en", confirmed_at=now)
        for n in range(count)
    )
    Signature.objects.bulk_create(
        Signature(
            petition=petition,
            supporter=supporter,
            place=place,
            email_updates=True,
            consent_version="test",
            confirmed_at=now,
        )
        for supporter in supporters
    )
    return supporters


def variant(language: str = "en", **fields: Any) -> dict[str, Any]:
    texts = {
        "en": {"subject": "News from {{ place }}", "text": "Hello {{ first_name | friend }}, the council meets."},
        "es": {"subject": "Noticias de {{ place }}", "text": "Hola {{ first_name | amiga }}, el concejo se reúne."},
    }
    return {"language": language, **texts.get(language, texts["en"]), **fields}


def mailing_body(**fields: Any) -> dict[str, Any]:
    return {"title": "Council meeting", "variants": [variant("en"), variant("es")], **fields}


MAILINGS = "/api/v1/organizer/campaigns/ring/mailings/"
SEGMENT_SIZE = "/api/v1/organizer/campaigns/ring/segment-size/"
