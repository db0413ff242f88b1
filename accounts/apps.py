from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Organizer accounts (allauth adapters, the user model); imports no domain app."""

    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
