"""Owners invite organizers by e-mail; the link opens a page that creates an account or accepts once."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import smtplib
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent, User
from campaigns import invitations
from campaigns.models import Invitation, Membership, Role
from tests.campaigns.database import rows_containing
from tests.conftest import sign_in_with_two_factors

INVITATIONS = "/api/v1/organizer/campaigns/ring/invitations/"
NEW_PASSWORD = "a long unusual passphrase"
LINK = re.compile(r"https?://\S+/invitations/[^/\s]+/")


@pytest.fixture
def send(owner: Client, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any) -> Any:
    """Invites through the API as the owner; returns the response and the link's path from the mail."""

    def invite(email: str = "bob@example.org", role: str = "editor") -> tuple[Any, str | None]:
        sent_before = len(mailoutbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = owner.post(INVITATIONS, {"email": email, "role": role}, content_type="application/json")
        if len(mailoutbox) == sent_before:
            return response, None
        return response, path_in(mailoutbox[-1].body)

    return invite


@pytest.fixture
def link(send: Any) -> str:
    """The path of an open invitation for bob@example.org as editor."""
    response, path = send()
    assert response.status_code == 201
    return path


def path_in(body: str) -> str:
    found = LINK.findall(body)
    assert len(found) == 1, body
    return urlsplit(found[0]).path


def secret_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def fresh_client() -> Client:
    return Client()


def create_account(client: Client, path: str, password: str = NEW_PASSWORD, again: str | None = None) -> Any:
    return client.post(path, {"password1": password, "password2": password if again is None else again})


# The invitation is sent


def test_it_mails_a_link_that_opens_the_invitation_page(send, mailoutbox):
    response, path = send("bob@example.org", "editor")

    assert response.status_code == 201
    assert response.json()["email"] == "bob@example.org"
    assert response.json()["role"] == "editor"
    assert response.json()["status"] == "open"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["bob@example.org"]
    assert "End Ring partnerships" in mailoutbox[0].subject
    link = LINK.search(mailoutbox[0].body)
    assert link
    assert link.group(0).startswith(settings.SITE_URL.rstrip("/") + "/invitations/")
    page = fresh_client().get(path)
    assert page.status_code == 200
    assert "End Ring partnerships" in page.content.decode()
    assert "bob@example.org" in page.content.decode()
    assert "Create my account and accept" in page.content.decode()


def test_it_mails_the_same_link_in_the_html_part(link, mailoutbox):
    html, mime = mailoutbox[0].alternatives[0]

    assert mime == "text/html"
    assert f'href="{settings.SITE_URL.rstrip("/")}{link}"' in html


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-address", "role": "editor"}, "email"),
        ({"email": "bob@example.org", "role": "boss"}, "role"),
        ({"role": "editor"}, "email"),
    ],
    ids=["bad-address", "unknown-role", "no-address"],
)
def test_it_names_the_field_of_a_bad_invitation(send, mailoutbox, body, field, owner):
    response = owner.post(INVITATIONS, body, content_type="application/json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]
    assert mailoutbox == []
    assert not Invitation.objects.exists()


@pytest.mark.postgres  # scans every row's text with PostgreSQL's row-to-text cast
def test_it_keeps_the_secret_out_of_the_database_and_the_api(send, mailoutbox, owner):
    response, path = send()
    secret = secret_of(path)

    invitation = Invitation.objects.get()
    assert invitation.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert rows_containing(secret) == []
    assert secret not in response.content.decode()
    assert invitation.digest not in response.content.decode()
    listed = owner.get(INVITATIONS)
    assert listed.status_code == 200
    assert secret not in listed.content.decode()
    assert invitation.digest not in listed.content.decode()
    assert set(listed.json()["results"][0]) == {"id", "email", "role", "created", "expires_at", "status"}


def test_it_refuses_to_invite_someone_already_a_member(send, ring, user_factory, mailoutbox):
    bob = user_factory("bob@example.org")
    Membership.objects.create(user=bob, campaign=ring, role=Role.VIEWER)

    response, path = send("Bob@Example.org", "owner")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) == ["email"]
    assert "already a member" in response.json()["fields"]["email"][0]
    assert path is None
    assert not Invitation.objects.exists()
    assert Membership.objects.get(user=bob).role == Role.VIEWER


