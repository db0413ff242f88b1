from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.models.campaigns import Campaign
from campaigns.models.dates import check_partial_date, ends_after_it_starts, format_partial_date, precision_field
from campaigns.models.places import Place


class Agency(models.Model):
    """A police department or sheriff's office, and the places it polices."""

    class Kind(models.TextChoices):
        POLICE = "police", _("Police department")
        SHERIFF = "sheriff", _("Sheriff's office")
        OTHER = "other", _("Other agency")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="agencies")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.POLICE)
    places = models.ManyToManyField(Place, related_name="agencies", help_text="Its jurisdiction.")
    website = models.URLField(blank=True)

    class Meta:
        ordering = ("name",)
        constraints = (models.UniqueConstraint(fields=("campaign", "name"), name="agency_name_unique_in_campaign"),)
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return self.name


class Vendor(models.TextChoices):
    RING = "ring", _("Amazon Ring")
    FLOCK = "flock", _("Flock Safety")
    AXON = "axon", _("Axon")
    OTHER = "other", _("Other vendor")


class Program(models.TextChoices):
    """What a partnership lets police do; "partners with Ring" is several programs over time."""

    NEIGHBORS_PORTAL = "neighbors_portal", _("Neighbors Portal video requests (2018–2021)")
    REQUEST_FOR_ASSISTANCE = "request_for_assistance", _("Public Request for Assistance posts (2021–2024)")
    COMMUNITY_REQUESTS = "community_requests", _("Community Requests through Axon Evidence (2025–)")
    FLOCK_INTEGRATION = "flock_integration", _("Flock integration")
    LICENSE_PLATE_READERS = "license_plate_readers", _("License plate readers")
    OTHER = "other", _("Other program")


class PartnershipQuerySet(models.QuerySet["Partnership"]):
    def current(self) -> PartnershipQuerySet:
        return self.filter(ended_on__isnull=True)


class Partnership(models.Model):
    """One agency in one vendor program, with dates as precise as the evidence allows."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="partnerships")
    vendor = models.CharField(max_length=10, choices=Vendor.choices, default=Vendor.RING)
    program = models.CharField(max_length=30, choices=Program.choices)
    started_on = models.DateField(null=True, blank=True)
    started_precision = precision_field()
    ended_on = models.DateField(null=True, blank=True)
    ended_precision = precision_field()
    how_known = models.TextField(help_text="How we know: which record or report, and what it shows.")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects: ClassVar[PartnershipQuerySet] = PartnershipQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("agency", "started_on")
        constraints = (
            models.UniqueConstraint(fields=("agency", "vendor", "program"), name="one_partnership_per_program"),
            ends_after_it_starts("started_on", "ended_on", name="partnership_ends_after_it_starts"),
        )

    def __str__(self) -> str:
        return f"{self.agency} — {self.get_program_display()}"

    @property
    def audit_label(self) -> str:
        return str(self)[:200]

    @property
    def period_display(self) -> str:
        start = format_partial_date(self.started_on, self.started_precision) or "?"
        end = format_partial_date(self.ended_on, self.ended_precision)
        return f"{start} – {end}" if end else f"since {start}"

    def clean(self) -> None:
        check_partial_date(self.started_on, self.started_precision, field="started_on")
        check_partial_date(self.ended_on, self.ended_precision, field="ended_on")
