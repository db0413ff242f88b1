"""Letter writing's limits: the signing limits' rates (SIGNATURES_PER_IP, SIGNATURES_PER_ADDRESS), counted apart.

Like signing, they fail open when the cache is down (campaigns.throttles says why); a letter still
needs its address confirmed before anything is sent, and officials are protected by the hourly cap.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest

from backend.api.throttles import count_requests
from campaigns.throttles import SignaturesPerAddress, SignaturesPerIp


class LettersPerIp(SignaturesPerIp):
    scope = "letters_ip"


class LettersPerAddress(SignaturesPerAddress):
    scope = "letters_address"


LETTER_THROTTLES = (LettersPerIp, LettersPerAddress)


def allows(request: HttpRequest) -> bool:
    """For the HTML form: counts this request against the same limits as the API, in one round trip."""
    return all(count_requests(cast(Any, request), None, [throttle() for throttle in LETTER_THROTTLES]))
