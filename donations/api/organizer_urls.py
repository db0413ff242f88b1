from __future__ import annotations

from django.urls import path

from donations.api import organizer

app_name = "donations-organizer-api"
CAMPAIGN = "campaigns/<slug:campaign_slug>/donations/"

urlpatterns = [
    path(
        f"{CAMPAIGN}settings/",
        organizer.DonationSettingsViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="settings",
    ),
    path(f"{CAMPAIGN}totals/", organizer.DonationTotalsViewSet.as_view({"get": "retrieve"}), name="totals"),
    path(f"{CAMPAIGN}export/", organizer.DonationExportViewSet.as_view({"get": "download"}), name="export"),
]
