"""Personal API tokens: shown once, stored as a digest, limited to one campaign and to a role."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent, User
from campaigns import tokens
from campaigns.models import ApiToken, Campaign, Membership, Role
from tests.campaigns.database import rows_containing
from tests.conftest import sign_in_with_two_factors

ORGANIZER = "/api/v1/organizer"
RING = f"{ORGANIZER}/campaigns/ring"
TOKENS = f"{RING}/tokens/"


@pytest.fixture
def other(alice: User) -> Campaign:
    """Another campaign Alice owns: her token for "ring" must not reach it either."""
    campaign = Campaign.objects.create(slug="other", title="Other")
    Membership.objects.create(user=alice, campaign=campaign, role=Role.OWNER)
    return campaign


@pytest.fixture
def issue(owner: Client) -> Any:
    """Alice issues a token through the API; returns the JSON answer."""

    def make(role: str = "owner", name: str = "ci") -> dict[str, Any]:
        response = owner.post(TOKENS, {"name": name, "role": role}, content_type="application/json")
        assert response.status_code == 201, response.content
        return response.json()

    return make


def bearer(secret: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {secret}"})


# Issuing


@pytest.mark.postgres  # scans every row's text with PostgreSQL's row-to-text cast
def test_it_shows_the_secret_once_and_stores_only_a_digest(owner, issue):
    issued = issue("editor", "newsletter sync")
    secret = issued["token"]

    token = ApiToken.objects.get()
    assert secret.startswith("th_")
    assert issued["name"] == "newsletter sync"
    assert issued["role"] == "editor"
    assert issued["prefix"] == secret[:11]
    assert issued["last_used_at"] is None
    assert issued["revoked_at"] is None
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert rows_containing(secret) == []
    listed = owner.get(TOKENS)
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [issued["id"]]
    assert "token" not in listed.json()["results"][0]
    assert secret not in listed.content.decode()
    assert token.digest not in listed.content.decode()


def test_it_gives_each_token_its_own_secret(issue):
    first, second = issue(name="one"), issue(name="two")

    assert first["token"] != second["token"]
    assert ApiToken.objects.count() == 2


def test_it_audits_the_issue_without_the_digest(issue, alice, ring):
    issued = issue()

    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE)
    assert event.actor == alice
    assert event.campaign_id == ring.pk
    assert event.target_id == str(issued["id"])
    assert event.changes["digest"] == [None, "[redacted]"]
    assert issued["token"] not in str(event.changes)


def test_it_refuses_a_role_above_the_members_own(ring, user_factory):
    bob = user_factory("bob@example.org")
    Membership.objects.create(user=bob, campaign=ring, role=Role.EDITOR)
    client = sign_in_with_two_factors(Client(), bob)

    response = client.post(TOKENS, {"name": "ci", "role": "owner"}, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) == ["role"]
    assert "more than your own role" in response.json()["fields"]["role"][0]
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "viewer"}, "name"),
        ({"name": "ci", "role": "admin"}, "role"),
        ({"name": "x" * 101, "role": "viewer"}, "name"),
    ],
    ids=["no-name", "unknown-role", "long-name"],
)
def test_it_names_the_field_of_a_bad_token_request(owner, body, field):
    response = owner.post(TOKENS, body, content_type="application/json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]
    assert not ApiToken.objects.exists()


def test_it_lists_only_the_members_own_tokens(owner, issue, ring, user_factory):
    issue(name="alice's")
    bob = user_factory("bob@example.org")
    Membership.objects.create(user=bob, campaign=ring, role=Role.EDITOR)
    bob_client = sign_in_with_two_factors(Client(), bob)
    bob_client.post(TOKENS, {"name": "bob's", "role": "viewer"}, content_type="application/json")

    assert [row["name"] for row in owner.get(TOKENS).json()["results"]] == ["alice's"]
    assert [row["name"] for row in bob_client.get(TOKENS).json()["results"]] == ["bob's"]


# Using a token


def test_it_reads_the_campaign_with_the_token(issue):
    secret = issue("viewer")["token"]

    response = bearer(secret).get(f"{RING}/")

    assert response.status_code == 200
    assert response.json()["slug"] == "ring"
    assert response.json()["my_role"] == "viewer"


def test_it_records_when_a_token_was_last_used(issue):
    secret = issue("viewer")["token"]
    token = ApiToken.objects.get()
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        bearer(secret).get(f"{RING}/")
    token.refresh_from_db()
    first_use = token.last_used_at
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        bearer(secret).get(f"{RING}/")
    token.refresh_from_db()
    unchanged = token.last_used_at
    with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
        bearer(secret).get(f"{RING}/")
    token.refresh_from_db()

    assert first_use == start
    assert unchanged == start  # within a minute: no write on every request
    assert token.last_used_at == start + dt.timedelta(minutes=2)


def test_it_lists_only_the_tokens_campaign(issue, other):
    secret = issue("viewer")["token"]

    response = bearer(secret).get(f"{ORGANIZER}/campaigns/")

    assert response.status_code == 200
    assert [row["slug"] for row in response.json()["results"]] == ["ring"]


def test_it_cannot_reach_another_campaign(issue, other):
    secret = issue("owner")["token"]
    Campaign.objects.create(slug="stranger", title="Not hers")

    for slug in ("other", "stranger", "missing"):
        response = bearer(secret).get(f"{ORGANIZER}/campaigns/{slug}/")
        assert response.status_code == 404, slug
        assert response.json() == {"code": "not_found", "detail": "Not found."}
    renamed = bearer(secret).patch(
        f"{ORGANIZER}/campaigns/other/", {"title": "Hijacked"}, content_type="application/json"
    )
    assert renamed.status_code == 404
    assert Campaign.objects.get(slug="other").title == "Other"


def test_it_cannot_exceed_the_tokens_role(issue, ring):
    secret = issue("editor")["token"]
    client = bearer(secret)

    renamed = client.patch(f"{RING}/", {"title": "Renamed"}, content_type="application/json")
    deleted = client.delete(f"{RING}/")
    members = client.get(f"{RING}/members/")
    invited = client.post(
        f"{RING}/invitations/", {"email": "x@example.org", "role": "viewer"}, content_type="application/json"
    )

    for response in (renamed, deleted, members, invited):
        assert response.status_code == 403
        assert set(response.json()) == {"code", "detail"}
    assert renamed.json()["detail"] == "This needs the owner role in this campaign."
    ring.refresh_from_db()
    assert ring.title == "End Ring partnerships"
    assert Campaign.objects.filter(slug="ring").exists()


def test_it_does_owner_actions_with_an_owner_token_and_audits_them_as_the_token(issue, ring, alice):
    issued = issue("owner")

    response = bearer(issued["token"]).patch(f"{RING}/", {"title": "Renamed"}, content_type="application/json")

    assert response.status_code == 200
    ring.refresh_from_db()
    assert ring.title == "Renamed"
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.actor == alice
    assert event.via == f"api-token:{issued['prefix']}"
    assert event.changes["title"] == ["End Ring partnerships", "Renamed"]


def test_it_cannot_manage_tokens_or_create_campaigns(issue):
    issued = issue("owner")
    client = bearer(issued["token"])
    events = AuditEvent.objects.count()

    created = client.post(TOKENS, {"name": "more", "role": "viewer"}, content_type="application/json")
    listed = client.get(TOKENS)
    revoked = client.delete(f"{TOKENS}{issued['id']}/")
    campaign = client.post(f"{ORGANIZER}/campaigns/", {"slug": "new", "title": "New"}, content_type="application/json")

    for response in (created, listed, revoked, campaign):
        assert response.status_code == 403
        assert set(response.json()) == {"code", "detail"}
    assert ApiToken.objects.count() == 1
    assert ApiToken.objects.get().revoked_at is None
    assert not Campaign.objects.filter(slug="new").exists()
    assert AuditEvent.objects.count() == events


def test_it_limits_a_token_to_its_members_new_role_after_a_demotion(issue, ring, alice, user_factory):
    secret = issue("owner")["token"]
    Membership.objects.create(user=user_factory("bob@example.org"), campaign=ring, role=Role.OWNER)
    Membership.objects.filter(user=alice, campaign=ring).update(role=Role.VIEWER)
    client = bearer(secret)

    read = client.get(f"{RING}/")
    renamed = client.patch(f"{RING}/", {"title": "Renamed"}, content_type="application/json")

    assert read.status_code == 200
    assert read.json()["my_role"] == "viewer"
    assert renamed.status_code == 403
    ring.refresh_from_db()
    assert ring.title == "End Ring partnerships"


def test_it_stops_a_token_when_its_member_leaves(issue, ring, alice, user_factory):
    secret = issue("viewer")["token"]
    Membership.objects.create(user=user_factory("bob@example.org"), campaign=ring, role=Role.OWNER)
    Membership.objects.filter(user=alice, campaign=ring).delete()

    response = bearer(secret).get(f"{RING}/")

    assert response.status_code == 401


# Tokens that no longer work, or never did


def test_it_refuses_a_revoked_token(owner, issue):
    issued = issue("owner")
    client = bearer(issued["token"])
    assert client.get(f"{RING}/").status_code == 200

    revoked = owner.delete(f"{TOKENS}{issued['id']}/")
    response = client.get(f"{RING}/")

    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert response.status_code == 401
    assert response.json() == {"code": "authentication_failed", "detail": "This token is unknown or revoked."}
    assert [row["revoked_at"] is not None for row in owner.get(TOKENS).json()["results"]] == [True]


def test_it_refuses_the_token_of_a_deactivated_organizer(issue, alice):
    secret = issue("owner")["token"]
    User.objects.filter(pk=alice.pk).update(is_active=False)

    response = bearer(secret).get(f"{RING}/")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert ApiToken.objects.get().last_used_at is None


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        (lambda secret: "Bearer", "Give the token after 'Bearer ', with no spaces in it."),
        (lambda secret: f"Bearer {secret} extra", "Give the token after 'Bearer ', with no spaces in it."),
        (lambda secret: "Bearer a b", "Give the token after 'Bearer ', with no spaces in it."),
        (lambda secret: "Bearer th_unknown", "This token is unknown or revoked."),
        (
            lambda secret: f"Bearer {secret[:-1]}{'A' if secret[-1] != 'A' else 'B'}",
            "This token is unknown or revoked.",
        ),
        (lambda secret: f"Bearer {secret[:-1]}", "This token is unknown or revoked."),
        (lambda secret: f"Bearer {secret[3:]}", "This token is unknown or revoked."),
        (lambda secret: f"Bearer {hashlib.sha256(secret.encode()).hexdigest()}", "This token is unknown or revoked."),
    ],
    ids=["bearer-alone", "extra-part", "two-parts", "unknown", "tampered", "truncated", "no-prefix", "the-digest"],
)
def test_it_refuses_a_malformed_or_unknown_token_in_one_format(issue, ring, header, detail):
    secret = issue("owner")["token"]
    events = AuditEvent.objects.count()
    client = Client(headers={"Authorization": header(secret)})

    read = client.get(f"{RING}/")
    write = client.patch(f"{RING}/", {"title": "Renamed"}, content_type="application/json")

    for response in (read, write):
        assert response.status_code == 401
        assert response.json() == {"code": "authentication_failed", "detail": detail}
        assert response["WWW-Authenticate"] == "Bearer"
    assert AuditEvent.objects.count() == events
    assert ApiToken.objects.get().last_used_at is None
    ring.refresh_from_db()
    assert ring.title == "End Ring partnerships"


def test_it_asks_for_credentials_without_a_header(ring):
    response = Client().get(f"{RING}/")

    assert response.status_code == 401
    assert set(response.json()) == {"code", "detail"}
    assert response.json()["code"] == "not_authenticated"


def test_it_shows_a_token_only_its_own_campaign_at_its_own_role(alice, ring, other):
    membership = Membership.objects.get(user=alice, campaign=ring)
    _, secret = tokens.issue_token(membership=membership, name="ci", role=Role.VIEWER, actor=alice)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    me = client.get("/api/v1/organizer/me/").json()
    campaigns = client.get("/api/v1/organizer/campaigns/").json()["results"]

    assert me["memberships"] == [{"campaign": "ring", "role": "viewer"}]
    assert me["is_operator"] is False
    assert [(c["slug"], c["my_role"]) for c in campaigns] == [("ring", "viewer")]


def test_it_keeps_a_token_on_its_member_in_the_admin(client, alice, ring, user_factory):
    alice.is_staff = True
    alice.save()
    bob = user_factory("bob@example.org")
    bobs = Membership.objects.create(user=bob, campaign=ring, role=Role.EDITOR)
    token, _ = tokens.issue_token(
        membership=Membership.objects.get(user=alice, campaign=ring), name="ci", role=Role.OWNER, actor=alice
    )
    tokens.revoke_token(token=token, actor=alice, via="test")
    sign_in_with_two_factors(client, alice)

    client.post(
        f"/admin/campaigns/apitoken/{token.pk}/change/",
        {"name": "renamed", "membership": bobs.pk, "role": "owner", "revoked_at_0": "", "revoked_at_1": ""},
    )

    token.refresh_from_db()
    assert token.membership.user == alice
    assert token.revoked_at is not None
