"""Proof of work for signing: a second or two of a browser's time per signature, a real cost for a bot farm.

Off unless SIGNING_PROOF_OF_WORK_BITS > 0. The server hands out a signed token (a random nonce and
the difficulty, valid for CHALLENGE_LIFETIME); the browser (web/static/web/proof_of_work.js) finds
a decimal counter such that SHA-256(token + counter) starts with that many zero bits; the server
checks it with one hash. Nothing is stored until a solution is used: then the nonce is remembered
in the cache until the token would have expired anyway, so each solved token signs once.

When the cache is down, a solved, unexpired token is accepted without the single-use check (and
a warning is logged): the work was done, the replay window is the token's ten minutes, every
signature still needs its address confirmed, and a cache outage must not stop people signing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

CHALLENGE_LIFETIME = dt.timedelta(minutes=10)
_SALT = "campaigns.challenges.proof_of_work"
_COUNTER = re.compile(r"[0-9]{1,20}")

MISSING = _("The form's anti-bot check did not run: turn on JavaScript, reload the page and try again.")
EXPIRED = _("The form's anti-bot check has expired: please send the form again.")
UNSOLVED = _("The form's anti-bot check failed: reload the page and try again.")
USED = _("This anti-bot check was already used: reload the page and try again.")


@dataclass(frozen=True)
class Challenge:
    token: str
    bits: int
    expires_in: int  # seconds


def is_enabled() -> bool:
    return bool(settings.SIGNING_PROOF_OF_WORK_BITS)


def issue_challenge() -> Challenge:
    bits = settings.SIGNING_PROOF_OF_WORK_BITS
    token = _signer().sign(f"{secrets.token_urlsafe(16)}.{bits}")
    return Challenge(token=token, bits=bits, expires_in=int(CHALLENGE_LIFETIME.total_seconds()))


def verify_solution(token: str, counter: str) -> None:
    """Raises ValidationError unless `counter` solves the unexpired, unused `token`; then uses it up."""
    if not token or not _COUNTER.fullmatch(counter):
        raise ValidationError(MISSING, code="missing")
    try:
        nonce, _dot, bits = _signer().unsign(token, max_age=CHALLENGE_LIFETIME).partition(".")
    except signing.SignatureExpired:
        raise ValidationError(EXPIRED, code="expired") from None
    except signing.BadSignature:
        raise ValidationError(UNSOLVED, code="invalid") from None
    if leading_zero_bits(hashlib.sha256((token + counter).encode()).digest()) < int(bits):
        raise ValidationError(UNSOLVED, code="unsolved")
    if not _use_once(nonce):
        raise ValidationError(USED, code="used")


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte:
            return bits + 8 - byte.bit_length()
        bits += 8
    return bits


def _use_once(nonce: str) -> bool:
    try:
        # add() is atomic in Redis (SET NX): of two requests with one token, one wins.
        return bool(cache.add(f"pow-used:{nonce}", 1, timeout=int(CHALLENGE_LIFETIME.total_seconds()) + 60))
    except RedisError:
        logger.warning("proof of work: cache unreachable, token accepted without the single-use check")
        return True


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SALT)
