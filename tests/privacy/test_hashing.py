from __future__ import annotations

from typing import Any

import pytest

from privacy.hashing import HASH_MAX_LENGTH, hash_version, keyed_hash, keyed_hashes
from tests.privacy.conftest import new_key


def test_it_tags_the_hash_with_the_current_key_id(settings: Any) -> None:
    hashed = keyed_hash("alice@example.org", purpose="privacy_app.Person.email")
    kid = settings.KEYED_HASH_KEYS[0][0]

    assert hashed.startswith(f"{kid}$")
    assert hash_version(hashed) == kid
    assert len(hashed) <= HASH_MAX_LENGTH
    assert "alice" not in hashed


def test_it_is_deterministic_for_one_purpose_and_differs_across_purposes() -> None:
    assert keyed_hash("alice", purpose="a.B.email") == keyed_hash("alice", purpose="a.B.email")
    assert keyed_hash("alice", purpose="a.B.email") != keyed_hash("alice", purpose="a.B.name")


def test_it_keeps_purpose_and_value_apart() -> None:
    # Without framing, ("a.B.", "email...") and ("a.B.email", "...") would hash the same bytes.
    assert keyed_hash("emailx", purpose="a.B.") != keyed_hash("x", purpose="a.B.email")


def test_it_hashes_under_every_key_current_first(settings: Any) -> None:
    old = keyed_hash("alice", purpose="p")
    settings.KEYED_HASH_KEYS = [new_key(), *settings.KEYED_HASH_KEYS]

    hashes = keyed_hashes("alice", purpose="p")

    assert hashes == [keyed_hash("alice", purpose="p"), old]
    assert [hash_version(hashed) for hashed in hashes] == [kid for kid, _ in settings.KEYED_HASH_KEYS]


def test_it_rejects_something_that_is_not_a_keyed_hash() -> None:
    with pytest.raises(ValueError):
        hash_version("alice@example.org")
