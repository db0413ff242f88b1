"""A campaign tracking Bloomfield and Maywood, their officials, a letter drive, and writing as a form would."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from campaigns.letters.writing import LetterForm, write_letter
from campaigns.models import Campaign, Letter, LetterCampaign, Membership, Official, Place, Role
from campaigns.tracker import track_place
from supporters import confirming
from tests.conftest import sign_in_with_two_factors

TEMPLATE = (
    "Dear {{ official_name }},\n\n"
    "I live in {{ place }} and I ask the council to end the police partnership with Amazon Ring. "
    "Police should not ask residents for their camera footage without a warrant, and the city "
    "should not advertise a private company's products.\n\n"
    "Sincerely,\n{{ supporter_name }}"
)
WRITE_URL = "/api/v1/campaigns/ring/letters/end-ring/letters/"
PAGE_URL = "/campaigns/ring/letters/end-ring/"
BLOOMFIELD_ZIP = "07003"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    return django_capture_on_commit_callbacks


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
def ring(alice: User, bloomfield: Place, maywood: Place) -> Campaign:
    campaign = Campaign.objects.create(
        slug="ring", title="End Ring partnerships", is_public=True, sending_address="letters@ring.example.org"
    )
    Membership.objects.create(user=alice, campaign=campaign, role=Role.OWNER)
    for place in (bloomfield, maywood):
        track_place(campaign=campaign, place=place, actor=None, via="test")
    return campaign


@pytest.fixture
def officials(ring: Campaign, bloomfield: Place, maywood: Place) -> dict[str, Official]:
    today = timezone.localdate()
    make = Official.objects.create
    return {
        "rivera": make(campaign=ring, place=bloomfield, name="Ana Rivera", email="rivera@bloomfield.example.gov"),
        "chen": make(
            campaign=ring,
            place=bloomfield,
            name="Li Chen",
            office=Official.Office.COUNCIL_PRESIDENT,
            email="chen@bloomfield.example.gov",
        ),
        "mayor": make(
            campaign=ring, place=bloomfield, name="Mo Mayor", office=Official.Office.MAYOR, email="mayor@b.example.gov"
        ),
        "former": make(
            campaign=ring,
            place=bloomfield,
            name="Old Member",
            email="old@bloomfield.example.gov",
            term_start=today - dt.timedelta(days=2000),
            term_end=today - dt.timedelta(days=5),
        ),
        "future": make(
            campaign=ring,
            place=bloomfield,
            name="New Member",
            email="new@bloomfield.example.gov",
            term_start=today + dt.timedelta(days=30),
        ),
        "inactive": make(
            campaign=ring, place=bloomfield, name="Gone Member", email="gone@bloomfield.example.gov", is_active=False
        ),
        "maywood": make(campaign=ring, place=maywood, name="May Wood", email="wood@maywood.example.gov"),
    }


@pytest.fixture
def drive(ring: Campaign) -> LetterCampaign:
    return LetterCampaign.objects.create(
        campaign=ring,
        slug="end-ring",
        title="Write to your council",
        subject_template="End the Ring partnership in {{ place }}",
        body_template=TEMPLATE,
        held_words="idiot\nburn it down",
    )


def form_for(drive: LetterCampaign, place: Place, email: str = "dana@example.org", **choices: Any) -> LetterForm:
    body = choices.pop("body", TEMPLATE)
    return LetterForm(
        letter_campaign=drive, email=email, name="Dana Scully", place=place, body=body, language="en", **choices
    )


def write(drive: LetterCampaign, place: Place, *, visit: dict[str, Any] | None = None, **choices: Any) -> Letter:
    return write_letter(form_for(drive, place, **choices), visit={} if visit is None else visit)


def confirm_link_of(mail: Any) -> Any:
    return confirming.read_link(mail.body.split("/confirm/")[1].split("/")[0])


def write_and_confirm(
    drive: LetterCampaign, place: Place, mailoutbox: list[Any], on_commit: Any, **choices: Any
) -> Letter:
    """A letter written and confirmed, with every after-commit step run (planning, delivery)."""
    before = len(mailoutbox)
    with on_commit(execute=True):
        letter = write(drive, place, **choices)
    with on_commit(execute=True):
        confirming.confirm(confirm_link_of(mailoutbox[before]))
    letter.refresh_from_db()
    return letter


def letters_to(mailoutbox: list[Any], address: str) -> list[Any]:
    return [mail for mail in mailoutbox if mail.to == [address]]


@pytest.fixture
def editor(user_factory: Any, ring: Campaign) -> User:
    user = user_factory("fox@example.org")
    Membership.objects.create(user=user, campaign=ring, role=Role.EDITOR)
    return user


@pytest.fixture
def editor_client(client: Any, editor: User) -> Any:
    return sign_in_with_two_factors(client, editor)


@pytest.fixture
def owner_client(client: Any, alice: User) -> Any:
    return sign_in_with_two_factors(client, alice)
