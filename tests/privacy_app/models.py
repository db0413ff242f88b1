from __future__ import annotations

from django.db import models

from privacy.fields import EncryptedTextField, KeyedHashField


class Person(models.Model):
    email = EncryptedTextField()
    name = EncryptedTextField(null=True)
    email_hash = KeyedHashField(source="email", normalizer="tests.privacy_app.normalizers.email", unique=True)
    name_hash = KeyedHashField(source="name", null=True)

    def __str__(self) -> str:
        return f"Person {self.pk}"


class Visit(models.Model):
    """A row recording a client's keyed IP hash, as petitions will, for the retention purge."""

    ip_hash = models.CharField(max_length=80, null=True)  # noqa: DJ001  # None once purged, as the column contract asks
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Visit {self.pk}"
