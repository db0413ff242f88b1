from __future__ import annotations

from typing import ClassVar

from django.db import models


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def public(self) -> CampaignQuerySet:
        return self.filter(is_public=True)


class Campaign(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    is_public = models.BooleanField(default=False, help_text="Draft campaigns are seen only by their organizers.")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects: ClassVar[CampaignQuerySet] = CampaignQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title

    @property
    def audit_label(self) -> str:
        return self.title
