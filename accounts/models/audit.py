from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_campaign(self, campaign_id: int) -> AuditEventQuerySet:
        return self.filter(campaign_id=campaign_id)


class AuditEvent(models.Model):
    """Who did what to which object, or read how much personal data. Append-only.

    The target stays generic (content type, id, campaign id) so that this low-layer app
    never imports a domain app. PostgreSQL refuses UPDATE and DELETE on the table (a trigger).
    """

    class Action(models.TextChoices):
        CREATE = "create"
        UPDATE = "update"
        DELETE = "delete"
        READ_PERSONAL_DATA = "read_personal_data"
        EXPORT_PERSONAL_DATA = "export_personal_data"
        SECURITY = "security"

    created = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Kept when the actor's account is gone, so the trail still says who it was.
    actor_label = models.CharField(max_length=254, blank=True)
    via = models.CharField(max_length=40, blank=True, help_text="api, admin, api-token:<prefix>, web, command")
    action = models.CharField(max_length=32, choices=Action.choices)
    target_type = models.ForeignKey(ContentType, null=True, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    campaign_id = models.BigIntegerField(null=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True, help_text="field: [before, after], personal data redacted")
    details = models.JSONField(default=dict, blank=True, help_text="filters of a read, event names, …")
    row_count = models.PositiveIntegerField(null=True)

    objects: ClassVar[AuditEventQuerySet] = AuditEventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("-created", "-pk")
        indexes = (
            models.Index(fields=("target_type", "target_id")),
            # A campaign's latest events (the dashboard and the API's list) without sorting them all.
            models.Index(fields=("campaign_id", "-created", "-id"), name="audit_campaign_latest"),
        )

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"
