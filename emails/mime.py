"""Django's multipart/alternative message, built without the email package's slowest steps.

`OutboxEmail` is an `EmailMultiAlternatives`: every Django or anymail backend sends it as usual,
and its `message()` is the same MIME tree, with the same bytes, as Django's (tests/emails/test_mime.py
compares them). What makes it cheaper:

- Header values are encoded (RFC 2047 for a non-ASCII subject) once per distinct value, not once
  per message: a mailing's thousands of messages share one subject and one sender.
- Text and HTML parts are built (charset, transfer encoding) once per distinct body, and copied.
- A header that is short, ASCII and on one line is written as it is, which is what the email
  package's folding makes of it anyway, after building a `Header` object for it.
- The MIME boundary is chosen up front, so flattening does not compile a regular expression over
  the whole message to check a random one.
- `as_bytes()` writes such a tree directly, as the email package's BytesGenerator would; any other
  tree (a backend added a part, say) goes through the generator.
"""

from __future__ import annotations

import re
import secrets
import sys
from email.message import Message
from email.policy import Compat32
from email.utils import formatdate, make_msgid
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart, SafeMIMEText, forbid_multi_line_headers
from django.core.mail.utils import DNS_NAME

# Distinct header values and bodies kept encoded: subjects and bodies of recent kinds and languages.
_HEADER_CACHE = 1024
_PART_CACHE = 64
_NEWLINE = re.compile(r"\r\n|\r|\n")  # the email package's own (email.generator.NLCRE)


class _Policy(Compat32):  # type: ignore[misc]  # email.policy's classes are untyped in typeshed's eyes
    """compat32 (what Django's messages use) with a shortcut for headers folding leaves unchanged."""

    def _fold(self, name: str, value: Any, sanitize: bool) -> str:
        limit = self.max_line_length
        if not isinstance(value, str) or limit is None:
            folded: str = super()._fold(name, value, sanitize)  # type: ignore[misc]  # a Header object, or no limit
            return folded
        if (
            value.isascii()
            and len(name) + 2 + len(value) <= limit
            and value.isprintable()
            and "  " not in value
            and value == value.strip()
        ):
            return f"{name}: {value}{self.linesep}"
        return _folded(name, value, sanitize, self.linesep, limit)


POLICY = _Policy()
_COMPAT32 = Compat32()


@lru_cache(maxsize=_HEADER_CACHE)
def _folded(name: str, value: str, sanitize: bool, linesep: str, max_line_length: int) -> str:
    policy = _COMPAT32.clone(linesep=linesep, max_line_length=max_line_length)
    folded: str = policy._fold(name, value, sanitize)  # type: ignore[attr-defined]
    return folded


@lru_cache(maxsize=_HEADER_CACHE)
def _encoded(name: str, value: str, encoding: str) -> str:
    return str(forbid_multi_line_headers(name, value, encoding)[1])


@lru_cache(maxsize=_PART_CACHE)
def _part_template(content: str, subtype: str, encoding: str) -> SafeMIMEText:
    return SafeMIMEText(content, subtype, encoding)


def _part(content: str, subtype: str, encoding: str) -> SafeMIMEText:
    """A copy of the part Django builds for this body: its own header list, so changing one changes no other."""
    template = _part_template(content, subtype, encoding)
    part: SafeMIMEText = SafeMIMEText.__new__(SafeMIMEText)
    part.__dict__.update(template.__dict__)
    part._headers = list(template._headers)  # type: ignore[attr-defined]
    part.defects = []
    return part


class _Multipart(SafeMIMEMultipart):
    def __setitem__(self, name: str, val: Any) -> None:
        value = str(val)
        if name.lower() == "subject" or not value.isascii():
            # Encoding is what costs; checks for line breaks and addresses are part of it.
            Message.__setitem__(self, name, _encoded(name, value, self.encoding or settings.DEFAULT_CHARSET))
        else:
            super().__setitem__(name, val)

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:  # type: ignore[override]  # Django's
        flat = None if unixfrom else _flatten(self, linesep)
        return flat if flat is not None else bytes(super().as_bytes(unixfrom=unixfrom, linesep=linesep))


def _flatten(message: Message, linesep: str) -> bytes | None:
    """What email.generator.BytesGenerator writes for a multipart of text parts, or None for any other tree."""
    boundary = message.get_boundary()
    parts = message._payload  # type: ignore[attr-defined]
    if not boundary or not isinstance(parts, list) or message.preamble is not None or message.epilogue is not None:
        return None
    if not isinstance(message.policy, Compat32) or message.policy.cte_type != "8bit":
        return None
    policy = message.policy.clone(linesep=linesep)
    chunks = [_headers(message, policy), f"--{boundary}{linesep}".encode()]
    for number, part in enumerate(parts):
        payload = part._payload
        if not isinstance(part, Message) or part.get_content_maintype() != "text" or not isinstance(payload, str):
            return None
        if number:
            chunks.append(f"{linesep}--{boundary}{linesep}".encode())
        chunks.append(_headers(part, policy))
        # BytesGenerator._write_lines: every line break becomes `linesep`; 8-bit text is in surrogates.
        chunks.append(_NEWLINE.sub(linesep, payload).encode("ascii", "surrogateescape"))
    chunks.append(f"{linesep}--{boundary}--{linesep}".encode())
    return b"".join(chunks)


def _headers(message: Message, policy: Compat32) -> bytes:
    folded = b"".join(policy.fold_binary(name, value) for name, value in message.raw_items())
    return folded + policy.linesep.encode()


class OutboxEmail(EmailMultiAlternatives):
    def message(self) -> Any:
        if len(self.alternatives) != 1 or not self.body or self.attachments or self.content_subtype != "plain":
            return super().message()
        content, mimetype = self.alternatives[0]
        maintype, _, subtype = str(mimetype).partition("/")
        if maintype != "text":
            return super().message()
        body, html = str(self.body), str(content)
        encoding = self.encoding or settings.DEFAULT_CHARSET
        parts = [_part(body, "plain", encoding), _part(html, subtype, encoding)]
        # The policy is the message's own: flattening uses it for the parts too.
        msg = _Multipart(
            _subtype=self.alternative_subtype,
            boundary=_boundary(body, html),
            _subparts=parts,
            encoding=encoding,
            policy=POLICY,
        )
        # From here on, what django.core.mail.EmailMessage.message() does.
        msg["Subject"] = self.subject
        msg["From"] = self.extra_headers.get("From", self.from_email)
        for header, values in (("To", self.to), ("Cc", self.cc), ("Reply-To", self.reply_to)):
            if header in self.extra_headers:
                msg[header] = self.extra_headers[header]
            elif values:
                msg[header] = ", ".join(str(value) for value in values)
        header_names = [key.lower() for key in self.extra_headers]
        if "date" not in header_names:
            msg["Date"] = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
        if "message-id" not in header_names:
            msg["Message-ID"] = make_msgid(domain=DNS_NAME)
        for name, value in self.extra_headers.items():
            if name.lower() not in {"from", "to", "cc", "reply-to"}:
                msg[name] = value
        return msg


def _boundary(*parts: str) -> str:
    # The email package's own form and randomness, checked against the parts as the package does.
    while True:
        boundary = f"==============={secrets.randbelow(sys.maxsize):019d}=="
        if not any(boundary in part for part in parts):
            return boundary
