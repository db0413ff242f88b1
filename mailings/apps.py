from __future__ import annotations

from django.apps import AppConfig


class MailingsConfig(AppConfig):
    """Mailings to a campaign's supporters and the notices they get when their city's status changes."""

    name = "mailings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from campaigns.signals import place_status_changed
        from mailings.mail_kinds import register_kinds
        from mailings.receivers import announce_status_change

        register_kinds()
        place_status_changed.connect(announce_status_change, dispatch_uid="mailings.receivers.announce_status_change")
