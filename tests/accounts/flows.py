"""Signing in and enrolling through allauth's real pages and API, as an organizer's browser does."""

from __future__ import annotations

from typing import Any

from django.test import Client, TestCase

from accounts.models import User
from tests.totp import current_code, secret_from_uri

PASSWORD = "correct horse battery"
HEADLESS = "/_allauth/browser/v1"


class CommittingClient(Client):
    """A browser whose requests end as they do outside a test: what a request left for after its
    commit runs (the outbox hands its mail to delivery), where the test's transaction would hold it."""

    def request(self, **request: Any) -> Any:
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


def sign_in_with_password(client: Client, user: User, password: str = PASSWORD, **extra: Any) -> Any:
    """The first step of allauth's login page (the only step for a user without a second factor)."""
    return client.post("/accounts/login/", {"login": user.email, "password": password}, **extra)


def sign_in(client: Client, user: User, *, code: str | None = None) -> Any:
    """Both steps of allauth's login pages: the password, then a TOTP code; returns the code step's answer."""
    after_password = sign_in_with_password(client, user)
    assert after_password["Location"].startswith("/accounts/2fa/authenticate/")
    return client.post("/accounts/2fa/authenticate/", {"code": code or current_code(user.totp_secret)})  # type: ignore[attr-defined]


def reauthenticate(client: Client, password: str = PASSWORD) -> None:
    """allauth asks for the password again (within 5 minutes) before any change to the factors."""
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302


def enrol_totp(client: Client) -> str:
    """Adds an authenticator app on allauth's page: reads the secret it shows, answers with a current code."""
    reauthenticate(client)
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = secret_from_uri(page.context["totp_url"])
    assert secret in page.content.decode()  # what the organizer types in when the QR code cannot be scanned
    response = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302, response.content
    return secret


def enrol_totp_headless(client: Client) -> str:
    """The same through allauth's headless API, as the single-page front-end does."""
    reauthenticated = client.post(
        f"{HEADLESS}/auth/reauthenticate", {"password": PASSWORD}, content_type="application/json"
    )
    assert reauthenticated.status_code == 200, reauthenticated.content
    offer = client.get(f"{HEADLESS}/account/authenticators/totp")
    assert offer.status_code == 404  # "no TOTP yet": the answer carries a fresh secret to enrol
    secret: str = offer.json()["meta"]["secret"]
    response = client.post(
        f"{HEADLESS}/account/authenticators/totp", {"code": current_code(secret)}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return secret
