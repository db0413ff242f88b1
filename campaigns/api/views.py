from __future__ import annotations

from rest_framework import generics, permissions

from campaigns.api.serializers import PublicCampaignSerializer
from campaigns.models import Campaign


class PublicCampaignList(generics.ListAPIView[Campaign]):
    """Public campaigns, newest first."""

    permission_classes = (permissions.AllowAny,)
    serializer_class = PublicCampaignSerializer
    queryset = Campaign.objects.public()
    cursor_ordering = ("-created", "-pk")


class PublicCampaignDetail(generics.RetrieveAPIView[Campaign]):
    permission_classes = (permissions.AllowAny,)
    serializer_class = PublicCampaignSerializer
    queryset = Campaign.objects.public()
    lookup_field = "slug"
