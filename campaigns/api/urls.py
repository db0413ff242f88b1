from __future__ import annotations

from django.urls import path

from campaigns.api import views
from campaigns.api.public import views as public

app_name = "campaigns-api"
CAMPAIGN = "campaigns/<slug:slug>/"

urlpatterns = [
    path("campaigns/", views.PublicCampaignList.as_view(), name="campaign-list"),
    path(CAMPAIGN, views.PublicCampaignDetail.as_view(), name="campaign-detail"),
    path(f"{CAMPAIGN}places/", public.TrackedPlaceList.as_view(), name="place-list"),
    path(f"{CAMPAIGN}places/<int:place_id>/", public.TrackedPlaceDetail.as_view(), name="place-detail"),
    path(f"{CAMPAIGN}places.geojson", public.TrackedPlaceMap.as_view(), name="place-geojson"),
    path(f"{CAMPAIGN}sources/", public.SourceList.as_view(), name="source-list"),
]
