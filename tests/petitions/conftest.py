"""A campaign with a petition and two places, and a helper that signs it as a form would."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import User
from campaigns.models import Campaign, Membership, Petition, Place, Role
from campaigns.signing import SignatureForm, sign_petition


@pytest.fixture
def bloomfield(db: Any) -> Place:
    return Place.objects.create(
        ocd_id="ocd-division/country:us/state:nj/place:bloomfield",
        name="Bloomfield",
        kind=Place.Kind.TOWNSHIP,
        state="NJ",
    )


@pytest.fixture
def maywood(db: Any) -> Place:
    return Place.objects.create(
        ocd_id="ocd-division/country:us/state:nj/place:maywood", name="Maywood", kind=Place.Kind.BOROUGH, state="NJ"
    )


@pytest.fixture
def ring(alice: User) -> Campaign:
    campaign = Campaign.objects.create(slug="ring", title="End Ring partnerships", is_public=True)
    Membership.objects.create(user=alice, campaign=campaign, role=Role.OWNER)
    return campaign


@pytest.fixture
def petition(ring: Campaign) -> Petition:
    return Petition.objects.create(
        campaign=ring, slug="end-ring", title="End the Ring partnership", text="We ask our council to end it."
    )


def form_for(petition: Petition, place: Place, email: str = "dana@example.org", **choices: Any) -> SignatureForm:
    return SignatureForm(petition=petition, email=email, name="Dana Scully", place=place, language="en", **choices)


def sign(petition: Petition, place: Place, *, visit: dict[str, Any], **choices: Any) -> Any:
    return sign_petition(form_for(petition, place, **choices), visit=visit)
