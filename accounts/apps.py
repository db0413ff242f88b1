from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Organizer accounts (allauth adapters, two factors, audit trail); imports no domain app."""

    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts import receivers  # noqa: F401  (connects the signal receivers)
        from accounts.mail_kinds import register_kinds

        register_kinds()
