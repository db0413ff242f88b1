"""A campaign with a petition and two places, and a helper that signs it as a form would."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import User
from campaigns.models import Campaign, Membership, Petition, Place, Role
from campaigns.signing import SignatureForm, sign_petition
from campaigns.tracker import track_place


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


# --- Signing through the API and the page (test_sign_api.py, test_sign_page.py, test_abuse.py, test_redis_down.py).
SIGN_URL = "/api/v1/campaigns/ring/petitions/end-ring/signatures/"
DETAIL_URL = "/api/v1/campaigns/ring/petitions/end-ring/"
RECENT_URL = "/api/v1/campaigns/ring/petitions/end-ring/recent-signers/"
PAGE_URL = "/campaigns/ring/petitions/end-ring/"
BLOOMFIELD_ZIP = "07003"  # Bloomfield, Essex County, NJ
MAYWOOD_ZIP = "07607"  # Maywood, Bergen County, NJ


@pytest.fixture
def tracked(ring: Campaign, bloomfield: Place, maywood: Place) -> None:
    """The campaign follows both places: people may sign for a place the campaign tracks."""
    for place in (bloomfield, maywood):
        track_place(campaign=ring, place=place, actor=None, via="test")


def signer(**fields: Any) -> dict[str, Any]:
    """A valid API body for Bloomfield, with `fields` changed."""
    return {"email": "dana@example.org", "name": "Dana Scully", "zip": BLOOMFIELD_ZIP, **fields}
