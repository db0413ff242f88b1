"""What organizers set for a campaign's briefings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign


class UnverifiedSources(models.TextChoices):
    MARK = "mark", _("Cite them, marked as unverified")
    OMIT = "omit", _("Leave them out (and the facts resting only on them)")


class BriefingPreferences(models.Model):
    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="briefing_preferences")
    organization = models.CharField(max_length=200, blank=True, help_text="Printed on the cover as the author.")
    unverified_sources = models.CharField(
        max_length=4, choices=UnverifiedSources.choices, default=UnverifiedSources.MARK
    )
    # A new edition each time a place's confirmed signatures pass the next multiple of this.
    support_step = models.PositiveIntegerField(
        null=True, blank=True, help_text="New edition every N confirmed signatures in a place; empty: never."
    )

    class Meta:
        verbose_name_plural = "briefing preferences"

    def __str__(self) -> str:
        return f"briefing preferences of {self.campaign}"

    @property
    def audit_label(self) -> str:
        return str(self)[:200]

    @classmethod
    def of(cls, campaign: Campaign) -> BriefingPreferences:
        found = cls.objects.filter(campaign=campaign).first()
        return found or cls(campaign=campaign)