def test_it_replaces_an_open_invitation_for_the_same_address(send):
    _, first = send("bob@example.org", "viewer")
    _, second = send("BOB@example.org", "editor")

    older, newer = Invitation.objects.order_by("created", "pk")
    assert older.status == "revoked"
    assert newer.status == "open"
    old_page = fresh_client().get(first)
    assert old_page.status_code == 410
    assert "withdrawn" in old_page.content.decode()
    response = create_account(fresh_client(), second)
    assert response.status_code == 302
    assert Membership.objects.get(user__email__iexact="bob@example.org").role == Role.EDITOR


def test_it_leaves_other_addresses_invitations_open(send):
    send("bob@example.org")
    send("carol@example.org")

    assert sorted(Invitation.objects.open().values_list("email", flat=True)) == [
        "bob@example.org",
        "carol@example.org",
    ]


# A new person creates an account


def test_it_creates_a_verified_account_and_a_membership(link, ring):
    client = fresh_client()

    response = create_account(client, link)

    assert response.status_code == 302
    assert response["Location"] == settings.TWO_FACTOR_SETUP_URL
    bob = User.objects.get(email="bob@example.org")
    assert bob.check_password(NEW_PASSWORD)
    assert bob.is_active
    address = EmailAddress.objects.get(user=bob)
    assert (address.email, address.verified, address.primary) == ("bob@example.org", True, True)
    assert Membership.objects.get(user=bob, campaign=ring).role == Role.EDITOR
    invitation = Invitation.objects.get()
    assert invitation.status == "accepted"
    assert invitation.accepted_by == bob


def test_it_signs_the_new_organizer_in_with_a_password_only(link):
    client = fresh_client()

    create_account(client, link)

    assert client.session["_auth_user_id"] == str(User.objects.get(email="bob@example.org").pk)
    # The organizer API still waits for the second factor.
    me = client.get("/api/v1/organizer/me/")
    assert me.status_code == 403
    assert me.json()["code"] == "two_factor_required"


def test_it_refuses_the_same_link_a_second_time(link):
    create_account(fresh_client(), link)
    bob = User.objects.get(email="bob@example.org")
    hashed = bob.password

    page = fresh_client().get(link)
    again = create_account(fresh_client(), link, password="another long passphrase")

    assert page.status_code == 410
    assert "accepted already" in page.content.decode()
    assert again.status_code == 410
    assert User.objects.filter(email__iexact="bob@example.org").count() == 1
    bob.refresh_from_db()
    assert bob.password == hashed
    assert Membership.objects.filter(user=bob).count() == 1


@pytest.mark.parametrize(
    ("password", "again", "field", "message"),
    [
        ("a long unusual passphrase", "a long unusual passphrasf", "password2", "The two passwords differ."),
        ("short1!", "short1!", "password1", "This password is too short."),
        ("password1234", "password1234", "password1", "This password is too common."),
        ("bob@example.org", "bob@example.org", "password1", "too similar to the e-mail address"),
    ],
    ids=["mismatched", "too-short", "common", "like-the-address"],
)
def test_it_shows_password_problems_next_to_the_field(link, password, again, field, message):
    client = fresh_client()

    response = create_account(client, link, password=password, again=again)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field])
    html = response.content.decode()
    assert 'class="field-error"' in html
    assert message in html
    assert password not in html.replace("bob@example.org", "")  # the address is on the page, as it should be
    assert not User.objects.filter(email__iexact="bob@example.org").exists()
    assert Invitation.objects.get().status == "open"
    assert "_auth_user_id" not in client.session
    assert create_account(client, link).status_code == 302


def test_it_asks_for_both_passwords(link):
    response = fresh_client().post(link, {"password1": NEW_PASSWORD})

    assert response.status_code == 400
    assert response.context["form"].errors["password2"] == ["This field is required."]
    assert not User.objects.filter(email="bob@example.org").exists()


# Links that do not work


def test_it_refuses_an_expired_invitation(link, ring):
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, seconds=1)):
        page = fresh_client().get(link)
        response = create_account(fresh_client(), link)

    assert page.status_code == 410
    assert "expired" in page.content.decode()
    assert response.status_code == 410
    assert not User.objects.filter(email="bob@example.org").exists()
    assert Membership.objects.filter(campaign=ring).count() == 1


def test_it_still_accepts_shortly_before_it_expires(link):
    with time_machine.travel(timezone.now() + dt.timedelta(days=6, hours=23)):
        response = create_account(fresh_client(), link)

    assert response.status_code == 302
    assert Membership.objects.filter(user__email="bob@example.org").exists()


def test_it_refuses_an_invitation_whose_expiry_has_passed(link, ring):
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    response = create_account(fresh_client(), link)

    assert response.status_code == 410
    assert not User.objects.filter(email="bob@example.org").exists()
    assert Membership.objects.filter(campaign=ring).count() == 1


