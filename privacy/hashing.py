"""Versioned keyed hashes (HMAC-SHA256, keys from KEYED_HASH_KEYS): equality lookups without plaintext."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SEPARATOR = "$"
HASH_MAX_LENGTH = 80
_DIGEST_LENGTH = hashlib.sha256().digest_size * 2
MAX_KEY_ID_LENGTH = HASH_MAX_LENGTH - len(SEPARATOR) - _DIGEST_LENGTH


def _keyring() -> list[tuple[str, bytes]]:
    # Read at call time so key rotation (and tests' settings overrides) take effect without a restart.
    ring: list[tuple[str, bytes]] = settings.KEYED_HASH_KEYS
    return ring


def current_hash_key_id() -> str:
    return _keyring()[0][0]


def hash_prefix(kid: str) -> str:
    return f"{kid}{SEPARATOR}"


def keyed_hash(value: str, *, purpose: str) -> str:
    kid, key = _keyring()[0]
    return _hash(kid, key, value, purpose)


def keyed_hashes(value: str, *, purpose: str) -> list[str]:
    """The value's hash under every configured key, current first: matches rows not yet rehashed."""
    return [_hash(kid, key, value, purpose) for kid, key in _keyring()]


def hash_version(hashed: str) -> str:
    kid, sep, digest = hashed.partition(SEPARATOR)
    if not sep or not kid or len(digest) != _DIGEST_LENGTH:
        raise ValueError("Not a keyed hash (expected '<kid>$<hexdigest>').")
    return kid


def _hash(kid: str, key: bytes, value: str, purpose: str) -> str:
    if len(kid) > MAX_KEY_ID_LENGTH:
        raise ImproperlyConfigured(f"KEYED_HASH_KEYS: key id {kid!r} is longer than {MAX_KEY_ID_LENGTH} characters.")
    purpose_bytes = purpose.encode()
    # Length-prefixing the purpose keeps ("a.b", "c") and ("a", "b.c") apart.
    message = len(purpose_bytes).to_bytes(4, "big") + purpose_bytes + value.encode()
    return f"{hash_prefix(kid)}{hmac.new(key, message, hashlib.sha256).hexdigest()}"
