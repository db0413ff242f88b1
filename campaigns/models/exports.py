"""An owner's export of a campaign's signatures: asked for in a request, written by a heavy task."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignatureExportQuerySet(models.QuerySet["SignatureExport"]):
    def in_progress(self, *, since: dt.datetime) -> SignatureExportQuerySet:
        """Waiting or running, and asked for after `since`: older ones are lost (a sweep fails them)."""
        running = (SignatureExport.Status.PENDING, SignatureExport.Status.RUNNING)
        return self.filter(status__in=running, created__gte=since)


class SignatureExport(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("expired (file deleted)")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="signature_exports")
    # Kept when the account goes: the audit trail names who asked, this row only points.
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filters = models.JSONField(
        default=dict, blank=True, help_text="What the owner asked for: campaigns.exports.filters."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    row_count = models.PositiveIntegerField(null=True, blank=True)
    # The file's name in the "signature_exports" storage, which has no URL; empty once deleted.
    file_name = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why it failed; never personal data.")

    objects: ClassVar[SignatureExportQuerySet] = SignatureExportQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("-created", "-pk")
        indexes = [models.Index(fields=["campaign", "-created"], name="signature_export_recent")]

    def __str__(self) -> str:
        return f"signature export {self.pk} of campaign {self.campaign_id}"

    @property
    def audit_label(self) -> str:
        return f"signature export {self.pk}"

    @property
    def is_downloadable(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file_name)
