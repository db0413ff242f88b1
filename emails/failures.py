"""Which delivery failures are worth retrying, and which are final."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass

from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused

from privacy.logging import redact


@dataclass(frozen=True)
class Failure:
    permanent: bool
    reason: str
    # The connection cannot carry the next message: the batch stops, the sweep picks the rest up.
    connection_lost: bool = False


def classify(error: Exception) -> Failure:
    # Servers quote the refused address back: the reason is stored in clear, so it names none.
    reason = redact(f"{type(error).__name__}: {error}")[:1000]
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return Failure(permanent=all(code >= 500 for code in codes), reason=reason)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return Failure(permanent=False, reason=reason, connection_lost=True)
    if isinstance(error, smtplib.SMTPResponseException):
        # 5xx is the server's final word on this message; 4xx asks us to come back later.
        return Failure(permanent=error.smtp_code >= 500, reason=reason)
    if isinstance(error, AnymailRecipientsRefused):
        return Failure(permanent=True, reason=reason)
    if isinstance(error, AnymailAPIError):
        status = error.status_code or 0
        # 4xx other than throttling means the provider will refuse this message every time.
        return Failure(permanent=400 <= status < 500 and status != 429, reason=reason)
    if isinstance(error, (smtplib.SMTPException, OSError)):
        return Failure(permanent=False, reason=reason, connection_lost=True)
    return Failure(permanent=False, reason=reason)
