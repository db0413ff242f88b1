from __future__ import annotations

from django.apps import AppConfig


class EmailsConfig(AppConfig):
    """The one way mail leaves Townhall; knows messages, not petitions."""

    name = "emails"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anymail.signals import tracking

        from emails.receivers import on_tracking

        tracking.connect(on_tracking, dispatch_uid="emails.receivers.on_tracking")

        from emails.personal_data import register_personal_data

        register_personal_data()
