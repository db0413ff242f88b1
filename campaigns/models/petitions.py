"""Petitions and their signatures, and the sharded tallies that count confirmed ones."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.fields import EncryptedTextField

# Each confirmation adds 1 to one of this many rows, picked at random, so a viral petition's
# counter is not one hot row every signer's transaction queues on; a read sums at most this many.
TALLY_SLOTS = 16


class Petition(models.Model):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="petitions")
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    text = models.TextField(help_text="What signers put their name to.")
    # One place, or every place of the campaign when empty.
    place = models.ForeignKey("campaigns.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    consent_version = models.CharField(
        max_length=40, default="2026-11", help_text="Changes whenever the consent wording on the form changes."
    )
    is_open = models.BooleanField(default=True)
    signature_goal = models.PositiveIntegerField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("campaign", "title")
        constraints = [models.UniqueConstraint(fields=["campaign", "slug"], name="petition_slug_per_campaign")]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_label(self) -> str:
        return self.title


class OfficialsSee(models.TextChoices):
    COUNT = "count", _("only that I signed, as part of the count")
    NAME_CITY = "name_city", _("my name and city")
    NAME_ADDRESS = "name_address", _("my name and full address")


class Review(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    HELD = "held", _("held for an organizer")
    REJECTED = "rejected", _("rejected by an organizer")


class SignatureQuerySet(models.QuerySet["Signature"]):
    def counted(self) -> SignatureQuerySet:
        """What public figures and briefings count: confirmed and not held or rejected."""
        return self.filter(confirmed_at__isnull=False, review=Review.ACCEPTED)


class Signature(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="signatures")
    # PROTECT: erasure empties the supporter and keeps the row, so the signature stays a count.
    supporter = models.ForeignKey("supporters.Supporter", on_delete=models.PROTECT, related_name="signatures")
    place = models.ForeignKey("campaigns.Place", on_delete=models.PROTECT, related_name="signatures")
    comment = EncryptedTextField(blank=True, default="")
    show_name = models.BooleanField(default=False, help_text="Consented to show first name and initial publicly.")
    email_updates = models.BooleanField(default=False, help_text="Consented to e-mail updates about the campaign.")
    consent_version = models.CharField(max_length=40)
    consented_at = models.DateTimeField(default=timezone.now)
    officials_see = models.CharField(max_length=20, choices=OfficialsSee.choices, default=OfficialsSee.COUNT)
    referrer = models.CharField(max_length=40, blank=True)
    # The visit's confirmation; the signature counts once it is confirmed.
    confirmation = models.ForeignKey(
        "supporters.Confirmation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    review = models.CharField(max_length=20, choices=Review.choices, default=Review.ACCEPTED)
    flags = models.JSONField(default=list, blank=True, help_text="Why the signature was held (honeypot, domain…).")
    # Keyed hash of the client IP (privacy.ip_hashes), cleared to NULL after IP_HASH_RETENTION_DAYS.
    ip_hash = models.CharField(max_length=80, null=True, blank=True)  # noqa: DJ001 (NULL: purged)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[SignatureQuerySet] = SignatureQuerySet.as_manager()  # type: ignore[assignment]

    audit_label = "signature"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["petition", "supporter"], name="one_signature_per_supporter")]
        indexes = [
            models.Index(fields=["petition", "-confirmed_at"], name="signature_recent_confirmed"),
            models.Index(fields=["confirmation"], name="signature_confirmation"),
            models.Index(fields=["review", "created_at"], name="signature_held", condition=models.Q(review="held")),
            models.Index(
                fields=["created_at"], name="signature_ip_hash_age", condition=models.Q(ip_hash__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"signature {self.pk} on {self.petition_id}"

    @property
    def is_counted(self) -> bool:
        """The one-row form of SignatureQuerySet.counted()."""
        return self.confirmed_at is not None and self.review == Review.ACCEPTED


class SignatureTally(models.Model):
    """Confirmed signatures of a petition in one place, spread over TALLY_SLOTS rows."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="tallies")
    # Empty: the petition's total over every place, so the total is as cheap to read as a place's.
    place = models.ForeignKey("campaigns.Place", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    slot = models.PositiveSmallIntegerField()
    confirmed = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "place", "slot"],
                name="one_tally_row_per_slot",
                condition=models.Q(place__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["petition", "slot"], name="one_total_row_per_slot", condition=models.Q(place__isnull=True)
            ),
        ]
        indexes = [models.Index(fields=["place", "petition"], name="tally_by_place")]

    def __str__(self) -> str:
        return f"tally {self.petition_id}/{self.place_id}/{self.slot}: {self.confirmed}"
