from __future__ import annotations

from django.apps import AppConfig


class DonationsConfig(AppConfig):
    """Donations through Stripe Checkout, recorded exactly once from Stripe's webhooks. Reads campaigns."""

    name = "donations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from donations.mail_kinds import register_kinds
        from donations.monitoring import unprocessed_event_count
        from donations.personal_data import register_personal_data
        from health.metrics import register_gauge

        register_kinds()
        register_personal_data()
        register_gauge(
            "townhall_stripe_events_unprocessed",
            "Stripe events stored but not handled: queued, retrying, failed or of an unsupported API version.",
            unprocessed_event_count,
        )
