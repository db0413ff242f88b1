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
