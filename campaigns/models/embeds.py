"""The partner sites allowed to embed a campaign's forms and status cards in a frame."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
# What a host may hold once in ASCII: a name, an IPv4 address, or a bracketed IPv6 one. Anything else
# (a comma, a space, a non-ASCII letter) could not go into a Content-Security-Policy header as it is.
_HOST = re.compile(r"[a-z0-9.-]+|\[[0-9a-f:.]+\]")


def canonical_origin(value: str) -> str:
    """`https://partner.example.org` as a browser sends it: scheme and host in lower case, no path,
    no default port, an internationalised name in its ASCII (IDNA) form. Plain http only for
    loopback (a partner's local development)."""
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise ValidationError(_("Give an origin such as https://partner.example.org."), code="origin")
    if parts.path not in {"", "/"} or parts.query or parts.fragment or parts.username or parts.password:
        raise ValidationError(_("An origin is a scheme and a host only, without a path."), code="origin")
    scheme, hostname = parts.scheme.lower(), parts.hostname.lower()
    try:
        port = parts.port
    except ValueError:
        raise ValidationError(_("The port is not a number from 1 to 65535."), code="origin") from None
    try:
        ascii_host = hostname if ":" in hostname else hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValidationError(_("An origin is a scheme and a host only, without a path."), code="origin") from None
    host = f"[{ascii_host}]" if ":" in ascii_host else ascii_host
    if not _HOST.fullmatch(host):
        raise ValidationError(_("An origin is a scheme and a host only, without a path."), code="origin")
    if scheme == "http" and ascii_host not in LOOPBACK_HOSTS:
        raise ValidationError(_("Partner sites must use https (plain http only on localhost)."), code="https")
    if port is not None and port != {"http": 80, "https": 443}[scheme]:
        host = f"{host}:{port}"
    return f"{scheme}://{host}"


class EmbedOrigin(models.Model):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="embed_origins")
    origin = models.CharField(
        max_length=200, help_text="Scheme and host of the partner's page, e.g. https://partner.org."
    )
    referrer = models.CharField(
        max_length=40,
        blank=True,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]*$")],  # a signature's referrer code (signature_input)
        help_text="The referrer code the organizers' snippets for this partner put in the frame's URL (?ref=).",
    )
    note = models.CharField(max_length=200, blank=True, help_text="Who the partner is, for organizers.")
    created = models.DateTimeField(auto_now_add=True)

    audit_label = "embed origin"

    class Meta:
        ordering = ("origin",)
        constraints = [models.UniqueConstraint(fields=["campaign", "origin"], name="one_embed_origin_per_campaign")]

    def __str__(self) -> str:
        return self.origin

    def clean(self) -> None:
        self.origin = canonical_origin(self.origin)
