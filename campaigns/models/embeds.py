"""The partner sites allowed to embed a campaign's forms and status cards in a frame."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# The same shape as a signature's referrer code (campaigns.signature_input.referrer_validator).
REFERRER_PATTERN = r"^[A-Za-z0-9_-]*$"
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})


def canonical_origin(value: str) -> str:
    """`https://partner.example.org` as a browser sends it: scheme and host in lower case, no path,
    no default port. Plain http only for loopback (a partner's local development)."""
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise ValidationError(_("Give an origin such as https://partner.example.org."), code="origin")
    if parts.path not in {"", "/"} or parts.query or parts.fragment or parts.username or parts.password:
        raise ValidationError(_("An origin is a scheme and a host only, without a path."), code="origin")
    if any(c in text for c in "*\"'; \t\r\n"):
        raise ValidationError(_("An origin is a scheme and a host only, without a path."), code="origin")
    scheme = parts.scheme.lower()
    host = parts.netloc.lower().rsplit("@", 1)[-1]
    hostname = parts.hostname.lower()
    if scheme == "http" and hostname not in {"localhost", "127.0.0.1", "::1"}:
        raise ValidationError(_("Partner sites must use https (plain http only on localhost)."), code="https")
    try:
        port = parts.port
    except ValueError:
        raise ValidationError(_("The port is not a number from 1 to 65535."), code="origin") from None
    if port is not None and port == {"http": 80, "https": 443}[scheme]:
        host = host.rsplit(":", 1)[0]
    return f"{scheme}://{host}"


class EmbedOrigin(models.Model):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="embed_origins")
    origin = models.CharField(
        max_length=200, help_text="Scheme and host of the partner's page, e.g. https://partner.org."
    )
    referrer = models.CharField(
        max_length=40,
        blank=True,
        validators=[RegexValidator(REFERRER_PATTERN)],
        help_text="The referrer code the partner's embedded forms record unless the frame's URL gives one.",
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
