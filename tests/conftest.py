from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User


@pytest.fixture(autouse=True)
def _empty_cache(settings: Any) -> Iterator[None]:
    """Each test gets a key space of its own in the cache, removed afterwards.

    Throttles, rate limits and allauth's used-TOTP-code markers live in the cache. Flushing the
    shared Redis database instead would wipe them under any other pytest process running at once.
    """
    default = settings.CACHES["default"]
    if not default["BACKEND"].endswith("RedisCache"):
        cache.clear()  # the local-memory cache belongs to this process alone
        yield
        return
    prefix = f"test-{os.getpid()}-{uuid.uuid4().hex}"
    settings.CACHES = {**settings.CACHES, "default": {**default, "KEY_PREFIX": prefix}}
    yield
    redis = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    keys = list(redis.scan_iter(f"{prefix}:*"))
    if keys:
        redis.delete(*keys)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user_factory(db: Any) -> Any:
    def make(
        email: str = "alice@example.org",
        *,
        password: str = "correct horse battery",
        two_factors: bool = True,
        verified: bool = True,
        **extra: Any,
    ) -> User:
        """An organizer with a verified e-mail and, unless told otherwise, an enrolled TOTP."""
        user = User.objects.create_user(email=email, password=password, **extra)
        EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
        if two_factors:
            user.totp_secret = generate_totp_secret()  # type: ignore[attr-defined]
            TOTP.activate(user, user.totp_secret)  # type: ignore[attr-defined]
        return user

    return make


@pytest.fixture
def alice(user_factory: Any) -> User:
    """An organizer."""
    return user_factory("alice@example.org")


@pytest.fixture
def operator(user_factory: Any) -> User:
    """The staff superuser who runs the installation."""
    return user_factory("operator@example.org", is_staff=True, is_superuser=True)


def sign_in_with_two_factors(client: Client, user: User) -> Client:
    """What allauth leaves in the session after a password and a TOTP code (tests/accounts
    go through the real forms and API; elsewhere this shortcut keeps tests fast)."""
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    session = client.session
    now = timezone.now().timestamp()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "id": authenticator.pk, "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


@pytest.fixture
def two_factor_client(client: Client, alice: User) -> Client:
    return sign_in_with_two_factors(client, alice)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the SQLite run (asked for explicitly), skip what only PostgreSQL can show: concurrency
    across connections, triggers, row-text scans, probes of a database server."""
    if os.environ.get("TOWNHALL_TEST_SQLITE") != "1":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (TOWNHALL_TEST_SQLITE=1)")
    for item in items:
        database = item.get_closest_marker("django_db")
        concurrent = database is not None and database.kwargs.get("transaction", False)
        if item.get_closest_marker("postgres") or concurrent:
            item.add_marker(skip)
