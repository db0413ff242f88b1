"""What an operator watches: Stripe events stored but not (yet) handled."""

from __future__ import annotations

from donations.models import StripeEvent


def unprocessed_event_count() -> int:
    """Received, in progress, waiting for a retry, failed, or of an unsupported API version."""
    return StripeEvent.objects.unprocessed().count()
