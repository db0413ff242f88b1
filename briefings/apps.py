from __future__ import annotations

from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    """Citation-backed PDF briefings for councils: editions, verification pages, deliveries."""

    name = "briefings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from briefings.mail_kinds import register_kinds
        from briefings.personal_data import register_personal_data
        from briefings.receivers import edition_on_confirmation, edition_on_status_change
        from campaigns.signals import place_status_changed
        from supporters.signals import confirmed

        register_kinds()
        register_personal_data()
        place_status_changed.connect(edition_on_status_change, dispatch_uid="briefings.edition_on_status_change")
        confirmed.connect(edition_on_confirmation, dispatch_uid="briefings.edition_on_confirmation")