def test_it_refuses_a_revoked_invitation(link, owner, ring):
    invitation = Invitation.objects.get()

    revoked = owner.delete(f"{INVITATIONS}{invitation.pk}/")
    page = fresh_client().get(link)
    response = create_account(fresh_client(), link)

    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    assert page.status_code == 410
    assert "withdrawn" in page.content.decode()
    assert response.status_code == 410
    assert not User.objects.filter(email="bob@example.org").exists()
    assert Membership.objects.filter(campaign=ring).count() == 1


def test_it_does_not_undo_an_accepted_invitation_when_revoked_later(link, owner):
    create_account(fresh_client(), link)
    invitation = Invitation.objects.get()

    response = owner.delete(f"{INVITATIONS}{invitation.pk}/")

    assert response.json()["status"] == "accepted"
    assert Membership.objects.filter(user__email="bob@example.org").exists()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda secret: secret[:-1] + ("A" if secret[-1] != "A" else "B"),
        lambda secret: secret[:-1],
        lambda secret: secret + "x",
        lambda secret: "inv_unknown",
    ],
    ids=["changed", "shortened", "lengthened", "unknown"],
)
def test_it_answers_a_tampered_or_unknown_link_with_not_found(link, tamper):
    path = f"/invitations/{tamper(secret_of(link))}/"

    page = fresh_client().get(path)
    response = create_account(fresh_client(), path)

    assert page.status_code == 404
    assert "This link is not valid" in page.content.decode()
    assert response.status_code == 404
    assert not User.objects.filter(email="bob@example.org").exists()
    assert Invitation.objects.get().status == "open"


# Someone who already has an account


def test_it_lets_a_signed_in_organizer_accept_with_one_post(link, ring, user_factory):
    bob = user_factory("bob@example.org")
    client = sign_in_with_two_factors(fresh_client(), bob)

    page = client.get(link)
    response = client.post(link)

    assert "Accept the invitation" in page.content.decode()
    assert "Create my account" not in page.content.decode()
    assert response.status_code == 302
    assert Membership.objects.get(user=bob, campaign=ring).role == Role.EDITOR
    assert Invitation.objects.get().accepted_by == bob
    assert User.objects.filter(email__iexact="bob@example.org").count() == 1


def test_it_matches_the_address_whatever_its_case(send, ring, user_factory):
    bob = user_factory("Bob@Example.org")
    _, path = send("bob@example.org")
    client = sign_in_with_two_factors(fresh_client(), bob)

    response = client.post(path)

    assert response.status_code == 302
    assert Membership.objects.get(user=bob, campaign=ring).role == Role.EDITOR


def test_it_refuses_an_organizer_signed_in_with_another_address(link, ring, user_factory):
    carol = user_factory("carol@example.org")
    client = sign_in_with_two_factors(fresh_client(), carol)

    page = client.get(link)
    response = client.post(link)

    assert "signed in with another address" in page.content.decode()
    assert response.status_code == 400
    assert "This invitation is for another e-mail address" in response.content.decode()
    assert not Membership.objects.filter(user=carol).exists()
    assert Invitation.objects.get().status == "open"
    assert create_account(fresh_client(), link).status_code == 302


def test_it_asks_someone_with_an_account_to_sign_in(link, user_factory):
    bob = user_factory("bob@example.org")

    page = fresh_client().get(link)
    response = create_account(fresh_client(), link)

    assert "Sign in to accept" in page.content.decode()
    assert response.status_code == 400
    assert "sign in to accept" in response.content.decode()
    assert User.objects.filter(email__iexact="bob@example.org").count() == 1
    assert not Membership.objects.filter(user=bob).exists()
    assert Invitation.objects.get().status == "open"


# Racing acceptances


def test_it_accepts_only_once_when_called_twice(link, user_factory):
    bob = user_factory("bob@example.org")
    secret = secret_of(link)

    invitations.accept_invitation(secret=secret, user=bob)
    with pytest.raises(invitations.InvitationUnusable) as refused:
        invitations.accept_invitation(secret=secret, user=bob)

    assert refused.value.reason == "accepted"
    assert Membership.objects.filter(user=bob).count() == 1


