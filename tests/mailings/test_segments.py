"""Segments: only consenting, confirmed, subscribed, unsuppressed supporters, narrowed as asked; size before sending."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.models import Campaign, Petition, Review
from emails.models import EVERY_LIST, Suppression, Unsubscribe
from mailings.models import Audience
from mailings.segments import Segment, members, size
from privacy.addresses import address_hash, address_hashes
from supporters.personal_data import erase
from tests.mailings.conftest import SEGMENT_SIZE, sign, signer, writer

pytestmark = pytest.mark.django_db


def emails_in(segment: Segment) -> list[str]:
    return sorted(str(supporter.email) for supporter in members(segment))


@pytest.fixture
def whole(ring: Campaign) -> Segment:
    return Segment(campaign_id=ring.pk)


def test_it_takes_confirmed_supporters_who_asked_for_updates(whole, petition, bloomfield):
    signer(petition, bloomfield, "dana@example.org")

    assert emails_in(whole) == ["dana@example.org"]


def test_it_leaves_out_who_did_not_ask_for_updates(whole, petition, bloomfield):
    signer(petition, bloomfield, "quiet@example.org", updates=False)

    assert emails_in(whole) == []


def test_it_leaves_out_who_never_confirmed(whole, petition, bloomfield):
    signer(petition, bloomfield, "unsure@example.org", confirmed=False)

    assert emails_in(whole) == []


def test_it_leaves_out_a_confirmed_address_whose_signature_is_not_confirmed(
    whole, petition, second_petition, bloomfield
):
    # Confirmed for another petition without updates; this visit's signature (with updates) never confirmed.
    dana = signer(second_petition, bloomfield, "dana@example.org", updates=False)
    sign(dana, petition, bloomfield, updates=True, confirmed=False)

    assert emails_in(whole) == []


def test_it_leaves_out_signatures_an_organizer_rejected_or_holds(whole, petition, bloomfield):
    signer(petition, bloomfield, "fake@example.org", review=Review.REJECTED)
    signer(petition, bloomfield, "held@example.org", review=Review.HELD)

    assert emails_in(whole) == []


def test_it_leaves_out_suppressed_addresses(whole, petition, bloomfield):
    signer(petition, bloomfield, "bounced@example.org")
    Suppression.objects.create(address_hash=address_hash("Bounced@Example.org"), reason="bounce")

    assert emails_in(whole) == []


def test_it_leaves_out_who_unsubscribed_from_the_campaign_or_from_everything(whole, ring, petition, bloomfield):
    for name in ("left-campaign", "left-all", "left-other-campaign"):
        signer(petition, bloomfield, f"{name}@example.org")
    Unsubscribe.objects.create(address_hash=address_hash("left-campaign@example.org"), list_key=f"campaign:{ring.pk}")
    Unsubscribe.objects.create(address_hash=address_hash("left-all@example.org"), list_key=EVERY_LIST)
    Unsubscribe.objects.create(address_hash=address_hash("left-other-campaign@example.org"), list_key="campaign:999")

    assert emails_in(whole) == ["left-other-campaign@example.org"]


def test_it_leaves_out_erased_supporters(whole, petition, bloomfield):
    signer(petition, bloomfield, "gone@example.org")
    erase(address_hashes("gone@example.org"))

    assert emails_in(whole) == []


def test_it_leaves_out_supporters_of_other_campaigns(whole, alice, bloomfield):
    other = Campaign.objects.create(slug="flock", title="Flock")
    elsewhere = Petition.objects.create(campaign=other, slug="p", title="P", text="P")
    signer(elsewhere, bloomfield, "elsewhere@example.org")

    assert emails_in(whole) == []


def test_it_narrows_to_a_place(ring, petition, bloomfield, maywood):
    signer(petition, bloomfield, "bloomfield@example.org")
    signer(petition, maywood, "maywood@example.org")

    assert emails_in(Segment(campaign_id=ring.pk, place_id=maywood.pk)) == ["maywood@example.org"]


def test_it_narrows_to_a_petition(ring, petition, second_petition, bloomfield):
    signer(petition, bloomfield, "ring@example.org")
    signer(second_petition, bloomfield, "budget@example.org")

    assert emails_in(Segment(campaign_id=ring.pk, petition_id=second_petition.pk)) == ["budget@example.org"]


def test_it_narrows_to_who_signed_after_a_date(ring, petition, bloomfield):
    now = timezone.now()
    signer(petition, bloomfield, "early@example.org", signed_at=now - dt.timedelta(days=30))
    signer(petition, bloomfield, "late@example.org", signed_at=now - dt.timedelta(days=1))

    segment = Segment(campaign_id=ring.pk, signed_after=now - dt.timedelta(days=7))
    assert emails_in(segment) == ["late@example.org"]


def test_it_counts_a_supporter_once_whatever_they_signed(whole, petition, second_petition, bloomfield, maywood):
    dana = signer(petition, bloomfield, "dana@example.org")
    sign(dana, second_petition, maywood)

    assert size(whole) == 1


def test_it_names_the_place_of_the_latest_signature(whole, petition, second_petition, bloomfield, maywood):
    dana = signer(petition, bloomfield, "dana@example.org", signed_at=timezone.now() - dt.timedelta(days=3))
    sign(dana, second_petition, maywood)

    [member] = members(whole)
    assert getattr(member, "place_name", None) == "Maywood"


def test_it_takes_letter_writers_who_asked_for_updates(whole, ring, petition, bloomfield, maywood):
    writer(ring, bloomfield, "fox@example.org")
    writer(ring, maywood, "maywood-writer@example.org")
    writer(ring, bloomfield, "quiet-writer@example.org", updates=False)
    writer(ring, bloomfield, "unsure-writer@example.org", confirmed=False)
    writer(ring, bloomfield, "held-writer@example.org", review=Review.HELD)
    signer(petition, bloomfield, "dana@example.org")

    assert emails_in(whole) == ["dana@example.org", "fox@example.org", "maywood-writer@example.org"]
    writers = Segment(campaign_id=ring.pk, audience=Audience.LETTER_WRITERS)
    assert emails_in(writers) == ["fox@example.org", "maywood-writer@example.org"]
    in_bloomfield = Segment(campaign_id=ring.pk, audience=Audience.LETTER_WRITERS, place_id=bloomfield.pk)
    assert emails_in(in_bloomfield) == ["fox@example.org"]
    signers = Segment(campaign_id=ring.pk, audience=Audience.SIGNERS)
    assert emails_in(signers) == ["dana@example.org"]
    # A petition narrows everyone to its signers: letters are not written to a petition.
    assert emails_in(Segment(campaign_id=ring.pk, petition_id=petition.pk)) == ["dana@example.org"]


def test_it_names_the_place_a_letter_writer_wrote_from(whole, ring, petition, maywood):
    writer(ring, maywood, "fox@example.org")

    [member] = members(whole)
    assert getattr(member, "place_name", None) == "Maywood"


def test_it_narrows_letter_writers_to_who_wrote_after_a_date(ring, petition, bloomfield):
    now = timezone.now()
    writer(ring, bloomfield, "early@example.org", written_at=now - dt.timedelta(days=30))
    writer(ring, bloomfield, "late@example.org", written_at=now - dt.timedelta(days=1))

    segment = Segment(campaign_id=ring.pk, audience=Audience.LETTER_WRITERS, signed_after=now - dt.timedelta(days=7))
    assert emails_in(segment) == ["late@example.org"]


def test_it_applies_unsubscribes_and_suppression_to_letter_writers(whole, ring, petition, bloomfield):
    writer(ring, bloomfield, "left@example.org")
    writer(ring, bloomfield, "bounced@example.org")
    Unsubscribe.objects.create(address_hash=address_hash("left@example.org"), list_key=f"campaign:{ring.pk}")
    Suppression.objects.create(address_hash=address_hash("bounced@example.org"), reason="bounce")

    assert emails_in(whole) == []


def test_it_shows_the_size_before_sending(editor, petition, bloomfield, maywood):
    signer(petition, bloomfield, "one@example.org")
    signer(petition, bloomfield, "two@example.org")
    signer(petition, maywood, "three@example.org")
    signer(petition, maywood, "quiet@example.org", updates=False)

    assert editor.get(SEGMENT_SIZE).json() == {"size": 3}
    assert editor.get(SEGMENT_SIZE, {"place": bloomfield.pk}).json() == {"size": 2}
    assert editor.get(SEGMENT_SIZE, {"petition": petition.pk, "audience": "signers"}).json() == {"size": 3}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"place": "999999"}, "place"),
        ({"place": "bloomfield"}, "place"),
        ({"audience": "donors"}, "audience"),
        ({"signed_after": "last tuesday"}, "signed_after"),
        ({"petition": "999999"}, "petition"),
    ],
)
def test_it_answers_400_naming_the_field_for_a_bad_segment(editor, petition, query, field):
    response = editor.get(SEGMENT_SIZE, query)

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_it_refuses_a_petition_of_another_campaign(editor, petition, alice):
    other = Campaign.objects.create(slug="flock", title="Flock")
    elsewhere = Petition.objects.create(campaign=other, slug="p", title="P", text="P")

    response = editor.get(SEGMENT_SIZE, {"petition": elsewhere.pk})

    assert response.status_code == 400
    assert "petition" in response.json()["fields"]


def test_it_refuses_a_petition_for_letter_writers(editor, petition):
    response = editor.get(SEGMENT_SIZE, {"petition": petition.pk, "audience": "letter_writers"})

    assert response.status_code == 400
    assert "petition" in response.json()["fields"]
