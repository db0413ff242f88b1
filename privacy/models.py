"""The log of data-rights requests and actions: what was done and how much, never for whom."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class DataRightsEvent(models.Model):
    """Holds no address, no hash of one and no request metadata: only the action and its counts."""

    class Action(models.TextChoices):
        REQUESTED = "requested", "links to export or erase asked for"
        EXPORTED = "exported", "data exported"
        ERASED = "erased", "data erased"
        PURGED = "purged", "retention purge"

    action = models.CharField(max_length=20, choices=Action.choices)
    at = models.DateTimeField(default=timezone.now)
    # Records per holder and kind, e.g. {"emails": {"messages": 3}}.
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["action", "at"], name="data_rights_action_at")]

    def __str__(self) -> str:
        return f"{self.action} at {self.at:%Y-%m-%d %H:%M}"
