"""Secrets we hand out once (invitation links, API tokens) and keep only as a digest."""

from __future__ import annotations

import hashlib
import secrets


def new_secret(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def digest_of(secret: str) -> str:
    # The secret is 256 random bits, so a fast hash is as strong as a slow one here.
    return hashlib.sha256(secret.encode()).hexdigest()
