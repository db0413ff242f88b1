from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

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
    user_factory("new@example.org", password="a long enough password")

    response = client.post(
        f"{HEADLESS}/auth/login",
        {"email": "new@example.org", "password": "a long enough password"},
        content_type="application/json",
    )

    assert response.status_code == 401
    pending = [flow for flow in response.json()["data"]["flows"] if flow.get("is_pending")]
    assert [flow["id"] for flow in pending] == ["verify_email"]


def test_it_logs_in_a_verified_organizer(client, alice):
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)

    response = client.post(
        f"{HEADLESS}/auth/login",
        {"email": alice.email, "password": "correct horse battery"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["data"]["user"]["email"] == alice.email


def test_it_keeps_the_admin_behind_a_login(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
