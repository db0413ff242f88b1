from __future__ import annotations

from django.urls import path

from briefings.api import views

app_name = "briefings-api"
CAMPAIGN = "campaigns/<slug:campaign_slug>/"
EDITION = f"{CAMPAIGN}briefings/<int:pk>/"
_editions = views.EditionViewSet

urlpatterns = [
    path(f"{CAMPAIGN}briefings/", _editions.as_view({"get": "list", "post": "create"}), name="edition-list"),
    path(EDITION, _editions.as_view({"get": "retrieve"}), name="edition-detail"),
    path(f"{EDITION}preview/", _editions.as_view({"get": "preview"}), name="edition-preview"),
    path(f"{EDITION}pdf/", _editions.as_view({"get": "pdf"}), name="edition-pdf"),
    path(f"{EDITION}send/", _editions.as_view({"post": "send"}), name="edition-send"),
    path(f"{EDITION}deliveries/", _editions.as_view({"get": "deliveries"}), name="edition-deliveries"),
    path(
        f"{CAMPAIGN}briefing-preferences/",
        views.PreferencesViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="preferences",
    ),
]
