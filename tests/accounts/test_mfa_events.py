"""Every change to and use of a second factor leaves a security event (accounts.receivers)."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from accounts.models import AuditEvent
from tests.accounts.flows import enrol_totp, reauthenticate, sign_in, sign_in_with_password
from tests.totp import current_code

pytestmark = pytest.mark.django_db

# allauth sends authenticator_added and authenticator_reset on transaction commit: the tests
# of those events need real commits (the used and removed signals are sent at once).
committing = pytest.mark.django_db(transaction=True)


def mfa_events(user) -> list[tuple[str, str]]:
    events = AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.SECURITY).order_by("pk")
    return [(event.details["event"], event.details.get("type", "")) for event in events]


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@committing
def test_it_audits_adding_totp(client, user_factory):
    user = user_factory("bob@example.org", two_factors=False)
    sign_in_with_password(client, user)

    enrol_totp(client)

    # allauth sets up recovery codes along with the first factor.
    assert mfa_events(user) == [("mfa_added", "totp"), ("mfa_added", "recovery_codes")]
    event = AuditEvent.objects.filter(actor=user).earliest("pk")
    assert event.via == "mfa"
    assert event.target_id == str(user.pk)
    assert event.actor_label == user.email


@committing
def test_it_audits_generating_and_regenerating_recovery_codes(client, alice):
    sign_in(client, alice)
    reauthenticate(client)

    first = client.post("/accounts/2fa/recovery-codes/generate/")
    codes = Authenticator.objects.get(user=alice, type="recovery_codes").wrap().get_unused_codes()
    again = client.post("/accounts/2fa/recovery-codes/generate/")

    assert (first.status_code, again.status_code) == (302, 302)
    assert Authenticator.objects.get(user=alice, type="recovery_codes").wrap().get_unused_codes() != codes
    assert mfa_events(alice) == [("mfa_used", "totp"), ("mfa_reset", "recovery_codes"), ("mfa_reset", "recovery_codes")]


def test_it_audits_using_a_totp_code_at_login(client, alice):
    sign_in_with_password(client, alice)
    assert mfa_events(alice) == []

    client.post("/accounts/2fa/authenticate/", {"code": current_code(alice.totp_secret)})

    assert signed_in(client)
    assert mfa_events(alice) == [("mfa_used", "totp")]


def test_it_audits_removing_totp(client, alice):
    sign_in(client, alice)
    reauthenticate(client)

    response = client.post("/accounts/2fa/totp/deactivate/")

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=alice).exists()
    assert mfa_events(alice) == [("mfa_used", "totp"), ("mfa_removed", "totp")]


@committing
def test_it_audits_removing_totp_and_the_recovery_codes_that_went_with_it(client, user_factory):
    user = user_factory("carol@example.org", two_factors=False)
    sign_in_with_password(client, user)
    enrol_totp(client)

    client.post("/accounts/2fa/totp/deactivate/")  # the enrolment's reauthentication is still fresh

    assert not Authenticator.objects.filter(user=user).exists()
    assert mfa_events(user)[-2:] == [("mfa_removed", "totp"), ("mfa_removed", "recovery_codes")]


def test_it_rejects_a_wrong_totp_code_without_a_session(client, alice):
    sign_in_with_password(client, alice)
    right = current_code(alice.totp_secret)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not signed_in(client)
    assert client.get("/api/v1/organizer/me/").status_code in (401, 403)
    assert mfa_events(alice) == []


def test_it_rejects_a_totp_code_used_once_already(alice):
    code = current_code(alice.totp_secret)
    first, second = Client(), Client()
    sign_in_with_password(first, alice)
    sign_in_with_password(second, alice)

    accepted = first.post("/accounts/2fa/authenticate/", {"code": code})
    replayed = second.post("/accounts/2fa/authenticate/", {"code": code})

    assert accepted.status_code == 302
    assert signed_in(first)
    assert replayed.status_code == 200
    assert replayed.context["form"].errors["code"]
    assert not signed_in(second)
    assert mfa_events(alice) == [("mfa_used", "totp")]


def test_it_rejects_the_same_code_twice_in_a_row_in_one_browser(client, alice):
    code = current_code(alice.totp_secret)
    sign_in(client, alice, code=code)
    client.logout()
    sign_in_with_password(client, alice)

    again = client.post("/accounts/2fa/authenticate/", {"code": code})

    assert again.status_code == 200
    assert not signed_in(client)


def test_it_rejects_a_replayed_code_through_the_headless_api(alice):
    code = current_code(alice.totp_secret)
    first, second = Client(), Client()
    for browser in (first, second):
        browser.post(
            "/_allauth/browser/v1/auth/login",
            {"email": alice.email, "password": "correct horse battery"},
            content_type="application/json",
        )

    accepted = first.post("/_allauth/browser/v1/auth/2fa/authenticate", {"code": code}, content_type="application/json")
    replayed = second.post(
        "/_allauth/browser/v1/auth/2fa/authenticate", {"code": code}, content_type="application/json"
    )

    assert accepted.status_code == 200
    assert replayed.status_code == 400
    assert second.get("/api/v1/organizer/me/").status_code == 401
