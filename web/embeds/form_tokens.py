"""The signed, expiring token an embedded form carries instead of a CSRF cookie.

A frame on a partner's site is cross-site: the browser sends it no SameSite=Lax cookie, so Django's
CSRF check cannot work there, and a session cannot hold anything. The frame's form instead carries
a token signed with the site's secret, salted per form kind and bound to the one petition or letter
drive it was rendered for. It proves the POST comes from a form we served recently, for this drive;
docs/widget.md says why that is enough (the form acts on no one's ambient authority).
"""

from __future__ import annotations

from datetime import timedelta
from enum import Enum

from django.core import signing
from django.utils.translation import gettext_lazy as _

TOKEN_FIELD = "form_token"  # noqa: S105 (a field name, not a secret)
TOKEN_AGE = timedelta(hours=2)


class FormKind(Enum):
    SIGN = "petition"
    WRITE = "letter"

    @property
    def salt(self) -> str:
        return f"web.embeds.form_token.{self.value}"


class TokenProblem(Enum):
    INVALID = "invalid"
    EXPIRED = "expired"

    @property
    def message(self) -> str:
        if self is TokenProblem.EXPIRED:
            return str(
                _("This form was open for too long. Nothing was sent yet: check your answers and send it again.")
            )
        return str(_("This form could not be checked, so nothing was sent. Please send it again."))


def issue(kind: FormKind, drive_id: int) -> str:
    return signing.TimestampSigner(salt=kind.salt).sign(str(drive_id))


def problem_with(token: str, *, kind: FormKind, drive_id: int) -> TokenProblem | None:
    """None for a good token for this drive; why not otherwise."""
    try:
        signed_for = signing.TimestampSigner(salt=kind.salt).unsign(token, max_age=TOKEN_AGE)
    except signing.SignatureExpired:
        return TokenProblem.EXPIRED
    except signing.BadSignature:
        return TokenProblem.INVALID
    return None if signed_for == str(drive_id) else TokenProblem.INVALID
