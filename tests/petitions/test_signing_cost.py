"""What one signature costs the database, and the signing view's short memory of petitions and places."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from campaigns.models import Petition, Place, PlaceStatus, Signature
from campaigns.tracker import track_place
from emails.models import OutboundMessage
from supporters.models import Confirmation
from tests.petitions.conftest import SIGN_URL, signer

pytestmark = pytest.mark.usefixtures("petition", "tracked")


def statements(body: dict[str, Any], *, client: APIClient | None = None) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = (client or APIClient()).post(SIGN_URL, body, format="json")
    return response.status_code, [query["sql"].split(" (")[0].split(" SET ")[0] for query in captured]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_signs_for_a_new_address_in_one_transaction_and_one_insert_per_row(bloomfield: Place) -> None:
    status, sql = statements(signer(place=bloomfield.pk, zip=""))

    assert status == 202
    signing = sql[sql.index("BEGIN") : sql.index("COMMIT") + 1]
    assert not [statement for statement in sql if "SAVEPOINT" in statement]
    assert [s for s in signing if s.startswith(("INSERT", "UPDATE"))] == [
        'INSERT INTO "supporters_supporter"',
        'INSERT INTO "supporters_confirmation"',
        'INSERT INTO "emails_outboundmessage"',
        'INSERT INTO "campaigns_signature"',
    ]
    signature = Signature.objects.get()
    assert signature.confirmation == Confirmation.objects.get()
    assert OutboundMessage.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_updates_only_the_confirmation_of_a_known_address_signing_anew(bloomfield: Place) -> None:
    other = Petition.objects.create(campaign=Petition.objects.get().campaign, slug="other", title="Other", text="…")
    APIClient().post(SIGN_URL.replace("end-ring", "other"), signer(place=bloomfield.pk), format="json")

    status, sql = statements(signer(place=bloomfield.pk))

    assert status == 202
    assert [s for s in sql if s.startswith('UPDATE "campaigns_signature"')] == ['UPDATE "campaigns_signature"']
    signature = Signature.objects.exclude(petition=other).get()
    assert signature.confirmation is not None
    assert signature.supporter == Signature.objects.get(petition=other).supporter


def test_it_refuses_a_petition_at_once_when_this_process_closes_it(bloomfield: Place) -> None:
    first = APIClient().post(SIGN_URL, signer(place=bloomfield.pk), format="json")
    petition = Petition.objects.get()
    petition.is_open = False
    petition.save()

    second = APIClient().post(SIGN_URL, signer(email="fox@example.org", place=bloomfield.pk), format="json")

    assert (first.status_code, second.status_code) == (202, 409)
    assert Signature.objects.count() == 1


def test_it_answers_404_at_once_when_this_process_unpublishes_the_campaign(bloomfield: Place) -> None:
    APIClient().post(SIGN_URL, signer(place=bloomfield.pk), format="json")
    campaign = Petition.objects.get().campaign
    campaign.is_public = False
    campaign.save()

    response = APIClient().post(SIGN_URL, signer(email="fox@example.org", place=bloomfield.pk), format="json")

    assert response.status_code == 404
    assert Signature.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_checks_the_place_of_a_burst_of_signers_without_asking_the_database_again(bloomfield: Place) -> None:
    APIClient().post(SIGN_URL, signer(email="fox@example.org", place=bloomfield.pk, zip=""), format="json")

    status, sql = statements(signer(place=bloomfield.pk, zip=""))

    assert status == 202
    assert not [s for s in sql if '"campaigns_place"' in s or '"campaigns_placestatus"' in s]
    assert [signature.place for signature in Signature.objects.all()] == [bloomfield, bloomfield]


def test_it_takes_a_place_at_once_when_this_process_starts_tracking_it(bloomfield: Place) -> None:
    newark = Place.objects.create(
        ocd_id="ocd-division/country:us/state:nj/place:newark", name="Newark", kind=Place.Kind.CITY, state="NJ"
    )
    refused = APIClient().post(SIGN_URL, signer(place=newark.pk, zip=""), format="json")
    track_place(campaign=Petition.objects.get().campaign, place=newark, actor=None, via="test")

    taken = APIClient().post(SIGN_URL, signer(place=newark.pk, zip=""), format="json")

    assert refused.status_code == 400
    assert "place" in refused.json()["fields"]
    assert taken.status_code == 202
    assert Signature.objects.get().place == newark


def test_it_refuses_a_place_at_once_when_this_process_stops_tracking_it(bloomfield: Place) -> None:
    first = APIClient().post(SIGN_URL, signer(place=bloomfield.pk, zip=""), format="json")
    PlaceStatus.objects.get(place=bloomfield).delete()

    second = APIClient().post(SIGN_URL, signer(email="fox@example.org", place=bloomfield.pk, zip=""), format="json")
    by_zip = APIClient().post(SIGN_URL, signer(email="mulder@example.org"), format="json")

    assert (first.status_code, second.status_code, by_zip.status_code) == (202, 400, 400)
    assert "place" in second.json()["fields"]
    assert "zip" in by_zip.json()["fields"]
    assert Signature.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_count_readers_share_the_short_memory_and_see_this_processs_change_at_once() -> None:
    detail = SIGN_URL.removesuffix("signatures/")
    APIClient().get(detail)

    with CaptureQueriesContext(connection) as captured:
        again = APIClient().get(detail)
    # Read now: the next request empties the connection's query log that the capture reads from.
    petition_queries = [query for query in captured if '"campaigns_petition"' in query["sql"].split(" WHERE ")[0]]
    petition = Petition.objects.get()
    petition.title = "End the Ring partnership now"
    petition.save()
    renamed = APIClient().get(detail)

    assert again.status_code == 200
    assert petition_queries == []
    assert renamed.json()["title"] == "End the Ring partnership now"
