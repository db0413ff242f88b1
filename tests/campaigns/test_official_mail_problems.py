"""An official whose address bounces or complains is flagged for organizers, and still gets letters."""

from __future__ import annotations

import pytest
from django.test import Client

from campaigns.models import Campaign, Official, Place
from emails.models import Status, Suppression
from emails.outbox import send
from privacy.addresses import address_hash
from tests.conftest import sign_in_with_two_factors
from tests.emails import mailgun, sample_kinds

pytestmark = pytest.mark.django_db

COUNCIL_ADDRESS = "J.Rivera@Bloomfield-NJ.gov"
RING = "/api/v1/organizer/campaigns/ring"


@pytest.fixture(autouse=True)
def _webhooks(settings):
    mailgun.configure(settings)


def report(event: dict) -> int:
    """The provider posts the event to the webhook (from outside: no session)."""
    return mailgun.post(Client(), event).status_code


@pytest.fixture
def place() -> Place:
    return Place.objects.create(
        name="Bloomfield", kind="township", state="NJ", ocd_id="ocd-division/country:us/state:nj/place:bloomfield"
    )


@pytest.fixture
def rivera(ring: Campaign, place: Place) -> Official:
    return Official.objects.create(campaign=ring, place=place, name="J. Rivera", email=COUNCIL_ADDRESS)


@pytest.fixture
def neighbour(ring: Campaign, place: Place) -> Official:
    return Official.objects.create(campaign=ring, place=place, name="K. Okafor", email="k.okafor@bloomfield-nj.gov")


def test_it_flags_the_official_whose_address_hard_bounced(rivera, neighbour):
    # The provider reports the address as it was sent, in whatever case it likes.
    status = report(mailgun.hard_bounce("j.rivera@bloomfield-nj.gov"))

    assert status == 200
    rivera.refresh_from_db()
    neighbour.refresh_from_db()
    assert rivera.mail_problem == "hard bounce"
    assert rivera.mail_problem_at is not None
    assert (neighbour.mail_problem, neighbour.mail_problem_at) == ("", None)


def test_it_flags_the_official_whose_address_complained(rivera):
    report(mailgun.complaint(COUNCIL_ADDRESS))

    rivera.refresh_from_db()
    assert rivera.mail_problem == "spam complaint"


def test_it_keeps_sending_letters_to_a_flagged_official(rivera, mailoutbox, django_capture_on_commit_callbacks):
    report(mailgun.hard_bounce(COUNCIL_ADDRESS))

    with django_capture_on_commit_callbacks(execute=True):
        letter = send(
            sample_kinds.LETTER.name, to=rivera.email, context=sample_kinds.context(), language="en", key="letter:1"
        )

    letter.refresh_from_db()
    assert Suppression.objects.filter(address_hash=address_hash(COUNCIL_ADDRESS)).exists()
    assert letter.status == Status.SENT
    assert [mail.to for mail in mailoutbox] == [[COUNCIL_ADDRESS]]


def test_it_shows_organizers_the_flag_and_lets_nobody_set_it(owner: Client, rivera):
    report(mailgun.hard_bounce(COUNCIL_ADDRESS))

    shown = owner.get(f"{RING}/officials/{rivera.pk}/").json()
    owner.patch(
        f"{RING}/officials/{rivera.pk}/",
        {"mail_problem": "", "mail_problem_at": None, "district": "Ward 2"},
        content_type="application/json",
    )

    assert shown["mail_problem"] == "hard bounce"
    assert shown["mail_problem_at"] is not None
    rivera.refresh_from_db()
    assert (rivera.district, rivera.mail_problem) == ("Ward 2", "hard bounce")


def test_it_shows_the_flag_in_the_admin(operator, client, rivera):
    report(mailgun.hard_bounce(COUNCIL_ADDRESS))
    console = sign_in_with_two_factors(client, operator)

    listed = console.get("/admin/campaigns/official/", {"mail_problem": "yes"})

    assert list(listed.context["cl"].result_list) == [rivera]
    assert b"hard bounce" in listed.content


def test_a_new_address_clears_the_flag_and_the_same_one_keeps_it(owner: Client, rivera):
    report(mailgun.hard_bounce(COUNCIL_ADDRESS))

    owner.patch(f"{RING}/officials/{rivera.pk}/", {"district": "Ward 2"}, content_type="application/json")
    kept = owner.get(f"{RING}/officials/{rivera.pk}/").json()
    owner.patch(
        f"{RING}/officials/{rivera.pk}/", {"email": "jrivera@bloomfieldtwpnj.com"}, content_type="application/json"
    )
    cleared = owner.get(f"{RING}/officials/{rivera.pk}/").json()

    assert kept["mail_problem"] == "hard bounce"
    assert (cleared["mail_problem"], cleared["mail_problem_at"]) == ("", None)
    rivera.refresh_from_db()
    assert (rivera.email, rivera.mail_problem) == ("jrivera@bloomfieldtwpnj.com", "")
