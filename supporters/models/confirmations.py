"""A confirmation: the one e-mailed link that makes a visit's actions count."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.db import models
from django.utils import timezone

from privacy.fields import EncryptedTextField
from supporters.models.supporters import Supporter

# How long a confirmation link works; an open confirmation older than this is never reused.
CONFIRMATION_LINK_AGE = dt.timedelta(days=7)


class ConfirmationQuerySet(models.QuerySet["Confirmation"]):
    def open(self) -> ConfirmationQuerySet:
        return self.filter(confirmed_at__isnull=True, created_at__gt=timezone.now() - CONFIRMATION_LINK_AGE)


class Confirmation(models.Model):
    """Everything one visit did for one address waits on this row until its link is confirmed.

    Actions of later apps (signatures, letters) point here (on_delete=CASCADE) and count once
    `confirmed_at` is set. The details the visit gave (name, street address) are held here and
    copied to the supporter on confirmation, so a stranger who types someone else's address can
    neither act for them nor change what we hold about them.
    """

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="confirmations")
    name = EncryptedTextField(null=True, blank=True)
    street_address = EncryptedTextField(null=True, blank=True)
    language = models.CharField(max_length=10)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[ConfirmationQuerySet] = ConfirmationQuerySet.as_manager()  # type: ignore[assignment]

    audit_label = "confirmation"

    class Meta:
        indexes = [
            models.Index(fields=["created_at"], name="confirmation_open", condition=models.Q(confirmed_at=None)),
        ]

    def __str__(self) -> str:
        return f"confirmation {self.pk} ({'confirmed' if self.confirmed_at else 'open'})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
