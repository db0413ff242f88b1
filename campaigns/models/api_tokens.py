from __future__ import annotations

from typing import ClassVar

from django.db import models

from campaigns.models.memberships import Membership, Role, weaker_role

TOKEN_PREFIX = "th"  # noqa: S105  (a public marker, not a secret)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal token for an integration: one campaign, one role, shown once, stored as a digest."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    role = models.CharField(max_length=10, choices=Role.choices)
    prefix = models.CharField(max_length=16, help_text="The first characters, to recognise a token in a list.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[ApiTokenQuerySet] = ApiTokenQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("-created",)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def effective_role(self) -> Role:
        # A token never outranks its member, also after the member was demoted.
        return weaker_role(self.role, self.membership.role)
