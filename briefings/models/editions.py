"""An edition of a briefing: one PDF for one place (optionally one official), kept with its figures."""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Official, Place
from supporters.models import Supporter

# Base32 without look-alikes (no 0/O, 1/I/L): a code someone may type from paper.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _i in range(CODE_LENGTH))


class Reason(models.TextChoices):
    ORGANIZER = "organizer", _("Asked for by an organizer")
    STATUS_CHANGE = "status_change", _("The place's status changed")
    SUPPORT_STEP = "support_step", _("Confirmed signatures passed a step")
    ERASURE = "erasure", _("Replaces an edition withdrawn because a person it named erased their data")


class EditionQuerySet(models.QuerySet["Edition"]):
    def done(self) -> EditionQuerySet:
        return self.filter(status=Edition.Status.DONE)

    def of_briefing(self, *, campaign: Campaign, place: Place, official: Official | None) -> EditionQuerySet:
        return self.filter(campaign=campaign, place=place, official=official)


class Edition(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RUNNING = "running", _("being generated")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        # Its PDF and HTML deleted because a person it named erased their data; its figures stay.
        WITHDRAWN = "withdrawn", _("withdrawn")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="briefing_editions")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    official = models.ForeignKey(Official, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    number = models.PositiveIntegerField()
    reason = models.CharField(max_length=20, choices=Reason.choices, default=Reason.ORGANIZER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # The short verification code printed (and QR-coded) on the PDF: /b/<code>/.
    code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_code)
    # SHA-256 of the inputs (figures, sources, appendix, template): an unchanged one reuses the edition.
    fingerprint = models.CharField(max_length=64, db_index=True)
    figures = models.JSONField(default=dict, help_text="Everything printed but the appendix's names.")
    changes = models.JSONField(default=list, help_text="What changed since the previous edition.")
    pdf_name = models.CharField(max_length=300, blank=True)
    html_name = models.CharField(max_length=300, blank=True)
    sha256 = models.CharField("SHA-256 of the PDF", max_length=64, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    generated_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The edition made (or already made) to replace a withdrawn one.",
    )

    objects: ClassVar[EditionQuerySet] = EditionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("-created", "-pk")
        constraints = (
            models.UniqueConstraint(
                fields=("campaign", "place", "official", "number"),
                name="edition_number_unique_per_official",
                condition=models.Q(official__isnull=False),
            ),
            models.UniqueConstraint(
                fields=("campaign", "place", "number"),
                name="edition_number_unique_per_place",
                condition=models.Q(official__isnull=True),
            ),
        )

    def __str__(self) -> str:
        return f"briefing {self.place} #{self.number}"

    @property
    def audit_label(self) -> str:
        return str(self)[:200]

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN


class NamedSupporter(models.Model):
    """A supporter an edition's appendix names, and what it showed: kept to withdraw it if they erase."""

    class Shown(models.TextChoices):
        NAME_CITY = "name_city", _("name and city")
        NAME_ADDRESS = "name_address", _("name and street address")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="named")
    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="+")
    shown = models.CharField(max_length=20, choices=Shown.choices)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("edition", "supporter"), name="named_once_per_edition"),)

    def __str__(self) -> str:
        return f"supporter {self.supporter_id} in {self.edition_id}"
