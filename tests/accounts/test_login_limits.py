"""Failed logins are limited per account and per real client address, audited, and logged without addresses."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from accounts.models import AuditEvent
from tests.accounts.flows import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED_OUT = "Too many failed login attempts. Try again later."
PER_ACCOUNT = 5  # ACCOUNT_RATE_LIMITS["login_failed"]: 5/5m/key
PER_ADDRESS = 10  # ... and 10/m/ip


def attempt(client: Client, email: str, password: str = "not the password", **headers: Any) -> Any:
    return client.post("/accounts/login/", {"login": email, "password": password}, **headers)


def locked_out(response) -> bool:
    return response.status_code == 200 and LOCKED_OUT in response.context["form"].non_field_errors()


def lockouts() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.SECURITY, details__event="login_locked_out"))


def test_it_locks_an_account_out_after_repeated_wrong_passwords(client, alice):
    failures = [attempt(client, alice.email) for _ in range(PER_ACCOUNT)]

    refused = attempt(client, alice.email, PASSWORD)  # even the right password, for a while

    assert all(response.status_code == 200 and not locked_out(response) for response in failures)
    assert locked_out(refused)
    assert LOCKED_OUT in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert "account_login" not in client.session  # not even half-way: no TOTP step pending


def test_it_audits_the_lockout(client, alice):
    for _ in range(PER_ACCOUNT):
        attempt(client, alice.email)
    assert lockouts() == []

    attempt(client, alice.email)

    [event] = lockouts()
    assert event.actor == alice
    assert event.target_id == str(alice.pk)
    assert event.via == "login"
    assert event.details == {"event": "login_locked_out"}


def test_it_audits_a_lockout_on_an_address_nobody_has(client):
    for _ in range(PER_ACCOUNT + 1):
        attempt(client, "nobody@example.org")

    [event] = lockouts()
    assert event.actor is None
    assert event.actor_label == "system"


def test_it_locks_out_through_the_headless_api_too(client, alice):
    def login(password: str):
        return client.post(
            "/_allauth/browser/v1/auth/login",
            {"email": alice.email, "password": password},
            content_type="application/json",
        )

    for _ in range(PER_ACCOUNT):
        assert login("not the password").status_code == 400

    refused = login(PASSWORD)

    assert refused.status_code == 400
    assert [error["code"] for error in refused.json()["errors"]] == ["too_many_login_attempts"]
    assert len(lockouts()) == 1


def test_it_keeps_other_accounts_open_while_one_is_locked(client, alice, user_factory):
    bob = user_factory("bob@example.org")
    for _ in range(PER_ACCOUNT + 1):
        attempt(client, alice.email)

    after_password = attempt(client, bob.email, PASSWORD)

    assert after_password.status_code == 302
    assert after_password["Location"].startswith("/accounts/2fa/authenticate/")


def test_it_reads_client_addresses_with_one_proxy_count_everywhere(settings):
    # allauth's rate limits and DRF's throttles must agree on which X-Forwarded-For entry is the client.
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == settings.TRUSTED_PROXY_COUNT
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.TRUSTED_PROXY_COUNT


def test_it_does_not_let_a_spoofed_forwarded_for_escape_the_address_limit(client, alice, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0  # no proxy in front: X-Forwarded-For is whatever the client says
    for n in range(PER_ADDRESS):
        # A different account each time stays under the per-account limit; only the address limit counts.
        assert not locked_out(attempt(client, f"guess{n}@example.org", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"))

    refused = attempt(client, alice.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.77")

    assert locked_out(refused)


def test_it_gives_real_clients_behind_one_proxy_their_own_address_budget(client, alice, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # the proxy appends the real client address on the right
    for n in range(PER_ADDRESS):
        attempt(client, f"guess{n}@example.org", HTTP_X_FORWARDED_FOR="203.0.113.5")

    spoofing = attempt(client, alice.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5")
    elsewhere = attempt(Client(), alice.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.9")

    assert locked_out(spoofing)  # whatever the client writes on the left, the proxy's entry is the rightmost
    assert elsewhere.status_code == 302
    assert elsewhere["Location"].startswith("/accounts/2fa/authenticate/")


@pytest.fixture
def unredacted_log(caplog) -> Iterator[list[logging.LogRecord]]:
    """Every record as its logger wrote it. The console handler's privacy filter rewrites records in
    place, so caplog (added after it) would only show what is left after redaction; this handler
    goes first, so the test sees what the code itself logs."""
    caplog.set_level(logging.DEBUG)
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(logging.makeLogRecord({**record.__dict__, "msg": record.getMessage(), "args": None}))

    root = logging.getLogger()
    handler = Keep(logging.DEBUG)
    root.handlers.insert(0, handler)
    yield records
    root.removeHandler(handler)


def test_it_logs_failed_logins_without_the_address(client, alice, unredacted_log):
    attempt(client, "nobody@example.org")
    for _ in range(PER_ACCOUNT + 1):  # the last one locked out
        attempt(client, alice.email)

    failures = [record.msg for record in unredacted_log if record.name == "accounts.adapters"]
    assert failures == ["failed organizer login for user unknown"] + [f"failed organizer login for user {alice.pk}"] * 5
    assert any("login_locked_out" in record.msg for record in unredacted_log)
    logged = "\n".join(record.msg for record in unredacted_log)
    for address in (alice.email, "nobody@example.org"):
        assert address not in logged
        assert address.split("@")[0] not in logged
    assert "@" not in logged
