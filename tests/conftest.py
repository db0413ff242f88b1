from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import User


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    # Throttle counters live in the cache (Redis in CI): each test starts with none.
    cache.clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user_factory(db: Any) -> Any:
    def make(email: str = "alice@example.org", *, password: str = "correct horse battery", **extra: Any) -> User:
        return User.objects.create_user(email=email, password=password, **extra)

    return make


@pytest.fixture
def alice(user_factory: Any) -> User:
    """An organizer."""
    return user_factory("alice@example.org")


@pytest.fixture
def operator(user_factory: Any) -> User:
    """The staff superuser who runs the installation."""
    return user_factory("operator@example.org", is_staff=True, is_superuser=True)
