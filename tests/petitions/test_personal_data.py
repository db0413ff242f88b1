"""Signatures in "my data": exported, erased to anonymous counts, purged when never confirmed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from campaigns import tallies
from campaigns.models import Petition, Signature
from privacy import registry, rights
from privacy.addresses import address_hashes
from privacy.retention import purge_expired
from supporters import confirming
from supporters.models import Confirmation, Supporter
from tests.petitions.conftest import sign

DANA = "dana@example.org"
START = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
IP_HASH = "k1$" + "a" * 64


def days(n: float) -> dt.datetime:
    return START + dt.timedelta(days=n)


def confirmed(petition: Petition, place: Any, **choices: Any) -> Signature:
    signature = sign(petition, place, visit={}, **choices)
    assert signature.confirmation is not None
    confirming.confirm(signature.confirmation)
    signature.refresh_from_db()
    return signature


def held_about_dana() -> dict[str, Any]:
    return rights.export(address_hashes(DANA))["held"]["petitions"]


@pytest.fixture
def dana_signed(petition, bloomfield) -> Signature:
    return confirmed(
        petition, bloomfield, comment="Our council must see this.", show_name=True, email_updates=True, ip_hash=IP_HASH
    )


def test_it_exports_the_signature_with_what_was_chosen(dana_signed, maywood):
    other = Petition.objects.create(campaign=dana_signed.petition.campaign, slug="other", title="Other", text="…")
    sign(other, maywood, visit={})

    export = rights.export(address_hashes(DANA))

    [signature] = export["held"]["petitions"]["signatures"]
    assert signature["petition"] == "End the Ring partnership"
    assert signature["place"] == "Bloomfield, NJ"
    assert signature["comment"] == "Our council must see this."
    assert (signature["show_name"], signature["email_updates"], signature["officials_see"]) == (True, True, "count")
    assert signature["confirmed_at"] == dana_signed.confirmed_at.isoformat()
    assert signature["review"] == "accepted"
    assert "Confirmed signatures stay as anonymous counts" in signature["kept_on_erasure"]
    [waiting] = export["held"]["petitions"]["unconfirmed_signatures"]
    assert (waiting["petition"], waiting["confirmed_at"]) == ("Other", None)
    assert "kept_on_erasure" not in waiting


def test_it_leaves_an_anonymous_count_after_erasure(dana_signed, petition, bloomfield):
    counts = rights.erase(address_hashes(DANA))

    assert counts["petitions"] == {"signatures": 1, "unconfirmed_signatures": 0}
    assert held_about_dana() == {"signatures": [], "unconfirmed_signatures": []}
    kept = Signature.objects.get()
    assert (kept.comment, kept.show_name, kept.email_updates, kept.ip_hash) == ("", False, False, None)
    assert (kept.place, kept.confirmed_at) == (bloomfield, dana_signed.confirmed_at)
    supporter = Supporter.objects.get(pk=kept.supporter_id)
    assert (supporter.email, supporter.name) == (None, None)


def test_it_keeps_the_counts_true_after_erasure(dana_signed, petition, bloomfield):
    confirmed(petition, bloomfield, email="fox@example.org")
    before = (tallies.petition_count(petition), tallies.place_count(campaign=petition.campaign, place=bloomfield))

    rights.erase(address_hashes(DANA))

    after = (tallies.petition_count(petition), tallies.place_count(campaign=petition.campaign, place=bloomfield))
    assert before == after == (2, 2)
    assert Signature.objects.counted().count() == 2


def test_it_erases_a_signer_who_never_confirmed_entirely(petition, bloomfield):
    sign(petition, bloomfield, visit={}, comment="Never mind")

    counts = rights.erase(address_hashes(DANA))

    assert counts["petitions"] == {"signatures": 0, "unconfirmed_signatures": 1}
    assert (Signature.objects.count(), Supporter.objects.count(), Confirmation.objects.count()) == (0, 0, 0)


def test_it_runs_before_supporters_whose_rows_signatures_hold_on_to():
    names = [holder.name for holder in registry.holders()]

    assert names.index("petitions") < names.index("supporters")


def test_it_purges_a_signature_never_confirmed_with_its_supporter_at_their_age(petition, bloomfield):
    with time_machine.travel(START, tick=False):
        sign(petition, bloomfield, visit={})

    purge_expired(days(13.9))
    assert (Signature.objects.count(), Supporter.objects.count()) == (1, 1)

    counts = purge_expired(days(14.1))
    assert (Signature.objects.count(), Supporter.objects.count(), Confirmation.objects.count()) == (0, 0, 0)
    assert counts["petitions"] == {"unconfirmed_signatures": 1}
    assert counts["supporters"] == {"confirmations": 1, "supporters": 1}


def test_it_purges_a_signature_added_late_to_a_visit_with_its_visit(petition, bloomfield):
    """Signed again on day 6 in the same visit: the signature joins the day-0 confirmation, and
    goes with it, or the supporter behind it could never be deleted."""
    visit: dict[str, Any] = {}
    with time_machine.travel(START, tick=False):
        sign(petition, bloomfield, visit=visit)
    with time_machine.travel(days(6), tick=False):
        sign(petition, bloomfield, visit=visit, comment="Changed")

    purge_expired(days(14.1))

    assert (Signature.objects.count(), Supporter.objects.count()) == (0, 0)


def test_it_keeps_confirmed_signatures_and_recent_ones_through_the_purge(dana_signed, petition, bloomfield):
    with time_machine.travel(START, tick=False):
        old = sign(petition, bloomfield, visit={}, email="fox@example.org")
    with time_machine.travel(days(10), tick=False):
        recent = sign(petition, bloomfield, visit={}, email="walter@example.org")

    purge_expired(days(14.1))

    remaining = set(Signature.objects.values_list("pk", flat=True))
    assert remaining == {dana_signed.pk, recent.pk}
    assert old.pk not in remaining


def test_it_clears_the_ip_hash_after_30_days_and_keeps_the_signature(petition, bloomfield):
    with time_machine.travel(START, tick=False):
        signature = confirmed(petition, bloomfield, ip_hash=IP_HASH)

    purge_expired(days(29))
    signature.refresh_from_db()
    assert signature.ip_hash == IP_HASH

    counts = purge_expired(days(30.1))
    signature.refresh_from_db()
    assert signature.ip_hash is None
    assert signature.is_counted
    assert counts["ip_hashes"]["campaigns.Signature.ip_hash"] == 1
