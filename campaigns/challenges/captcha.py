"""hCaptcha or Cloudflare Turnstile, only when CAPTCHA_PROVIDER is set: asks the provider about a widget's answer.

Off by default: the widget is a third party's script that sees the signer's browser, so a campaign
turns it on only when bots get past the proof of work, and the privacy page then says so.

When the provider cannot be asked (down, slow, an answer we cannot read, or it says our own secret
is wrong), the signature is accepted but held for an organizer (flag UNVERIFIED): refusing would
stop every signer while the provider is out, and a held signature does not count until approved.
"""

from __future__ import annotations

import http.client
import json
import logging
import urllib.request
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5
UNVERIFIED = "captcha_unverified"
PROVIDER_NAMES = {"hcaptcha": "hCaptcha", "turnstile": "Cloudflare Turnstile"}
# Where each widget puts its answer in a plain HTML form; API clients send it as "captcha".
WIDGET_FIELDS = {"hcaptcha": "h-captcha-response", "turnstile": "cf-turnstile-response"}
# Error codes that mean our configuration is wrong, not the signer's answer.
_OUR_ERRORS = frozenset({"missing-input-secret", "invalid-input-secret", "sitekey-secret-mismatch"})
_MAX_ANSWER_BYTES = 64 * 1024

MISSING = _("Please complete the “I am human” check.")
FAILED = _("The “I am human” check did not pass: please try it again.")


class ProviderUnavailable(Exception):
    pass


def is_enabled() -> bool:
    return bool(settings.CAPTCHA_PROVIDER)


def answer_in(data: Mapping[str, Any]) -> str:
    answer = data.get("captcha") or data.get(WIDGET_FIELDS.get(settings.CAPTCHA_PROVIDER, ""), "")
    return answer if isinstance(answer, str) else ""


def check_answer(answer: str, *, ip: str | None) -> list[str]:
    """Raises ValidationError when the answer is missing or wrong; returns [UNVERIFIED] when it cannot be checked."""
    if not answer:
        raise ValidationError(MISSING, code="captcha_missing")
    try:
        passed = verify(answer, ip=ip)
    except ProviderUnavailable as error:
        logger.warning("captcha: %s; the signature is held for an organizer", error)
        return [UNVERIFIED]
    if not passed:
        raise ValidationError(FAILED, code="captcha_failed")
    return []


def verify(answer: str, *, ip: str | None) -> bool:
    """The provider's verdict on a widget's answer (its siteverify API), within TIMEOUT_SECONDS."""
    fields = {"secret": settings.CAPTCHA_SECRET, "response": answer}
    if ip:
        fields["remoteip"] = ip  # the provider saw it anyway when the widget loaded; it helps it judge
    request = urllib.request.Request(  # noqa: S310 (the URL comes from settings, which allow http(s) only)
        settings.CAPTCHA_VERIFY_URL, data=urlencode(fields).encode(), method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (as above)
            verdict = json.loads(response.read(_MAX_ANSWER_BYTES))
    # Refused, timed out, an HTTP error status (URLError is an OSError), cut short, or not JSON.
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise ProviderUnavailable(f"{type(error).__name__} from the verify URL") from None
    if not isinstance(verdict, dict):
        raise ProviderUnavailable("an answer that is not a JSON object")
    codes = verdict.get("error-codes") or []
    if isinstance(codes, list) and _OUR_ERRORS.intersection(map(str, codes)):
        logger.error("captcha: the provider refuses our configuration (%s)", ", ".join(map(str, codes)))
        raise ProviderUnavailable("our secret or site key is refused")
    return verdict.get("success") is True


def privacy_notice() -> str | None:
    """What the privacy page says about the captcha when one is configured."""
    if not is_enabled():
        return None
    name = PROVIDER_NAMES[settings.CAPTCHA_PROVIDER]
    return gettext_now(
        "To keep bots out of the figures, the petition form shows an “I am human” check by %(name)s. "
        "Your browser loads it from %(name)s, which sees your IP address and browser details under its "
        "own privacy policy; we send %(name)s only the check's answer and your IP address to verify it."
    ) % {"name": name}
