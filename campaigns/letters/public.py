"""What anyone may read of a public campaign's letter drives."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from campaigns.models import Campaign, Letter, LetterCampaign


def letter_campaigns_of(campaign: Campaign) -> QuerySet[LetterCampaign]:
    return LetterCampaign.objects.filter(campaign=campaign).select_related("campaign", "place")


def public_letter_campaign(*, campaign_slug: str, letter_slug: str) -> LetterCampaign:
    found = LetterCampaign.objects.filter(campaign__is_public=True, campaign__slug=campaign_slug)
    return get_object_or_404(found.select_related("campaign", "place"), slug=letter_slug)


def letter_count(letter_campaign: LetterCampaign) -> int:
    return Letter.objects.counted().filter(letter_campaign=letter_campaign).count()
