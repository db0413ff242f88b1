from __future__ import annotations

import zoneinfo
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.models.dates import ends_after_it_starts


def validate_time_zone(name: str) -> None:
    if name not in zoneinfo.available_timezones():
        raise ValidationError(_("%(name)s is not an IANA time zone such as America/New_York.") % {"name": repr(name)})


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def public(self) -> CampaignQuerySet:
        return self.filter(is_public=True)


class Campaign(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    is_public = models.BooleanField(default=False, help_text="Draft campaigns are seen only by their organizers.")
    ask = models.TextField(blank=True, help_text="What we ask each council to do, in one or two sentences.")
    description = models.TextField(blank=True)
    signature_goal = models.PositiveIntegerField(null=True, blank=True)
    letter_goal = models.PositiveIntegerField(null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    # Daily digests, per-day totals and charts count days in this zone.
    # Letters to officials leave From this address (authenticated for the campaign's domain, never a
    # supporter's: city mail filters reject spoofed senders); empty: DEFAULT_FROM_EMAIL.
    sending_address = models.EmailField(blank=True)
    time_zone = models.CharField(max_length=64, default="America/New_York", validators=[validate_time_zone])
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects: ClassVar[CampaignQuerySet] = CampaignQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("title",)
        constraints = (ends_after_it_starts("starts_on", "ends_on", name="campaign_ends_after_it_starts"),)

    def __str__(self) -> str:
        return self.title

    @property
    def audit_label(self) -> str:
        return self.title
