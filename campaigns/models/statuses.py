from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models.campaigns import Campaign
from campaigns.models.dates import check_partial_date, format_partial_date, precision_field
from campaigns.models.places import Place


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    PARTNERSHIP_DOCUMENTED = "partnership_documented", _("Partnership documented")
    PETITIONING = "petitioning", _("Petitioning")
    ASK_DELIVERED = "ask_delivered", _("Ask delivered")
    ON_AGENDA = "on_agenda", _("On the council agenda")
    COUNCIL_VOTED = "council_voted", _("Council voted")
    PARTNERSHIP_ENDED = "partnership_ended", _("Partnership ended")
    LOST = "lost", _("Lost")


# Our own records may show these steps; the others are public facts that need a public source.
INTERNAL_STEPS = frozenset({Status.NOT_STARTED, Status.PETITIONING, Status.ASK_DELIVERED})


def needs_public_source(status: str) -> bool:
    return Status(status) not in INTERNAL_STEPS


class PlaceStatusQuerySet(models.QuerySet["PlaceStatus"]):
    def for_campaign(self, campaign: Campaign) -> PlaceStatusQuerySet:
        return self.filter(campaign=campaign)


class PlaceStatus(models.Model):
    """Where one place stands in one campaign: the place is tracked by the campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="place_statuses")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="statuses")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.NOT_STARTED)
    changed_at = models.DateTimeField(default=timezone.now, help_text="When the status last changed.")
    notes = models.TextField(blank=True, help_text="Facts about the place in this campaign; cite them.")

    objects: ClassVar[PlaceStatusQuerySet] = PlaceStatusQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = (models.UniqueConstraint(fields=("campaign", "place"), name="one_status_per_place"),)
        ordering = ("place__state", "place__name")
        verbose_name_plural = "place statuses"

    def __str__(self) -> str:
        return f"{self.place}: {self.get_status_display()}"

    @property
    def audit_label(self) -> str:
        return str(self)[:200]


class TimelineEvent(models.Model):
    """A dated event in a place's campaign timeline, with its evidence; may change the status."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="timeline_events")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="timeline_events")
    occurred_on = models.DateField()
    occurred_precision = precision_field()
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    status_before = models.CharField(max_length=24, choices=Status.choices, blank=True)
    status_after = models.CharField(max_length=24, choices=Status.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("occurred_on", "pk")
        indexes = (models.Index(fields=("campaign", "place", "occurred_on")),)

    def __str__(self) -> str:
        return f"{self.occurred_display}: {self.title}"

    @property
    def audit_label(self) -> str:
        return str(self)[:200]

    @property
    def occurred_display(self) -> str:
        return format_partial_date(self.occurred_on, self.occurred_precision)

    @property
    def changes_status(self) -> bool:
        return bool(self.status_after)

    def clean(self) -> None:
        check_partial_date(self.occurred_on, self.occurred_precision, field="occurred_on")
