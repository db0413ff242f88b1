"""Authenticated encryption of personal data at rest (AES-256-GCM, keys from FIELD_ENCRYPTION_KEYS)."""

from __future__ import annotations

import base64
import binascii
import os
import re
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

FORMAT_VERSION = "v1"
NONCE_BYTES = 12  # 96 bits: the size GCM is specified for; random, so never reused in practice
_TAG_BYTES = 16
# Key ids are whatever envkit.keyring accepts (str.isalnum), hence [^\W_] rather than ASCII only.
_TOKEN = re.compile(r"v1:(?P<kid>[^\W_]+):(?P<body>[A-Za-z0-9_-]+)")


class DecryptionError(Exception):
    """A token that cannot be decrypted. Messages name the key id, never any plaintext."""


def _keyring() -> list[tuple[str, bytes]]:
    # Read at call time so key rotation (and tests' settings overrides) take effect without a restart.
    ring: list[tuple[str, bytes]] = settings.FIELD_ENCRYPTION_KEYS
    return ring


@lru_cache(maxsize=16)
def _cipher(key: bytes) -> AESGCM:
    # Keyed by the key's bytes, not its id: a rotated or overridden keyring gets its own cipher.
    # An AESGCM object holds no per-message state (the nonce is an argument), so one serves all calls.
    return AESGCM(key)


def current_key_id() -> str:
    return _keyring()[0][0]


def token_prefix(kid: str) -> str:
    """What every token encrypted under `kid` starts with: lets SQL find stale rows without decrypting."""
    return f"{FORMAT_VERSION}:{kid}:"


def encrypt(plaintext: str, *, context: str) -> str:
    kid, key = _keyring()[0]
    nonce = os.urandom(NONCE_BYTES)
    # The context is the AAD: a token copied into another column fails authentication there.
    sealed = _cipher(key).encrypt(nonce, plaintext.encode(), context.encode())
    body = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode()
    return f"{token_prefix(kid)}{body}"


def key_id_of(token: str) -> str:
    return _parse(token)[0]


def decrypt(token: str, *, context: str) -> str:
    kid, blob = _parse(token)
    key = dict(_keyring()).get(kid)
    if key is None:
        raise DecryptionError(f"Unknown encryption key id {kid!r}: is it still in FIELD_ENCRYPTION_KEYS?")
    try:
        plaintext = _cipher(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], context.encode())
    except InvalidTag:
        raise DecryptionError(
            f"Token under key {kid!r} failed authentication: tampered, wrong key or moved from another column."
        ) from None
    return plaintext.decode()


def _parse(token: str) -> tuple[str, bytes]:
    match = _TOKEN.fullmatch(token)
    if match is None:
        raise DecryptionError("Malformed encrypted token (expected 'v1:<kid>:<base64url>').")
    kid, body = match["kid"], match["body"]
    try:
        blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise DecryptionError(f"Malformed encrypted token under key {kid!r}: bad base64.") from None
    if len(blob) < NONCE_BYTES + _TAG_BYTES:
        raise DecryptionError(f"Malformed encrypted token under key {kid!r}: too short.")
    return kid, blob
