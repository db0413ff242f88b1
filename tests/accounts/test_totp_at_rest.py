"""TOTP secrets and recovery-code seeds are encrypted at rest (accounts.adapters.MFAAdapter)."""

from __future__ import annotations

import base64
import json
import os
import re
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test import Client

from accounts.adapters import TOTP_CONTEXT
from privacy import crypto
from tests.accounts.flows import enrol_totp, sign_in_with_password
from tests.totp import current_code

pytestmark = pytest.mark.django_db


def raw_data(user: Any, kind: str) -> dict[str, Any]:
    """allauth's Authenticator.data as stored, read past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT data FROM {Authenticator._meta.db_table} WHERE user_id = %s AND type = %s",  # noqa: S608
            [user.pk, kind],
        )
        (value,) = cursor.fetchone()
    return value if isinstance(value, dict) else json.loads(value)


def encodings_of(plain: str) -> set[str]:
    raw = plain.encode()
    return {
        plain,
        plain.lower(),
        base64.b32encode(raw).decode(),
        base64.b32encode(raw).decode().rstrip("="),
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
        raw.hex(),
    }


def assert_sealed(stored: str, plain: str) -> None:
    assert stored.startswith(crypto.token_prefix(crypto.current_key_id()))
    for encoded in encodings_of(plain):
        assert encoded not in stored
    assert crypto.decrypt(stored, context=TOTP_CONTEXT) == plain


@pytest.fixture
def other_keys(settings: Any) -> Any:
    """Points FIELD_ENCRYPTION_KEYS at keys the stored secrets were not sealed with."""

    def swap(*, same_key_id: bool) -> None:
        kid = settings.FIELD_ENCRYPTION_KEYS[0][0] if same_key_id else "stranger"
        settings.FIELD_ENCRYPTION_KEYS = [(kid, os.urandom(32))]

    return swap


def test_it_stores_the_totp_secret_enrolled_on_the_page_encrypted(client, user_factory):
    user = user_factory("bob@example.org", two_factors=False)
    sign_in_with_password(client, user)

    secret = enrol_totp(client)

    stored = raw_data(user, "totp")
    assert set(stored) == {"secret"}
    assert_sealed(stored["secret"], secret)


def test_it_seals_each_secret_afresh(alice, user_factory):
    bob = user_factory("bob@example.org")
    token = raw_data(alice, "totp")["secret"]

    # A random nonce per encryption: equal secrets would not show as equal ciphertexts either.
    assert token != raw_data(bob, "totp")["secret"]
    assert crypto.decrypt(token, context=TOTP_CONTEXT) == alice.totp_secret
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="some.other.column")


def test_it_stores_the_recovery_code_seed_encrypted(client, user_factory):
    user = user_factory("carol@example.org", two_factors=False)
    sign_in_with_password(client, user)
    enrol_totp(client)  # allauth generates recovery codes along with the first factor

    stored = raw_data(user, "recovery_codes")
    seed = crypto.decrypt(stored["seed"], context=TOTP_CONTEXT)

    assert re.fullmatch(r"[0-9a-f]{80}", seed)
    assert_sealed(stored["seed"], seed)
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()
    assert codes
    assert not any(code in json.dumps(stored) for code in codes)


def test_it_signs_in_with_a_code_from_the_encrypted_secret(client, alice):
    sign_in_with_password(client, alice)

    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(alice.totp_secret)})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_it_signs_in_with_a_recovery_code_from_the_encrypted_seed(client, user_factory):
    user = user_factory("erin@example.org", two_factors=False)
    sign_in_with_password(client, user)
    enrol_totp(client)
    [code, *_] = Authenticator.objects.get(user=user, type="recovery_codes").wrap().get_unused_codes()
    client.logout()
    sign_in_with_password(client, user)

    response = client.post("/accounts/2fa/authenticate/", {"code": code})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert raw_data(user, "recovery_codes")["used_mask"] == 1


@pytest.mark.parametrize("same_key_id", [True, False], ids=["replaced-key", "unknown-key-id"])
def test_it_fails_loudly_on_a_totp_code_when_the_key_is_wrong(client, alice, other_keys, same_key_id):
    sign_in_with_password(client, alice)
    other_keys(same_key_id=same_key_id)

    with pytest.raises(crypto.DecryptionError):
        client.post("/accounts/2fa/authenticate/", {"code": current_code(alice.totp_secret)})

    assert "_auth_user_id" not in client.session


def test_it_answers_a_server_error_not_a_session_when_the_key_is_wrong(alice, other_keys):
    browser = Client(raise_request_exception=False)
    sign_in_with_password(browser, alice)
    other_keys(same_key_id=True)

    response = browser.post("/accounts/2fa/authenticate/", {"code": current_code(alice.totp_secret)})

    assert response.status_code == 500
    assert "_auth_user_id" not in browser.session
    assert browser.get("/api/v1/organizer/me/").status_code in (401, 403)


def test_it_fails_loudly_on_a_recovery_code_when_the_key_is_wrong(client, user_factory, other_keys):
    user = user_factory("dave@example.org", two_factors=False)
    sign_in_with_password(client, user)
    user.totp_secret = enrol_totp(client)
    [code, *_] = Authenticator.objects.get(user=user, type="recovery_codes").wrap().get_unused_codes()
    client.logout()
    sign_in_with_password(client, user)
    other_keys(same_key_id=True)

    with pytest.raises(crypto.DecryptionError):
        client.post("/accounts/2fa/authenticate/", {"code": code})

    assert "_auth_user_id" not in client.session
