"""Mailings and briefing editions in the admin: the operator reads them; nobody adds, edits or deletes there."""

from __future__ import annotations

import pytest

from briefings.models import Delivery, Edition
from campaigns.models import Campaign, Membership, Place, Role
from mailings.models import Mailing, MailingVariant
from tests.conftest import sign_in_with_two_factors

pytestmark = pytest.mark.django_db


@pytest.fixture
def records() -> dict[str, object]:
    ring = Campaign.objects.create(slug="ring", title="End Ring partnerships")
    place = Place.objects.create(
        name="Bloomfield", kind="township", state="NJ", ocd_id="ocd-division/country:us/state:nj/place:bloomfield"
    )
    mailing = Mailing.objects.create(campaign=ring, title="Council vote on Tuesday")
    MailingVariant.objects.create(mailing=mailing, language="en", subject="Vote on Tuesday", text="Come along.")
    edition = Edition.objects.create(campaign=ring, place=place, number=1, fingerprint="f" * 64)
    Delivery.objects.create(edition=edition, official_name="Ana Rivera")
    return {"mailing": mailing, "edition": edition, "campaign": ring}


PAGES = [("mailings", "mailing", "mailing"), ("briefings", "edition", "edition")]


@pytest.mark.parametrize(("app", "model", "record"), PAGES)
def test_the_operator_reads_them(client, operator, records, app, model, record):
    sign_in_with_two_factors(client, operator)
    pk = records[record].pk  # type: ignore[attr-defined]

    listing = client.get(f"/admin/{app}/{model}/")
    detail = client.get(f"/admin/{app}/{model}/{pk}/change/")

    assert listing.status_code == detail.status_code == 200
    assert ("Council vote on Tuesday" if model == "mailing" else "Ana Rivera") in detail.text
    assert 'name="_save"' not in detail.text  # nothing to save: read only
    assert client.get(f"/admin/{app}/{model}/add/").status_code == 403
    assert client.get(f"/admin/{app}/{model}/{pk}/delete/").status_code == 403


@pytest.mark.parametrize(("app", "model", "record"), PAGES)
def test_an_organizer_on_staff_does_not_see_them(client, user_factory, records, app, model, record):
    owner = user_factory("owner@example.org", is_staff=True)
    Membership.objects.create(user=owner, campaign=records["campaign"], role=Role.OWNER)
    sign_in_with_two_factors(client, owner)

    assert client.get(f"/admin/{app}/{model}/").status_code == 403