def race(monkeypatch: pytest.MonkeyPatch, work: Any, times: int = 2) -> list[Any]:
    """Runs `work` in threads started together, each pausing after its invitation check.

    The pause lets every thread pass the check before any of them claims the invitation, unless
    a lock makes the later ones wait for the first to finish.
    """
    check = invitations.usable_invitation

    def check_then_pause(*args: Any, **kwargs: Any) -> Invitation:
        found = check(*args, **kwargs)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(invitations, "usable_invitation", check_then_pause)
    start = threading.Barrier(times, timeout=10)
    results: list[Any] = []

    def run() -> None:
        try:
            start.wait()
            results.append(work())
        except Exception as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == times
    return results


@pytest.mark.django_db(transaction=True)
def test_it_lets_one_of_two_concurrent_acceptances_win(alice, ring, user_factory, mailoutbox, monkeypatch):
    bob = user_factory("bob@example.org")
    invitations.invite(campaign=ring, email="bob@example.org", role=Role.EDITOR, invited_by=alice, via="api")
    secret = secret_of(path_in(mailoutbox[0].body))

    results = race(monkeypatch, lambda: invitations.accept_invitation(secret=secret, user=bob))

    won = [r for r in results if isinstance(r, Membership)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1
    assert len(lost) == 1
    assert isinstance(lost[0], invitations.InvitationUnusable)
    assert lost[0].reason == "accepted"
    assert Membership.objects.filter(user=bob, campaign=ring).count() == 1
    assert AuditEvent.objects.filter(target_type=ContentType.objects.get_for_model(Membership)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_creates_one_account_when_the_form_is_sent_twice_at_once(alice, ring, mailoutbox, monkeypatch):
    invitations.invite(campaign=ring, email="bob@example.org", role=Role.EDITOR, invited_by=alice, via="api")
    secret = secret_of(path_in(mailoutbox[0].body))

    results = race(monkeypatch, lambda: invitations.create_account_and_accept(secret=secret, password=NEW_PASSWORD))

    won = [r for r in results if isinstance(r, User)]
    lost = [r for r in results if not isinstance(r, User)]
    assert len(won) == 1
    assert len(lost) == 1
    # A double click finds the link used (a 410 page), not a clash on the e-mail address (a 500).
    assert isinstance(lost[0], invitations.InvitationUnusable), lost[0]
    assert User.objects.filter(email__iexact="bob@example.org").count() == 1
    assert Membership.objects.filter(user=won[0], campaign=ring).count() == 1


# The audit trail


def test_it_audits_the_invitation_with_the_address_redacted(link, alice, ring):
    invitation = Invitation.objects.get()

    event = AuditEvent.objects.get(target_type=ContentType.objects.get_for_model(Invitation))

    assert event.action == AuditEvent.Action.CREATE
    assert event.actor == alice
    assert event.via == "api"
    assert event.campaign_id == ring.pk
    assert event.target_id == str(invitation.pk)
    assert event.changes["email"] == [None, "[redacted]"]
    assert event.changes["digest"] == [None, "[redacted]"]
    assert event.changes["role"] == [None, "editor"]
    assert "bob@example.org" not in json.dumps(event.changes)
    assert "bob@example.org" not in event.target_label
    assert secret_of(link) not in json.dumps(event.changes)


def test_it_audits_the_acceptance_without_the_address(link, ring):
    create_account(fresh_client(), link)
    bob = User.objects.get(email="bob@example.org")
    membership = Membership.objects.get(user=bob)

    event = AuditEvent.objects.get(target_type=ContentType.objects.get_for_model(Membership))

    assert event.action == AuditEvent.Action.CREATE
    assert event.actor == bob
    assert event.via == "web"
    assert event.campaign_id == ring.pk
    assert event.target_id == str(membership.pk)
    assert event.changes["role"] == [None, "editor"]
    assert event.changes["user"] == [None, str(bob.pk)]
    assert "bob@example.org" not in json.dumps(event.changes)


def test_it_audits_a_revocation(link, owner, alice):
    invitation = Invitation.objects.get()

    owner.delete(f"{INVITATIONS}{invitation.pk}/")

    event = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).get()
    assert event.actor == alice
    assert event.target_id == str(invitation.pk)
    assert list(event.changes) == ["revoked_at"]
    assert event.changes["revoked_at"][0] == ""


class _BrokenMailServer:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise smtplib.SMTPServerDisconnected("the mail server went away")


def test_it_keeps_a_saved_invitation_when_the_mail_server_is_down(owner, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = f"{__name__}._BrokenMailServer"

    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(
            "/api/v1/organizer/campaigns/ring/invitations/",
            {"email": "bob@example.org", "role": "editor"},
            content_type="application/json",
        )

    assert response.status_code == 201
    assert Invitation.objects.get().status == "open"  # listed for the owner, who can send it again
