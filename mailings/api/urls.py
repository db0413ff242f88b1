from __future__ import annotations

from django.urls import path

from mailings.api import views

app_name = "mailings-api"
CAMPAIGN = "campaigns/<slug:campaign_slug>/"
MAILING = f"{CAMPAIGN}mailings/<int:pk>/"
_mailings = views.MailingViewSet

urlpatterns = [
    path(f"{CAMPAIGN}segment-size/", views.SegmentSizeViewSet.as_view({"get": "size"}), name="segment-size"),
    path(f"{CAMPAIGN}mailings/", _mailings.as_view({"get": "list", "post": "create"}), name="mailing-list"),
    path(
        MAILING,
        _mailings.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="mailing-detail",
    ),
    path(f"{MAILING}preview/", _mailings.as_view({"get": "preview"}), name="mailing-preview"),
    path(f"{MAILING}test/", _mailings.as_view({"post": "test"}), name="mailing-test"),
    path(f"{MAILING}send/", _mailings.as_view({"post": "send"}), name="mailing-send"),
    path(f"{MAILING}pause/", _mailings.as_view({"post": "pause"}), name="mailing-pause"),
    path(f"{MAILING}resume/", _mailings.as_view({"post": "resume"}), name="mailing-resume"),
    path(f"{MAILING}cancel/", _mailings.as_view({"post": "cancel"}), name="mailing-cancel"),
]
