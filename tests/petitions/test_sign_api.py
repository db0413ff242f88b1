"""Signing through the API: one answer for every signer, field errors for bad input, nothing half-written."""

from __future__ import annotations

import io
import re
import threading
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from backend.api.body_limits import LimitedJSONParser, PayloadTooLarge
from campaigns import tallies
from campaigns.models import OfficialsSee, Petition, Place, Review, Signature
from campaigns.tracker import track_place
from emails.models import OutboundMessage
from supporters.models import Confirmation, Supporter
from tests.petitions.conftest import DETAIL_URL, MAYWOOD_ZIP, RECENT_URL, SIGN_URL, signer

ACCEPTED = {"detail": "Check your e-mail to confirm your signature."}

pytestmark = pytest.mark.usefixtures("petition", "tracked")


@pytest.fixture
def post(django_capture_on_commit_callbacks: Any) -> Any:
    """POSTs as a new visit (its own client), running what waits for the commit (the mail)."""

    def send(body: Any, *, client: APIClient | None = None, **headers: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return (client or APIClient()).post(SIGN_URL, body, format="json", headers=headers)

    return send


def confirm_by_mail(client: Any, mail: Any) -> None:
    """Opens the e-mailed link's page and presses its button, as the signer does."""
    path = re.search(r"/confirm/[^/\s]+/", mail.body)
    assert path is not None
    assert client.post(path.group(0)).status_code == 200


def nothing_written() -> bool:
    return not (
        Signature.objects.exists()
        or Supporter.objects.exists()
        or Confirmation.objects.exists()
        or OutboundMessage.objects.exists()
    )


def test_it_takes_a_signature_for_the_zip_codes_place_and_mails_the_link(post, bloomfield, mailoutbox):
    response = post(signer(comment="End it.\nPlease.", show_name=True, referrer="mastodon_1"))

    assert (response.status_code, response.json()) == (202, ACCEPTED)
    signature = Signature.objects.get()
    assert (signature.place, signature.comment, signature.show_name) == (bloomfield, "End it.\nPlease.", True)
    assert (signature.referrer, signature.review, signature.confirmed_at) == ("mastodon_1", Review.ACCEPTED, None)
    assert signature.ip_hash
    assert signature.consent_version == signature.petition.consent_version
    assert [mail.to for mail in mailoutbox] == [["dana@example.org"]]


def test_it_answers_a_pending_and_a_confirmed_address_exactly_as_a_new_one(post, client, mailoutbox):
    new = post(signer())
    pending = post(signer(email="DANA@example.org"))
    confirm_by_mail(client, mailoutbox[-1])
    mailed = len(mailoutbox)
    confirmed = post(signer(comment="Again"))

    answers = {(r.status_code, r.content, "sessionid" in r.cookies) for r in (new, pending, confirmed)}
    assert answers == {(202, new.content, True)}
    assert len(mailoutbox) == mailed  # an address that already said yes is not mailed again
    assert Signature.objects.get().comment == ""
    assert tallies.petition_count(Petition.objects.get()) == 1


def test_it_shows_a_confirmation_in_the_public_count_at_once(post, client, mailoutbox):
    post(signer())
    before = APIClient().get(DETAIL_URL)
    confirm_by_mail(client, mailoutbox[0])
    after = APIClient().get(DETAIL_URL)

    assert (before.json()["count"], after.json()["count"]) == (0, 1)
    assert {"public", "max-age=0", "s-maxage=1"} <= {part.strip() for part in after["Cache-Control"].split(",")}


BAD_INPUT = [
    pytest.param({"email": None}, "email", id="no e-mail"),
    pytest.param({"email": "dana@"}, "email", id="not an address"),
    pytest.param({"email": "da\x07na@example.org"}, "email", id="control character in the address"),
    pytest.param({"name": ""}, "name", id="no name"),
    pytest.param({"name": "D" * 101}, "name", id="name too long"),
    pytest.param({"name": "Dana\x1b[31m Scully"}, "name", id="terminal escape in the name"),
    pytest.param({"name": "Dana \u202eylluksc"}, "name", id="bidi override in the name"),
    pytest.param({"comment": "x" * 1001}, "comment", id="comment too long"),
    pytest.param({"comment": "nul\x00byte"}, "comment", id="NUL in the comment"),
    pytest.param({"comment": ["a list"]}, "comment", id="comment not text"),
    pytest.param({"zip": "7003"}, "zip", id="four-digit ZIP"),
    pytest.param({"zip": "0700３"}, "zip", id="ZIP with a full-width digit"),
    pytest.param({"zip": "90210"}, "zip", id="ZIP of no tracked place"),
    pytest.param({"zip": ""}, "zip", id="neither ZIP nor place"),
    pytest.param({"place": "bloomfield"}, "place", id="place not an id"),
    pytest.param({"place": 10**20}, "place", id="place id out of range"),
    pytest.param({"place": 0}, "place", id="place id zero"),
    pytest.param({"officials_see": "everyone"}, "officials_see", id="unknown officials choice"),
    pytest.param({"officials_see": OfficialsSee.NAME_ADDRESS}, "street_address", id="address choice without one"),
    pytest.param(
        {"officials_see": OfficialsSee.NAME_ADDRESS, "street_address": "1 Main St" * 30},
        "street_address",
        id="street address too long",
    ),
    pytest.param({"referrer": "a b"}, "referrer", id="referrer with a space"),
    pytest.param({"referrer": "r" * 41}, "referrer", id="referrer too long"),
    pytest.param({"show_name": "perhaps"}, "show_name", id="show_name not a boolean"),
]


@pytest.mark.parametrize(("change", "field"), BAD_INPUT)
def test_it_answers_bad_input_with_field_messages_and_writes_nothing(post, mailoutbox, change, field):
    response = post(signer(**change))

    body = response.json()
    assert response.status_code == 400, body
    assert body["code"] == "invalid"
    assert list(body["fields"]) == [field]
    assert all(isinstance(message, str) and message for message in body["fields"][field])
    assert nothing_written()
    assert mailoutbox == []


def test_it_refuses_a_place_the_campaign_does_not_track(post, db):
    elsewhere = Place.objects.create(
        ocd_id="ocd-division/country:us/state:nj/place:montclair", name="Montclair", kind="township", state="NJ"
    )

    response = post(signer(place=elsewhere.pk))

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["place"]
    assert nothing_written()


def test_it_lists_the_places_of_a_zip_code_that_covers_several(post, ring, bloomfield):
    essex = Place.objects.create(
        ocd_id="ocd-division/country:us/state:nj/county:essex", name="Essex County", kind="county", state="NJ"
    )
    track_place(campaign=ring, place=essex, actor=None, via="test")

    ambiguous = post(signer())
    chosen = post(signer(place=essex.pk))

    assert ambiguous.status_code == 400
    (message,) = ambiguous.json()["fields"]["place"]
    assert f"Bloomfield, NJ ({bloomfield.pk})" in message
    assert f"Essex County, NJ ({essex.pk})" in message
    assert chosen.status_code == 202
    assert Signature.objects.get().place == essex


def test_it_takes_only_the_petitions_own_place_for_a_one_place_petition(post, bloomfield, maywood):
    Petition.objects.update(place=bloomfield)

    by_zip = post(signer(zip=MAYWOOD_ZIP))
    by_place = post(signer(zip="", place=maywood.pk))
    at_home = post(signer(place=bloomfield.pk))

    assert "Bloomfield" in by_zip.json()["fields"]["zip"][0]
    assert "Bloomfield" in by_place.json()["fields"]["place"][0]
    assert at_home.status_code == 202


def test_it_refuses_a_closed_petition_with_a_clear_message(post):
    Petition.objects.update(is_open=False)

    response = post(signer())

    assert response.status_code == 409
    assert response.json() == {
        "code": "petition_closed",
        "detail": "This petition is closed: it no longer takes signatures.",
    }
    assert nothing_written()


def test_it_refuses_a_body_over_16_kb_unread(post):
    response = post(signer(comment="x" * 17_000))

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert nothing_written()


def test_it_stops_reading_a_body_past_the_cap_whatever_its_length_header_said():
    parser = LimitedJSONParser()

    assert parser.parse(io.BytesIO(b'{"a": 1}')) == {"a": 1}
    with pytest.raises(PayloadTooLarge):
        parser.parse(io.BytesIO(b"[" + b"1," * 10_000 + b"1]"))


def test_it_records_the_language_the_signer_reads(post):
    post(signer(), **{"Accept-Language": "es"})

    assert Confirmation.objects.get().language == "es"


def test_it_answers_404_for_a_petition_of_another_or_a_draft_campaign(post, ring):
    ring.is_public = False
    ring.save()

    assert post(signer()).status_code == 404
    assert APIClient().get(DETAIL_URL).status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_makes_one_signature_from_concurrent_posts(mailoutbox):
    barrier = threading.Barrier(4)
    answers: list[int] = []
    errors: list[BaseException] = []

    def sign() -> None:
        try:
            barrier.wait()
            answers.append(APIClient().post(SIGN_URL, signer(), format="json").status_code)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert answers == [202] * 4
    assert Signature.objects.count() == 1
    assert Supporter.objects.count() == 1


def test_it_lists_recent_signers_who_chose_to_show_their_name_by_first_name_and_initial(post, client, mailoutbox):
    for body in (
        signer(name="Dana Katherine Scully", show_name=True),
        signer(email="fox@example.org", name="Fox Mulder", zip=MAYWOOD_ZIP),  # did not choose to show it
        signer(email="walter@mailinator.com", name="Walter Skinner", show_name=True),  # held: not counted
        signer(email="cher@example.org", name="Cher", show_name=True, zip=MAYWOOD_ZIP),
    ):
        post(body)
        confirm_by_mail(client, mailoutbox[-1])
    post(signer(email="monica@example.org", name="Monica Reyes", show_name=True))  # never confirmed

    response = APIClient().get(RECENT_URL)

    today = timezone.now().date().isoformat()
    assert response.json() == [
        {"first_name": "Cher", "last_initial": "", "place": "Maywood", "confirmed": today},
        {"first_name": "Dana", "last_initial": "S.", "place": "Bloomfield", "confirmed": today},
    ]
    assert b"@" not in response.content
    assert b"Katherine" not in response.content


def test_it_lists_the_campaigns_petitions_with_their_counts(post, client, mailoutbox, bloomfield):
    Petition.objects.create(
        campaign=Petition.objects.get().campaign, slug="bloomfield", title="Bloomfield", text="…", place=bloomfield
    )
    post(signer())
    confirm_by_mail(client, mailoutbox[0])

    response = APIClient().get("/api/v1/campaigns/ring/petitions/")

    by_slug = {petition["slug"]: petition for petition in response.json()["results"]}
    assert by_slug["end-ring"]["count"] == 1
    assert by_slug["end-ring"]["place"] is None
    assert by_slug["bloomfield"]["count"] == 0
    assert by_slug["bloomfield"]["place"] == {"id": bloomfield.pk, "name": "Bloomfield", "state": "NJ"}
    assert set(by_slug["end-ring"]) == {
        "slug",
        "title",
        "text",
        "place",
        "count",
        "signature_goal",
        "consent_version",
        "is_open",
    }


def test_it_reads_the_petition_list_in_a_fixed_number_of_queries(django_assert_max_num_queries, ring):
    for n in range(10):
        Petition.objects.create(campaign=ring, slug=f"p{n}", title=f"P{n}", text="…")

    with django_assert_max_num_queries(4):
        assert len(APIClient().get("/api/v1/campaigns/ring/petitions/").json()["results"]) == 11
