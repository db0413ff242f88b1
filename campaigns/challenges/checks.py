"""The one call a signing view makes before recording a signature: every configured anti-bot check."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

from campaigns.challenges import captcha, proof_of_work

# Form fields the browser script (web/static/web/proof_of_work.js) fills in.
TOKEN_FIELD = "challenge_token"  # noqa: S105 (a field name, not a secret)
COUNTER_FIELD = "challenge_counter"


def check_signing_challenge(data: Mapping[str, Any], *, ip: str | None) -> list[str]:
    """Raises ValidationError({"challenge": [...]}) when a configured check fails.

    Returns flags for the signature (SignatureForm.flags): a check that could not be made (the
    captcha provider down) holds the signature for an organizer instead of refusing the signer.
    The proof of work comes first: it costs us one hash, the captcha a request to its provider.
    """
    try:
        if proof_of_work.is_enabled():
            proof_of_work.verify_solution(_text(data, TOKEN_FIELD), _text(data, COUNTER_FIELD))
        if captcha.is_enabled():
            return captcha.check_answer(captcha.answer_in(data), ip=ip)
    except ValidationError as error:
        raise ValidationError({"challenge": error.error_list}) from None
    return []


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name, "")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # a JSON client may send the counter as a number
    return value if isinstance(value, str) else ""
