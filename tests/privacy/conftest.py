from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from tests.privacy_app.models import Person

Key = tuple[str, bytes]


def new_key() -> Key:
    return secrets.token_hex(4), os.urandom(32)


def raw_rows() -> dict[int, tuple[Any, ...]]:
    """Every Person row as stored, read past the ORM's decryption."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, email, name, email_hash, name_hash FROM {Person._meta.db_table} ORDER BY id")  # noqa: S608
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


@pytest.fixture
def rotate(settings: Any) -> Callable[[], tuple[Key, Key]]:
    """Puts a new key in front of both keyrings, as an operator would; returns (encryption, hash) keys."""

    def add_keys() -> tuple[Key, Key]:
        encryption, hashing = new_key(), new_key()
        settings.FIELD_ENCRYPTION_KEYS = [encryption, *settings.FIELD_ENCRYPTION_KEYS]
        settings.KEYED_HASH_KEYS = [hashing, *settings.KEYED_HASH_KEYS]
        return encryption, hashing

    return add_keys


@pytest.fixture
def person_factory(db: Any) -> Callable[..., Person]:
    def make(email: str = "alice@example.org", name: str | None = "Alice Liddell") -> Person:
        return Person.objects.create(email=email, name=name)

    return make
