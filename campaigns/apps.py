from __future__ import annotations

from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    """Campaigns, the tracker, petitions and letters."""

    name = "campaigns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from campaigns.confirmation_lines import register_lines
        from campaigns.mail_kinds import register_kinds
        from campaigns.personal_data import register_personal_data
        from campaigns.receivers import count_confirmed_signatures, flag_officials
        from emails.signals import address_rejected
        from supporters.signals import confirmed

        register_kinds()
        register_personal_data()
        register_lines()
        address_rejected.connect(flag_officials, dispatch_uid="campaigns.receivers.flag_officials")
        confirmed.connect(count_confirmed_signatures, dispatch_uid="campaigns.receivers.count_confirmed_signatures")
        from campaigns.letters.receivers import connect as connect_letters

        connect_letters()
