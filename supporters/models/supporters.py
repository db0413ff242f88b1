"""A supporter: one person, known by their e-mail address, shared by petitions, letters and donations."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone

from privacy.addresses import ADDRESS_PURPOSE
from privacy.fields import EncryptedTextField, KeyedHashField


class SupporterQuerySet(models.QuerySet["Supporter"]):
    def never_confirmed(self) -> SupporterQuerySet:
        return self.filter(confirmed_at__isnull=True)


class Supporter(models.Model):
    """Personal data is encrypted; the address is found by its keyed hash (privacy.addresses).

    The hash is the pipeline's own address hash (same normalizer, same purpose), so a supporter
    matches their suppression entry and their outbox rows. Erasure empties every personal field
    and keeps the row: what the person confirmed (a signature) then counts anonymously.
    """

    # None only once erased.
    email = EncryptedTextField(null=True)
    email_hash = KeyedHashField(
        source="email",
        normalizer="privacy.addresses.canonical_email",
        purpose=ADDRESS_PURPOSE,
        unique=True,
        null=True,
    )
    # Set by the first confirmation: what a visit says about someone takes effect only once they confirm.
    name = EncryptedTextField(null=True, blank=True)
    # Only from a supporter who chose to show their full address to officials.
    street_address = EncryptedTextField(null=True, blank=True)
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[SupporterQuerySet] = SupporterQuerySet.as_manager()  # type: ignore[assignment]

    audit_label = "supporter"

    class Meta:
        indexes = [
            models.Index(fields=["created_at"], name="supporter_unconfirmed", condition=models.Q(confirmed_at=None)),
        ]

    def __str__(self) -> str:
        # Never the name or the address: this shows up in the admin, in logs and in tracebacks.
        return f"supporter {self.pk}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
