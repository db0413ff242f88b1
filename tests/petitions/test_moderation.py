"""Moderation: held signatures count only once approved, rejected ones never, each decision audited."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from accounts.models import AuditEvent, User
from campaigns import tallies
from campaigns.models import Campaign, Membership, Petition, Review, Role, Signature
from campaigns.moderation import approve_signature, reject_signature
from supporters import confirming
from tests.conftest import sign_in_with_two_factors
from tests.petitions.conftest import sign

HELD = "/api/v1/organizer/campaigns/ring/signatures/held/"


def held(petition: Petition, place: Any, **choices: Any) -> Signature:
    return sign(petition, place, visit={}, flags=["disposable_domain"], **choices)


def confirm(signature: Signature) -> Signature:
    assert signature.confirmation is not None
    confirming.confirm(signature.confirmation)
    signature.refresh_from_db()
    return signature


def count(petition: Petition) -> int:
    return tallies.petition_count(petition)


@pytest.fixture
def editor(user_factory: Any, ring: Campaign) -> User:
    user = user_factory("fox@example.org")
    Membership.objects.create(user=user, campaign=ring, role=Role.EDITOR)
    return user


@pytest.fixture
def editor_client(client: Any, editor: User) -> Any:
    return sign_in_with_two_factors(client, editor)


def test_it_counts_a_confirmed_held_signature_once_approved(petition, bloomfield, alice):
    signature = confirm(held(petition, bloomfield))
    assert count(petition) == 0

    approve_signature(signature=signature, actor=alice, via="api")

    assert count(petition) == 1
    assert tallies.place_count(campaign=petition.campaign, place=bloomfield) == 1
    assert Signature.objects.counted().get() == signature


def test_it_counts_an_approved_signature_when_it_is_confirmed_later(petition, bloomfield, alice):
    signature = approve_signature(signature=held(petition, bloomfield), actor=alice, via="api")
    assert count(petition) == 0

    confirm(signature)

    assert count(petition) == 1


def test_it_takes_a_rejected_signature_out_of_the_count(petition, bloomfield, alice):
    signature = confirm(sign(petition, bloomfield, visit={}))
    assert count(petition) == 1

    reject_signature(signature=signature, actor=alice, via="api")

    assert count(petition) == 0
    assert tallies.place_count(campaign=petition.campaign, place=bloomfield) == 0


def test_it_never_counts_a_rejected_signature_even_once_confirmed(petition, bloomfield, alice):
    signature = reject_signature(signature=held(petition, bloomfield), actor=alice, via="api")

    confirm(signature)

    assert signature.review == Review.REJECTED
    assert count(petition) == 0


def test_it_keeps_a_rejection_when_the_address_signs_again(petition, bloomfield, alice):
    reject_signature(signature=held(petition, bloomfield), actor=alice, via="api")

    again = sign(petition, bloomfield, visit={})
    confirm(again)

    assert (again.review, again.flags) == (Review.REJECTED, ["disposable_domain"])
    assert count(petition) == 0


def test_it_keeps_a_signature_held_when_the_address_signs_again_without_a_flag(petition, bloomfield):
    held(petition, bloomfield)

    again = confirm(sign(petition, bloomfield, visit={}, flags=["ip_burst"]))

    assert (again.review, again.flags) == (Review.HELD, ["disposable_domain", "ip_burst"])
    assert count(petition) == 0


def test_it_counts_once_however_often_it_is_approved(petition, bloomfield, alice):
    signature = confirm(held(petition, bloomfield))

    approve_signature(signature=signature, actor=alice, via="api")
    approve_signature(signature=signature, actor=alice, via="api")

    assert count(petition) == 1
    assert AuditEvent.objects.filter(target_label="signature").count() == 1


def test_it_lets_an_organizer_undo_a_rejection(petition, bloomfield, alice):
    signature = confirm(held(petition, bloomfield))
    reject_signature(signature=signature, actor=alice, via="api")

    approve_signature(signature=signature, actor=alice, via="api")

    assert count(petition) == 1


def test_it_audits_each_decision_without_personal_data(petition, bloomfield, alice):
    signature = confirm(held(petition, bloomfield, comment="Call me on 555-0100"))

    approve_signature(signature=signature, actor=alice, via="api-token:th_abc")

    event = AuditEvent.objects.get(target_label="signature")
    assert (event.actor, event.via, event.action) == (alice, "api-token:th_abc", AuditEvent.Action.UPDATE)
    assert event.campaign_id == petition.campaign_id
    assert event.changes == {"review": ["held", "accepted"]}


# --- The organizer API


def test_it_lists_held_signatures_without_personal_data(editor_client, petition, bloomfield, maywood):
    first = held(petition, bloomfield, comment="Private words")
    second = confirm(held(petition, maywood, email="fox.mulder@example.org"))
    sign(petition, bloomfield, visit={}, email="walter@example.org")  # accepted: not in the queue

    response = editor_client.get(HELD)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [first.pk, second.pk]
    assert rows[1] == {
        "id": second.pk,
        "petition": "end-ring",
        "place": {"id": maywood.pk, "name": "Maywood", "state": "NJ"},
        "created": rows[1]["created"],
        "flags": ["disposable_domain"],
        "confirmed": True,
        "review": "held",
    }
    assert rows[0]["confirmed"] is False
    for secret in ("dana", "fox.mulder", "Private words", "Scully"):
        assert secret not in response.content.decode()


def test_it_lists_only_this_campaigns_signatures(editor_client, petition, bloomfield):
    other = Campaign.objects.create(slug="other", title="Other")
    held(Petition.objects.create(campaign=other, slug="x", title="X", text="…"), bloomfield)

    assert editor_client.get(HELD).json()["results"] == []


def test_it_lists_the_queue_in_a_fixed_number_of_queries(
    editor_client, petition, bloomfield, django_assert_max_num_queries
):
    held(petition, bloomfield)
    editor_client.get(HELD)  # warm: the session, the content types
    with django_assert_max_num_queries(8) as few:
        editor_client.get(HELD)
    for n in range(5):
        held(petition, bloomfield, email=f"signer{n}@example.org")

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(editor_client.get(HELD).json()["results"]) == 6


def test_it_approves_through_the_api(editor_client, editor, petition, bloomfield):
    signature = confirm(held(petition, bloomfield))

    response = editor_client.post(f"/api/v1/organizer/campaigns/ring/signatures/{signature.pk}/approve/")

    assert response.status_code == 200
    assert response.json()["review"] == "accepted"
    assert count(petition) == 1
    assert AuditEvent.objects.get(target_label="signature").actor == editor
    assert editor_client.get(HELD).json()["results"] == []


def test_it_rejects_through_the_api(editor_client, petition, bloomfield):
    signature = confirm(sign(petition, bloomfield, visit={}))

    response = editor_client.post(f"/api/v1/organizer/campaigns/ring/signatures/{signature.pk}/reject/")

    assert (response.status_code, response.json()["review"]) == (200, "rejected")
    assert count(petition) == 0


def test_it_answers_404_for_another_campaigns_signature(editor_client, bloomfield):
    other = Campaign.objects.create(slug="other", title="Other")
    signature = held(Petition.objects.create(campaign=other, slug="x", title="X", text="…"), bloomfield)

    response = editor_client.post(f"/api/v1/organizer/campaigns/ring/signatures/{signature.pk}/approve/")

    assert response.status_code == 404
    signature.refresh_from_db()
    assert signature.review == Review.HELD


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_counts_once_when_two_organizers_approve_at_the_same_moment(petition, bloomfield, alice):
    signature = confirm(held(petition, bloomfield))
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def approve() -> None:
        try:
            barrier.wait()
            approve_signature(signature=signature, actor=alice, via="api")
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert count(petition) == 1
