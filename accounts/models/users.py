from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


class OrganizerManager(UserManager["User"]):
    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: object
    ) -> User:
        return super().create_user(username=email, email=email, password=password, **extra_fields)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: object
    ) -> User:
        return super().create_superuser(username=email, email=email, password=password, **extra_fields)


class User(AbstractUser):
    """An organizer. Supporters never have accounts; they act through signed e-mail links."""

    username = models.CharField(max_length=254, unique=True, editable=False)
    email = models.EmailField("e-mail address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects: ClassVar[OrganizerManager] = OrganizerManager()  # type: ignore[assignment]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.username = self.email  # AbstractUser's username stays unique and mirrors the e-mail
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "email" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username"}
        super().save(*args, **kwargs)
