"""The demo campaign a newcomer sees after `make demo`."""

from __future__ import annotations

from django.db import transaction

from campaigns.models import Campaign

DEMO_SLUG = "end-ring-police-partnerships"


@transaction.atomic
def load_demo_campaign() -> Campaign:
    campaign, _ = Campaign.objects.update_or_create(
        slug=DEMO_SLUG,
        defaults={"title": "End police partnerships with Amazon Ring", "is_public": True},
    )
    return campaign
