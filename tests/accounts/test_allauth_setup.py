from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from tests.totp import current_code

pytestmark = pytest.mark.django_db

HEADLESS = "/_allauth/browser/v1"


def test_it_serves_the_headless_api_with_mfa(client):
    config = client.get(f"{HEADLESS}/config").json()["data"]

    assert config["account"]["login_methods"] == ["email"]
    assert set(config["mfa"]["supported_types"]) >= {"totp", "recovery_codes", "webauthn"}


def test_it_has_no_open_sign_up(client):
    response = client.post(
        f"{HEADLESS}/auth/signup",
        {"email": "stranger@example.org", "password": "a long enough password"},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert not EmailAddress.objects.filter(email="stranger@example.org").exists()


def test_it_holds_back_an_unverified_e_mail_at_login(client, user_factory):
    user_factory("new@example.org", password="a long enough password", verified=False, two_factors=False)

    response = client.post(
        f"{HEADLESS}/auth/login",
        {"email": "new@example.org", "password": "a long enough password"},
        content_type="application/json",
    )

    assert response.status_code == 401
    pending = [flow for flow in response.json()["data"]["flows"] if flow.get("is_pending")]
    assert [flow["id"] for flow in pending] == ["verify_email"]


def test_it_signs_in_through_the_headless_api_with_a_totp_code(client, alice):
    after_password = client.post(
        f"{HEADLESS}/auth/login",
        {"email": alice.email, "password": "correct horse battery"},
        content_type="application/json",
    )
    after_code = client.post(
        f"{HEADLESS}/auth/2fa/authenticate",
        {"code": current_code(alice.totp_secret)},
        content_type="application/json",
    )

    pending = [flow["id"] for flow in after_password.json()["data"]["flows"] if flow.get("is_pending")]
    assert (after_password.status_code, pending) == (401, ["mfa_authenticate"])
    assert after_code.status_code == 200
    assert after_code.json()["data"]["user"]["email"] == alice.email
    assert client.get("/api/v1/organizer/me/").json()["email"] == alice.email


def test_it_refuses_a_wrong_totp_code_and_stays_signed_out(client, alice):
    client.post(
        f"{HEADLESS}/auth/login",
        {"email": alice.email, "password": "correct horse battery"},
        content_type="application/json",
    )
    wrong = "000000" if current_code(alice.totp_secret) != "000000" else "111111"

    response = client.post(f"{HEADLESS}/auth/2fa/authenticate", {"code": wrong}, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["param"] == "code"
    assert client.get("/api/v1/organizer/me/").status_code == 401


def test_it_keeps_the_admin_behind_a_login(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_it_documents_the_headless_endpoints_with_local_assets(client):
    page = client.get("/api/docs/accounts/").content.decode()
    spec = client.get("/_allauth/openapi.json").json()

    assert "/_allauth/openapi.json" in page
    assert "cdn." not in page
    assert any(path.endswith("/auth/login") for path in spec["paths"])
    assert any(path.endswith("/authenticators/totp") for path in spec["paths"])
