from __future__ import annotations

from typing import Any

from rest_framework import serializers

from campaigns.models import Campaign


class PublicCampaignSerializer(serializers.ModelSerializer[Campaign]):
    class Meta:
        model = Campaign
        fields: Any = ("slug", "title", "created", "updated")
