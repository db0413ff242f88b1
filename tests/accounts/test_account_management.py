"""What an organizer does with their own account: reset the password, change the address, end sessions."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.usersessions.models import UserSession
from django.test import Client

from tests.accounts.flows import PASSWORD, CommittingClient, sign_in, sign_in_with_password
from tests.conftest import sign_in_with_two_factors

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase"
ME = "/api/v1/organizer/me/"


@pytest.fixture
def client() -> Client:
    # Account mail goes through the outbox and is delivered after the request's commit.
    return CommittingClient()


def link_in(mail: Any, path: str) -> str:
    """The path of the first link to `path`… in the mail (the host is the request's)."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path)}\S*)", mail.body)
    assert match, mail.body
    return match[1]


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- password reset


def request_reset(client: Client, email: str, mailoutbox: list) -> str:
    response = client.post("/accounts/password/reset/", {"email": email})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    [mail] = mailoutbox
    assert mail.to == [email]
    return link_in(mail, "/accounts/password/reset/key/")


def test_it_resets_a_forgotten_password_by_e_mail(client, alice, mailoutbox):
    link = request_reset(client, alice.email, mailoutbox)

    form = client.get(link)  # allauth moves the key from the URL into the session first
    page = client.get(form["Location"])
    done = client.post(form["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert form.status_code == 302
    assert page.status_code == 200
    assert done.status_code == 302
    assert done["Location"] == "/accounts/password/reset/key/done/"
    assert not signed_in(client)  # ACCOUNT_LOGIN_ON_PASSWORD_RESET is off
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert [mail.subject for mail in mailoutbox][-1] == "[Townhall] Password Reset"  # the notification


def test_it_refuses_the_old_password_after_a_reset_and_still_asks_for_the_second_factor(client, alice, mailoutbox):
    link = request_reset(client, alice.email, mailoutbox)
    form = client.get(link)
    client.post(form["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    old = sign_in_with_password(Client(), alice, PASSWORD)
    new = sign_in_with_password(Client(), alice, NEW_PASSWORD)

    assert old.status_code == 200
    assert old.context["form"].non_field_errors()
    assert new.status_code == 302
    assert new["Location"].startswith("/accounts/2fa/authenticate/")  # a reset is no way around the TOTP code


def test_it_uses_a_reset_link_only_once(client, alice, mailoutbox):
    link = request_reset(client, alice.email, mailoutbox)
    form = client.get(link)
    client.post(form["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = Client()
    page = again.get(link, follow=True)
    again.post(
        page.request["PATH_INFO"], {"password1": "yet another passphrase", "password2": "yet another passphrase"}
    )

    assert page.status_code == 200
    assert page.context["token_fail"] is True
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_it_signs_out_the_other_sessions_on_a_password_reset(client, alice, mailoutbox):
    elsewhere = sign_in_with_two_factors(Client(), alice)
    assert elsewhere.get(ME).status_code == 200

    link = request_reset(client, alice.email, mailoutbox)
    form = client.get(link)
    client.post(form["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert elsewhere.get(ME).status_code in (401, 403)


def test_it_sends_no_reset_link_for_an_address_nobody_has(client, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    # The same answer as for a known address: the page does not tell who has an account.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    assert not any("/accounts/password/reset/key/" in mail.body for mail in mailoutbox)


# --- e-mail change


def verification_code(mail) -> str:
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.body, re.MULTILINE)
    assert code, mail.body
    return code[1]


def test_it_changes_the_address_only_once_the_new_one_is_verified(client, user_factory, mailoutbox):
    # An organizer who has not enrolled a second factor yet (see below for one who has).
    bob = user_factory("bob@example.org", two_factors=False)
    sign_in_with_password(client, bob)

    added = client.post("/accounts/email/", {"action_add": "", "email": "bob.new@example.org"})

    assert added.status_code == 302
    [verification] = mailoutbox
    assert verification.to == ["bob.new@example.org"]
    bob.refresh_from_db()
    assert bob.email == "bob@example.org"
    assert EmailAddress.objects.get_primary(bob).email == "bob@example.org"

    assert client.post(added["Location"], {"code": verification_code(verification)}).status_code == 302

    bob.refresh_from_db()
    assert (bob.email, bob.username) == ("bob.new@example.org", "bob.new@example.org")
    assert list(EmailAddress.objects.filter(user=bob).values_list("email", "verified", "primary")) == [
        ("bob.new@example.org", True, True)
    ]
    assert mailoutbox[-1].to == ["bob@example.org"]  # the old address hears of the change


def test_it_lets_an_organizer_with_two_factors_change_the_address(client, alice, mailoutbox):
    sign_in(client, alice)

    added = client.post("/accounts/email/", {"action_add": "", "email": "alice.new@example.org"})

    assert added.status_code == 302
    assert [mail.to for mail in mailoutbox] == [["alice.new@example.org"]]


def test_it_changes_the_address_of_an_organizer_with_two_factors_by_code(client, alice, mailoutbox, settings):
    # The settings change the report proposes: verification by a code typed in the signed-in session.
    settings.ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
    sign_in(client, alice)

    added = client.post("/accounts/email/", {"action_add": "", "email": "alice.new@example.org"})

    assert added.status_code == 302
    [verification] = mailoutbox
    assert verification.to == ["alice.new@example.org"]
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"  # nothing changes before the code comes back
    assert not EmailAddress.objects.filter(email="alice.new@example.org").exists()

    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", verification.body, re.MULTILINE)
    assert code, verification.body
    wrong = client.post(added["Location"], {"code": "AAAA-AAAA" if code[1] != "AAAA-AAAA" else "BBBB-BBBB"})
    assert wrong.status_code == 200
    assert client.post(added["Location"], {"code": code[1]}).status_code == 302

    alice.refresh_from_db()
    assert alice.email == "alice.new@example.org"
    assert EmailAddress.objects.get_primary(alice).email == "alice.new@example.org"
    assert mailoutbox[-1].to == ["alice@example.org"]


# --- sessions


def test_it_lists_the_sessions_and_signs_out_the_other_ones(alice):
    here, there = Client(HTTP_USER_AGENT="Firefox here"), Client(HTTP_USER_AGENT="Safari there")
    sign_in(here, alice)
    [recovery_code, *_] = RecoveryCodes.activate(alice).generate_codes()
    sign_in_with_password(there, alice)
    there.post("/accounts/2fa/authenticate/", {"code": recovery_code})  # a fresh factor for the second login
    assert there.get(ME).status_code == 200

    listing = here.get("/accounts/sessions/")

    assert listing.status_code == 200
    assert listing.context["session_count"] == 2
    assert {session.user_agent for session in listing.context["sessions"]} == {"Firefox here", "Safari there"}
    assert "Safari there" in listing.content.decode()

    ended = here.post("/accounts/sessions/")

    assert ended.status_code == 302
    assert there.get(ME).status_code in (401, 403)
    assert not signed_in(there)
    assert here.get(ME).status_code == 200
    assert list(UserSession.objects.filter(user=alice).values_list("user_agent", flat=True)) == ["Firefox here"]


def test_it_shows_the_sessions_page_only_to_a_signed_in_organizer(client):
    response = client.get("/accounts/sessions/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- the headless API's specification


def resolve(spec: dict, node: Any, depth: int = 0) -> Any:
    """The node with its $refs into the components replaced by what they point at (a few levels deep)."""
    if depth > 6:
        return node
    if isinstance(node, list):
        return [resolve(spec, item, depth) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        *_, section, name = node["$ref"].split("/")
        return resolve(spec, spec["components"][section][name], depth + 1)
    return {key: resolve(spec, value, depth) for key, value in node.items()}


def test_it_serves_the_headless_specification_documenting_the_login(client):
    response = client.get("/_allauth/openapi.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"
    spec = json.loads(response.content)
    assert spec["openapi"].startswith("3.")
    login = spec["paths"]["/_allauth/{client}/v1/auth/login"]["post"]
    schema = resolve(spec, login["requestBody"])["content"]["application/json"]["schema"]
    assert "password" in json.dumps(schema)
    assert "email" in json.dumps(schema)
    assert {"200", "400", "401"} <= set(login["responses"])
    assert "/_allauth/{client}/v1/auth/2fa/authenticate" in spec["paths"]


def test_it_serves_the_specification_as_yaml_too(client):
    response = client.get("/_allauth/openapi.yaml")

    assert response.status_code == 200
    assert "/_allauth/{client}/v1/auth/login:" in response.content.decode()
