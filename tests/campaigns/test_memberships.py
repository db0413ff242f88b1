"""Creating campaigns and managing who belongs to them, with at least one owner always left."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client

from accounts.models import AuditEvent, User
from campaigns import memberships
from campaigns.models import Campaign, Membership, Role
from tests.conftest import sign_in_with_two_factors

CAMPAIGNS = "/api/v1/organizer/campaigns/"
MEMBERS = f"{CAMPAIGNS}ring/members/"
LAST_OWNER = "A campaign needs at least one owner; make someone else owner first."


@pytest.fixture
def bob(user_factory: Any, ring: Campaign) -> User:
    user = user_factory("bob@example.org")
    Membership.objects.create(user=user, campaign=ring, role=Role.VIEWER)
    return user


def membership_of(user: User, campaign: Campaign) -> Membership:
    return Membership.objects.get(user=user, campaign=campaign)


def patch_role(client: Client, membership: Membership, role: str) -> Any:
    return client.patch(f"{MEMBERS}{membership.pk}/", {"role": role}, content_type="application/json")


# Changing roles and removing members


def test_it_changes_a_members_role(owner, ring, bob, alice):
    membership = membership_of(bob, ring)

    response = patch_role(owner, membership, "editor")

    assert response.status_code == 200
    assert response.json()["role"] == "editor"
    assert response.json()["email"] == "bob@example.org"
    assert membership_of(bob, ring).role == Role.EDITOR
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.actor == alice
    assert event.target_id == str(membership.pk)
    assert event.changes == {"role": ["viewer", "editor"]}


def test_it_makes_a_member_owner_who_can_then_manage_members(owner, ring, bob):
    patch_role(owner, membership_of(bob, ring), "owner")

    response = sign_in_with_two_factors(Client(), bob).get(MEMBERS)

    assert response.status_code == 200


def test_it_refuses_an_unknown_role(owner, ring, bob):
    response = patch_role(owner, membership_of(bob, ring), "admin")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["role"]
    assert membership_of(bob, ring).role == Role.VIEWER


def test_it_removes_a_member(owner, ring, bob, alice):
    membership = membership_of(bob, ring)

    response = owner.delete(f"{MEMBERS}{membership.pk}/")

    assert response.status_code == 204
    assert not Membership.objects.filter(user=bob, campaign=ring).exists()
    assert User.objects.filter(pk=bob.pk).exists()  # the account stays; only the membership goes
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETE)
    assert event.actor == alice
    assert event.target_id == str(membership.pk)
    assert event.changes["role"] == ["viewer", None]
    gone = sign_in_with_two_factors(Client(), bob).get(f"{CAMPAIGNS}ring/")
    assert gone.status_code == 404


def test_it_does_not_reach_a_member_of_another_campaign(owner, user_factory):
    other = Campaign.objects.create(slug="other", title="Other")
    carol = Membership.objects.create(user=user_factory("carol@example.org"), campaign=other, role=Role.VIEWER)

    changed = patch_role(owner, carol, "owner")
    removed = owner.delete(f"{MEMBERS}{carol.pk}/")

    assert changed.status_code == 404
    assert removed.status_code == 404
    carol.refresh_from_db()
    assert carol.role == Role.VIEWER


def test_it_lets_only_owners_manage_members(ring, bob, alice):
    Membership.objects.filter(user=bob).update(role=Role.EDITOR)
    client = sign_in_with_two_factors(Client(), bob)
    alices = membership_of(alice, ring)

    changed = patch_role(client, alices, "viewer")
    removed = client.delete(f"{MEMBERS}{alices.pk}/")

    assert changed.status_code == 403
    assert removed.status_code == 403
    assert membership_of(alice, ring).role == Role.OWNER


# The last owner


def test_it_refuses_to_demote_the_last_owner(owner, ring, alice, bob):
    events = AuditEvent.objects.count()

    response = patch_role(owner, membership_of(alice, ring), "editor")

    assert response.status_code == 400
    assert response.json()["fields"] == {"role": [LAST_OWNER]}
    assert membership_of(alice, ring).role == Role.OWNER
    assert AuditEvent.objects.count() == events


def test_it_refuses_to_remove_the_last_owner(owner, ring, alice, bob):
    events = AuditEvent.objects.count()

    response = owner.delete(f"{MEMBERS}{membership_of(alice, ring).pk}/")

    assert response.status_code == 400
    assert LAST_OWNER in str(response.json()["fields"])
    assert membership_of(alice, ring).role == Role.OWNER
    assert AuditEvent.objects.count() == events


def test_it_lets_an_owner_step_down_when_another_owner_remains(owner, ring, alice, bob):
    Membership.objects.filter(user=bob).update(role=Role.OWNER)

    response = patch_role(owner, membership_of(alice, ring), "viewer")

    assert response.status_code == 200
    assert list(Membership.objects.owners().filter(campaign=ring).values_list("user", flat=True)) == [bob.pk]


def test_it_lets_an_owner_leave_when_another_owner_remains(owner, ring, alice, bob):
    Membership.objects.filter(user=bob).update(role=Role.OWNER)

    response = owner.delete(f"{MEMBERS}{membership_of(alice, ring).pk}/")

    assert response.status_code == 204
    assert list(Membership.objects.filter(campaign=ring).values_list("user", "role")) == [(bob.pk, "owner")]


def test_it_keeps_a_non_owner_change_free_of_the_owner_rule(owner, ring, bob):
    assert patch_role(owner, membership_of(bob, ring), "editor").status_code == 200
    assert owner.delete(f"{MEMBERS}{membership_of(bob, ring).pk}/").status_code == 204


def together(monkeypatch: pytest.MonkeyPatch, *calls: Any) -> list[Any]:
    """Runs the calls in threads started together, each pausing after its owner check.

    The pause lets both pass the check before either writes, unless the check's lock makes the
    second wait for the first to finish.
    """
    check = memberships._refuse_if_last_owner

    def check_then_pause(membership: Membership) -> None:
        check(membership)
        time.sleep(0.3)

    monkeypatch.setattr(memberships, "_refuse_if_last_owner", check_then_pause)
    start = threading.Barrier(len(calls), timeout=10)
    results: list[Any] = []

    def run(call: Any) -> None:
        try:
            start.wait()
            results.append(call())
        except Exception as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == len(calls)
    return results


@pytest.fixture
def two_owners(ring: Campaign, alice: User, user_factory: Any) -> tuple[Client, Membership, Client, Membership]:
    carol = user_factory("carol@example.org")
    Membership.objects.create(user=carol, campaign=ring, role=Role.OWNER)
    alice_client = sign_in_with_two_factors(Client(), alice)
    carol_client = sign_in_with_two_factors(Client(), carol)
    return alice_client, membership_of(alice, ring), carol_client, membership_of(carol, ring)


@pytest.mark.django_db(transaction=True)
def test_it_leaves_an_owner_when_two_owners_demote_each_other_at_once(two_owners, ring, monkeypatch):
    alice_client, alices, carol_client, carols = two_owners

    responses = together(
        monkeypatch,
        lambda: patch_role(alice_client, carols, "viewer"),
        lambda: patch_role(carol_client, alices, "viewer"),
    )

    assert sorted(response.status_code for response in responses) == [200, 400]
    assert Membership.objects.owners().filter(campaign=ring).count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_leaves_an_owner_when_two_owners_remove_each_other_at_once(two_owners, ring, monkeypatch):
    alice_client, alices, carol_client, carols = two_owners

    responses = together(
        monkeypatch,
        lambda: alice_client.delete(f"{MEMBERS}{carols.pk}/"),
        lambda: carol_client.delete(f"{MEMBERS}{alices.pk}/"),
    )

    assert sorted(response.status_code for response in responses) == [204, 400]
    assert Membership.objects.owners().filter(campaign=ring).count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_leaves_an_owner_when_both_owners_step_down_at_once(two_owners, ring, monkeypatch):
    alice_client, alices, carol_client, carols = two_owners

    responses = together(
        monkeypatch,
        lambda: patch_role(alice_client, alices, "editor"),
        lambda: patch_role(carol_client, carols, "editor"),
    )

    assert sorted(response.status_code for response in responses) == [200, 400]
    assert Membership.objects.owners().filter(campaign=ring).count() == 1


# Reading the member list


def test_it_lists_members_and_audits_the_read_of_personal_data(owner, ring, bob, alice):
    response = owner.get(MEMBERS)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert sorted((row["email"], row["role"]) for row in rows) == [
        ("alice@example.org", "owner"),
        ("bob@example.org", "viewer"),
    ]
    assert all(row["has_two_factors"] for row in rows)
    event = AuditEvent.objects.get(action=AuditEvent.Action.READ_PERSONAL_DATA)
    assert event.actor == alice
    assert event.via == "api"
    assert event.campaign_id == ring.pk
    assert event.target_type == ContentType.objects.get_for_model(Membership)
    assert event.row_count == 2
    assert "bob@example.org" not in str(event.details)


def test_it_counts_only_the_rows_of_the_page_read(owner, ring, user_factory):
    for n in range(3):
        Membership.objects.create(user=user_factory(f"m{n}@example.org"), campaign=ring, role=Role.VIEWER)

    response = owner.get(f"{MEMBERS}?page_size=2")

    assert len(response.json()["results"]) == 2
    event = AuditEvent.objects.get(action=AuditEvent.Action.READ_PERSONAL_DATA)
    assert event.row_count == 2
    assert event.details == {"filters": {"parameters": ["page_size"]}}  # names only, never values


def test_it_shows_who_has_no_second_factor(owner, ring, user_factory):
    Membership.objects.create(user=user_factory("new@example.org", two_factors=False), campaign=ring, role=Role.VIEWER)

    rows = owner.get(MEMBERS).json()["results"]

    assert {row["email"]: row["has_two_factors"] for row in rows} == {
        "alice@example.org": True,
        "new@example.org": False,
    }


def test_it_audits_no_read_when_the_list_is_refused(ring, bob):
    response = sign_in_with_two_factors(Client(), bob).get(MEMBERS)

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.READ_PERSONAL_DATA).exists()


# Creating campaigns


def test_it_makes_the_creator_owner_of_a_new_campaign(two_factor_client, alice):
    response = two_factor_client.post(
        CAMPAIGNS, {"slug": "clean-air", "title": "Clean air", "is_public": True}, content_type="application/json"
    )

    assert response.status_code == 201
    assert response.json()["slug"] == "clean-air"
    assert response.json()["my_role"] == "owner"
    campaign = Campaign.objects.get(slug="clean-air")
    assert (campaign.title, campaign.is_public) == ("Clean air", True)
    assert list(campaign.memberships.values_list("user", "role")) == [(alice.pk, "owner")]
    assert two_factor_client.get(f"{CAMPAIGNS}clean-air/members/").status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE)
    assert event.actor == alice
    assert event.campaign_id == campaign.pk


def test_it_creates_a_draft_unless_told_otherwise(two_factor_client):
    two_factor_client.post(CAMPAIGNS, {"slug": "draft", "title": "Draft"}, content_type="application/json")

    assert Campaign.objects.get(slug="draft").is_public is False


def test_it_refuses_a_duplicate_slug(two_factor_client, ring, user_factory):
    response = two_factor_client.post(CAMPAIGNS, {"slug": "ring", "title": "Again"}, content_type="application/json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["slug"]
    assert Campaign.objects.filter(slug="ring").count() == 1
    assert Campaign.objects.get(slug="ring").title == "End Ring partnerships"


def test_it_refuses_a_slug_taken_by_a_campaign_the_creator_does_not_belong_to(user_factory):
    Campaign.objects.create(slug="ring", title="Someone else's")
    carol = user_factory("carol@example.org")
    client = sign_in_with_two_factors(Client(), carol)

    response = client.post(CAMPAIGNS, {"slug": "ring", "title": "Mine"}, content_type="application/json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["slug"]
    assert not Membership.objects.filter(user=carol).exists()


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"slug": "clean-air"}, {"title": ["This field is required."]}),
        ({"slug": "clean-air", "title": ""}, {"title": ["This field may not be blank."]}),
        ({"title": "Clean air"}, {"slug": ["This field is required."]}),
        ({"slug": "clean air!", "title": "Clean air"}, {"slug": None}),
        ({"slug": "x" * 81, "title": "Clean air"}, {"slug": None}),
        ({}, {"slug": ["This field is required."], "title": ["This field is required."]}),
    ],
    ids=["no-title", "blank-title", "no-slug", "invalid-slug", "long-slug", "empty"],
)
def test_it_names_the_fields_of_a_bad_campaign(two_factor_client, body, fields):
    response = two_factor_client.post(CAMPAIGNS, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["fields"]) == set(fields)
    for name, messages in fields.items():
        assert response.json()["fields"][name]
        if messages is not None:
            assert response.json()["fields"][name] == messages
    assert not Campaign.objects.exists()
    assert not Membership.objects.exists()
