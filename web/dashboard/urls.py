"""The organizer dashboard's pages and buttons, under /organizer/campaigns/ (names in the web: namespace)."""

from __future__ import annotations

from django.urls import path

from web.dashboard import actions, views

CAMPAIGN = "<slug:slug>/"

urlpatterns = [
    path("", views.campaign_list, name="dashboard-campaigns"),
    path(CAMPAIGN, views.dashboard, name="dashboard"),
    path(f"{CAMPAIGN}signatures/<int:pk>/review/", actions.review_signature, name="dashboard-signature-review"),
    path(f"{CAMPAIGN}letters/<int:pk>/review/", actions.review_letter, name="dashboard-letter-review"),
    path(f"{CAMPAIGN}briefings/", actions.request_briefing, name="dashboard-briefing-request"),
    path(f"{CAMPAIGN}briefings/<int:pk>/send/", actions.send_briefing, name="dashboard-briefing-send"),
    path(f"{CAMPAIGN}mailings/<int:pk>/steer/", actions.steer_mailing, name="dashboard-mailing-steer"),
]
