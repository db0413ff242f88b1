from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.models.campaigns import Campaign


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


# Each role can do everything the ones below it can.
ROLE_RANK = {Role.VIEWER: 1, Role.EDITOR: 2, Role.OWNER: 3}


def role_includes(held: str, needed: str) -> bool:
    return ROLE_RANK[Role(held)] >= ROLE_RANK[Role(needed)]


def weaker_role(first: str, second: str) -> Role:
    return min(Role(first), Role(second), key=ROLE_RANK.__getitem__)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def owners(self) -> MembershipQuerySet:
        return self.filter(role=Role.OWNER)


class Membership(models.Model):
    """An organizer's role in one campaign."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)
    created = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[MembershipQuerySet] = MembershipQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = (models.UniqueConstraint(fields=("user", "campaign"), name="one_membership_per_campaign"),)
        ordering = ("campaign", "user")

    def __str__(self) -> str:
        return f"{self.user} — {self.role} of {self.campaign}"

    def allows(self, needed: str) -> bool:
        return role_includes(self.role, needed)
