"""Organizers create, change, close and reopen petitions over HTTP: roles, field errors, audit, signable at once."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import AuditEvent, User
from campaigns.models import Campaign, Membership, Petition, Place, Review, Role, Signature
from supporters import confirming
from tests.conftest import sign_in_with_two_factors
from tests.petitions.conftest import SIGN_URL, sign

C = "/api/v1/organizer/campaigns/ring"
NEW = {"slug": "mayor", "title": "To the mayor", "text": "End the Ring partnership.\nNow."}

pytestmark = pytest.mark.usefixtures("tracked")


@pytest.fixture
def member(user_factory: Any, ring: Campaign) -> Any:
    def make(role: Role, email: str) -> User:
        user = user_factory(email)
        Membership.objects.create(user=user, campaign=ring, role=role)
        return user

    return make


@pytest.fixture
def editor_client(member: Any) -> Client:
    return sign_in_with_two_factors(Client(), member(Role.EDITOR, "fox@example.org"))


@pytest.fixture
def viewer_client(member: Any) -> Client:
    return sign_in_with_two_factors(Client(), member(Role.VIEWER, "walter@example.org"))


@pytest.fixture
def montclair(db: Any) -> Place:
    """A place the campaign does not track."""
    return Place.objects.create(
        ocd_id="ocd-division/country:us/state:nj/place:montclair",
        name="Montclair",
        kind=Place.Kind.TOWNSHIP,
        state="NJ",
    )


def send(client: Client, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.generic(method, path, data="" if body is None else json.dumps(body), content_type="application/json")


def sign_up(slug: str, place: Place, email: str = "dana@example.org") -> Any:
    body = {"email": email, "name": "Dana Scully", "place": place.pk}
    return APIClient().post(SIGN_URL.replace("end-ring", slug), body, format="json")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("stranger", {"list": 404, "read": 404, "create": 404, "change": 404, "close": 404}),
        ("viewer", {"list": 200, "read": 200, "create": 403, "change": 403, "close": 403}),
        ("editor", {"list": 200, "read": 200, "create": 201, "change": 200, "close": 200}),
        ("owner", {"list": 200, "read": 200, "create": 201, "change": 200, "close": 200}),
    ],
)
def test_each_role_gets_what_it_may(user_factory, alice, member, ring, petition, role, expected):
    if role == "stranger":
        user = user_factory("stranger@example.org")
        other = Campaign.objects.create(slug="other", title="Other")
        Membership.objects.create(user=user, campaign=other, role=Role.OWNER)
    elif role == "owner":
        user = alice
    else:
        user = member(Role(role), f"{role}@example.org")
    client = sign_in_with_two_factors(Client(), user)

    answers = {
        "list": send(client, "GET", f"{C}/petitions/").status_code,
        "read": send(client, "GET", f"{C}/petitions/{petition.pk}/").status_code,
        "create": send(client, "POST", f"{C}/petitions/", NEW).status_code,
        "change": send(client, "PATCH", f"{C}/petitions/{petition.pk}/", {"title": "Renamed"}).status_code,
        "close": send(client, "POST", f"{C}/petitions/{petition.pk}/close/").status_code,
    }

    assert answers == expected
    petition.refresh_from_db()
    assert (petition.title == "Renamed", petition.is_open) == (
        (True, False) if expected["change"] == 200 else (False, True)
    )
    assert Petition.objects.filter(slug="mayor").exists() is (expected["create"] == 201)


def test_anonymous_callers_are_asked_to_sign_in(petition):
    assert Client().get(f"{C}/petitions/").status_code == 401


def test_a_created_petition_takes_signatures_at_once(editor_client, bloomfield):
    assert sign_up("mayor", bloomfield).status_code == 404  # not there yet, and the 404 is not kept

    response = send(editor_client, "POST", f"{C}/petitions/", {**NEW, "place": bloomfield.pk, "consent_version": "v7"})

    assert response.status_code == 201, response.json()
    body = response.json()
    assert {k: body[k] for k in ("slug", "place", "is_open", "consent_version", "confirmed", "held")} == {
        "slug": "mayor",
        "place": bloomfield.pk,
        "is_open": True,
        "consent_version": "v7",
        "confirmed": 0,
        "held": 0,
    }
    assert sign_up("mayor", bloomfield).status_code == 202
    signature = Signature.objects.get(petition__slug="mayor")
    assert (signature.place, signature.consent_version) == (bloomfield, "v7")


def test_a_creation_is_audited(editor_client, ring):
    response = send(editor_client, "POST", f"{C}/petitions/", NEW)

    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, target_label="To the mayor")
    assert (event.actor_label, event.via, event.campaign_id) == ("fox@example.org", "api", ring.pk)
    assert event.target_id == str(response.json()["id"])
    assert event.changes["text"] == [None, NEW["text"]]
    assert event.changes["place"] == [None, "None"]


def test_viewers_see_each_petition_with_its_confirmed_and_held_counts(viewer_client, ring, petition, bloomfield):
    other = Petition.objects.create(campaign=ring, slug="mayor", title="Mayor", text="x", place=bloomfield)
    for email in ("a@example.org", "b@example.org"):
        signature = sign(petition, bloomfield, visit={}, email=email)
        confirming.confirm(signature.confirmation)
    sign(petition, bloomfield, visit={}, email="c@example.org")  # never confirmed: not counted
    held = sign(petition, bloomfield, visit={}, email="d@example.org", flags=["disposable_domain"])
    confirming.confirm(held.confirmation)
    sign(other, bloomfield, visit={}, email="e@example.org", flags=["disposable_domain"])

    rows = send(viewer_client, "GET", f"{C}/petitions/").json()["results"]

    assert [(row["slug"], row["confirmed"], row["held"]) for row in rows] == [("mayor", 0, 1), ("end-ring", 2, 1)]
    detail = send(viewer_client, "GET", f"{C}/petitions/{petition.pk}/").json()
    assert (detail["title"], detail["text"], detail["confirmed"], detail["held"]) == (
        petition.title,
        petition.text,
        2,
        1,
    )
    assert Signature.objects.filter(review=Review.HELD).count() == 2


def test_another_campaigns_petition_is_not_found(editor_client, user_factory):
    other = Campaign.objects.create(slug="other", title="Other", is_public=True)
    theirs = Petition.objects.create(campaign=other, slug="theirs", title="Theirs", text="x")

    for method, path, body in (
        ("GET", f"{C}/petitions/{theirs.pk}/", None),
        ("PATCH", f"{C}/petitions/{theirs.pk}/", {"title": "Mine"}),
        ("POST", f"{C}/petitions/{theirs.pk}/close/", None),
    ):
        assert send(editor_client, method, path, body).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.title, theirs.is_open) == ("Theirs", True)


BAD_CREATIONS = [
    ({"slug": "end-ring"}, "slug", "Another petition of this campaign has this slug."),
    ({"slug": "Not a slug!"}, "slug", None),
    ({"slug": ""}, "slug", None),
    ({"title": ""}, "title", None),
    ({"title": "x" * 201}, "title", None),
    ({"title": "End\x1b[31m it"}, "title", "Remove the control characters from this text."),
    ({"text": ""}, "text", None),
    ({"text": "x" * 10_001}, "text", None),
    ({"text": "End\x00 it"}, "text", None),
    ({"place": 999_999}, "place", None),
    ({"place": "Bloomfield"}, "place", None),
    ({"consent_version": "v" * 41}, "consent_version", None),
    ({"signature_goal": 0}, "signature_goal", None),
    ({"signature_goal": 3_000_000_000}, "signature_goal", None),
    ({"is_open": "maybe"}, "is_open", None),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_CREATIONS)
def test_it_refuses_a_bad_petition_with_field_messages_and_writes_nothing(
    editor_client, petition, change, field, message
):
    events = AuditEvent.objects.count()

    response = send(editor_client, "POST", f"{C}/petitions/", {**NEW, **change})

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]
    if message:
        assert response.json()["fields"][field] == [message]
    assert list(Petition.objects.values_list("slug", flat=True)) == ["end-ring"]
    assert AuditEvent.objects.count() == events


def test_it_refuses_a_place_the_campaign_does_not_track(editor_client, petition, montclair):
    created = send(editor_client, "POST", f"{C}/petitions/", {**NEW, "place": montclair.pk})
    changed = send(editor_client, "PATCH", f"{C}/petitions/{petition.pk}/", {"place": montclair.pk})

    for response in (created, changed):
        assert response.status_code == 400
        assert response.json()["fields"] == {"place": ["This campaign does not track that place."]}
    petition.refresh_from_db()
    assert petition.place is None
    assert not Petition.objects.filter(slug="mayor").exists()


def test_it_refuses_a_missing_field_on_creation(editor_client):
    response = send(editor_client, "POST", f"{C}/petitions/", {"slug": "mayor"})

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"title", "text"}


def test_an_update_takes_another_petitions_slug_for_no_one(editor_client, ring, petition):
    send(editor_client, "POST", f"{C}/petitions/", NEW)
    mayor = Petition.objects.get(slug="mayor")

    response = send(editor_client, "PATCH", f"{C}/petitions/{mayor.pk}/", {"slug": "end-ring", "title": "Taken"})

    assert response.status_code == 400
    assert response.json()["fields"] == {"slug": ["Another petition of this campaign has this slug."]}
    mayor.refresh_from_db()
    assert (mayor.slug, mayor.title) == ("mayor", "To the mayor")


def test_a_signed_petition_keeps_its_slug_since_signers_links_use_it(editor_client, petition, bloomfield):
    sign(petition, bloomfield, visit={})

    renamed = send(editor_client, "PATCH", f"{C}/petitions/{petition.pk}/", {"slug": "renamed"})
    same = send(editor_client, "PATCH", f"{C}/petitions/{petition.pk}/", {"slug": "end-ring", "title": "Kept"})

    assert renamed.status_code == 400
    assert "slug" in renamed.json()["fields"]
    assert (same.status_code, same.json()["slug"], same.json()["title"]) == (200, "end-ring", "Kept")


def test_an_update_is_audited_with_what_changed(editor_client, ring, petition, bloomfield):
    response = send(
        editor_client,
        "PATCH",
        f"{C}/petitions/{petition.pk}/",
        {"title": "End it now", "place": bloomfield.pk, "consent_version": "2027-01", "signature_goal": 500},
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["place"], response.json()["signature_goal"]) == (bloomfield.pk, 500)
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.changes == {
        "consent_version": ["2026-11", "2027-01"],
        "place": ["None", str(bloomfield.pk)],
        "signature_goal": ["None", "500"],
        "title": ["End the Ring partnership", "End it now"],
    }
    assert (event.campaign_id, event.target_id) == (ring.pk, str(petition.pk))


def test_a_target_place_limits_who_may_sign_at_once(editor_client, petition, bloomfield, maywood):
    assert sign_up("end-ring", maywood, email="a@example.org").status_code == 202  # the petition is kept now

    send(editor_client, "PATCH", f"{C}/petitions/{petition.pk}/", {"place": bloomfield.pk})

    refused = sign_up("end-ring", maywood, email="b@example.org")
    assert refused.status_code == 400
    assert "place" in refused.json()["fields"]
    assert sign_up("end-ring", bloomfield, email="b@example.org").status_code == 202


def test_closing_refuses_signers_at_once_and_reopening_takes_them_again(editor_client, petition, bloomfield):
    assert sign_up("end-ring", bloomfield, email="a@example.org").status_code == 202  # the petition is kept now

    closed = send(editor_client, "POST", f"{C}/petitions/{petition.pk}/close/")
    again = send(editor_client, "POST", f"{C}/petitions/{petition.pk}/close/")

    assert (closed.status_code, closed.json()["is_open"], again.json()["is_open"]) == (200, False, False)
    assert sign_up("end-ring", bloomfield, email="b@example.org").status_code == 409
    events = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE, target_id=str(petition.pk))
    assert [event.changes for event in events] == [{"is_open": ["True", "False"]}]  # closing twice: one event

    reopened = send(editor_client, "POST", f"{C}/petitions/{petition.pk}/reopen/")

    assert reopened.json()["is_open"] is True
    assert sign_up("end-ring", bloomfield, email="b@example.org").status_code == 202
    assert events.all().count() == 2


def test_a_patch_of_is_open_closes_it_too(editor_client, petition, bloomfield):
    response = send(editor_client, "PATCH", f"{C}/petitions/{petition.pk}/", {"is_open": False})

    assert response.json()["is_open"] is False
    assert sign_up("end-ring", bloomfield).status_code == 409


def test_there_is_no_deleting_a_petition(editor_client, petition):
    assert send(editor_client, "DELETE", f"{C}/petitions/{petition.pk}/").status_code == 405
    assert Petition.objects.filter(pk=petition.pk).exists()


# --- The admin


def test_the_operator_reads_signatures_in_the_admin_without_personal_data(client, operator, petition, bloomfield):
    signature = sign(petition, bloomfield, visit={}, comment="My secret comment", ip_hash="iphash-value")
    sign_in_with_two_factors(client, operator)

    page = client.get(f"/admin/campaigns/signature/{signature.pk}/change/")
    listing = client.get("/admin/campaigns/signature/")

    assert (page.status_code, listing.status_code) == (200, 200)
    for response in (page, listing):
        text = response.content.decode()
        assert "My secret comment" not in text and "iphash-value" not in text and "dana@example.org" not in text
    assert client.post(f"/admin/campaigns/signature/{signature.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/campaigns/signature/add/").status_code == 403
    assert Signature.objects.filter(pk=signature.pk).exists()


def test_staff_editors_change_petitions_in_the_admin_audited_and_only_for_tracked_places(
    client, user_factory, ring, petition, bloomfield, montclair
):
    staff = user_factory("staff@example.org", is_staff=True)
    Membership.objects.create(user=staff, campaign=ring, role=Role.EDITOR)
    sign_in_with_two_factors(client, staff)
    url = f"/admin/campaigns/petition/{petition.pk}/change/"
    form = {"campaign": ring.pk, "slug": "end-ring", "title": "Renamed", "text": "x", "consent_version": "1"}

    refused = client.post(url, {**form, "place": montclair.pk})
    saved = client.post(url, {**form, "place": bloomfield.pk, "is_open": "on"})

    assert refused.status_code == 200  # the form again, with its error
    assert "This campaign does not track that place." in refused.content.decode()
    assert saved.status_code == 302
    petition.refresh_from_db()
    assert (petition.title, petition.place) == ("Renamed", bloomfield)
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, via="admin")
    assert event.changes["title"] == ["End the Ring partnership", "Renamed"]
    assert client.get("/admin/campaigns/signature/").status_code == 403  # signatures: the operator's alone
