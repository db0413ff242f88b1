"""The campaign's widget settings page, under organizer/campaigns/<slug>/widget/."""

from __future__ import annotations

from django.urls import path

from web.embeds import settings_page

urlpatterns = [
    path("", settings_page.embed_settings, name="embed-settings"),
    path("origins/<int:pk>/delete/", settings_page.remove_origin, name="embed-origin-delete"),
]
