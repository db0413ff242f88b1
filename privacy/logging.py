"""Log filter that keeps e-mail and IP addresses out of log output."""

from __future__ import annotations

import ipaddress
import logging
import re

# Each pattern opens with a lookbehind so a match can only start at the beginning of a token:
# without it, long runs of word characters make the scan quadratic.
_EMAIL = re.compile(r"(?<![\w.!#$%&'*+/=?^`{|}~-])[\w.!#$%&'*+/=?^`{|}~-]+@(?:[\w-]+\.)+[\w-]+")
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
# Exactly four dotted octets, not part of a longer dotted run: "1.2.3" and "1.2.3.4.5" stay.
_IPV4 = re.compile(rf"(?<![\w.])(?:{_OCTET}\.){{3}}{_OCTET}(?![\w]|\.\d)")
# Anything that might be IPv6; ipaddress then decides, so "12:34:56" and MAC addresses stay.
_IPV6_CANDIDATE = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{0,4})(?:%[\w.-]+)?(?![\w:]|\.\d)"
)
# Secrets handed out in links and headers (invitation links inv_…, API tokens th_…): a log line
# holding one would let its reader use it.
_LINK_SECRET = re.compile(r"\b(inv|th)_[A-Za-z0-9_-]{16,}")
# Signed link tokens in a path (emails.links.sign: django.core.signing's "payload:timestamp:signature",
# "." first when compressed): confirmation, "my data", unsubscribe, donation and briefing links, which
# let whoever holds one act for the person it was mailed to. Web servers log request paths.
_SIGNED_TOKEN = re.compile(r"(?<=/)\.?[\w-]+:[\w-]+:[\w-]{20,}")
SIGNED_MASK = "[signed]"
EMAIL_MASK = "[email]"
IP_MASK = "[ip]"


def _mask_ipv6(match: re.Match[str]) -> str:
    try:
        ipaddress.IPv6Address(match[0])
    except ValueError:
        return match[0]
    return IP_MASK


def redact(text: str) -> str:
    # The membership tests are cheap and skip most regex work on ordinary messages.
    if "@" in text:
        text = _EMAIL.sub(EMAIL_MASK, text)
    if "/" in text and ":" in text:
        text = _SIGNED_TOKEN.sub(SIGNED_MASK, text)
    if "::" in text or text.count(":") >= 2:
        text = _IPV6_CANDIDATE.sub(_mask_ipv6, text)
    if "." in text:
        text = _IPV4.sub(IP_MASK, text)
    if "_" in text:
        text = _LINK_SECRET.sub(r"\1_[secret]", text)
    return text


class RedactPersonalData(logging.Filter):
    """Redacts the formatted message, so values passed as %-args are caught too.

    Tracebacks are formatted here (default format) to redact them as well: exception messages
    often quote the offending value.
    """

    _exception_formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            # A broken %-format: logging would print msg and args raw in its error report, so drop the args.
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._exception_formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
