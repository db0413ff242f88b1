from __future__ import annotations

from django.apps import AppConfig


class SupportersConfig(AppConfig):
    """Supporters, their confirmations and their data rights; shared by petitions, letters and donations.

    Uses privacy and emails; imports no other domain app (they listen to supporters.signals).
    """

    name = "supporters"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from supporters.mail_kinds import register_kinds
        from supporters.personal_data import register_personal_data

        register_kinds()
        register_personal_data()
