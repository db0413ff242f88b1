from __future__ import annotations

from django.urls import path

from campaigns.api.organizer import views

app_name = "organizer-api"
CAMPAIGN = "campaigns/<slug:campaign_slug>/"

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("campaigns/", views.CampaignViewSet.as_view({"get": "list", "post": "create"}), name="campaign-list"),
    path(
        CAMPAIGN,
        views.CampaignDetailViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="campaign-detail",
    ),
    path(f"{CAMPAIGN}members/", views.MemberViewSet.as_view({"get": "list"}), name="member-list"),
    path(
        f"{CAMPAIGN}members/<int:pk>/",
        views.MemberViewSet.as_view({"patch": "partial_update", "delete": "destroy"}),
        name="member-detail",
    ),
    path(
        f"{CAMPAIGN}invitations/",
        views.InvitationViewSet.as_view({"get": "list", "post": "create"}),
        name="invitation-list",
    ),
    path(
        f"{CAMPAIGN}invitations/<int:pk>/",
        views.InvitationViewSet.as_view({"delete": "destroy"}),
        name="invitation-detail",
    ),
    path(f"{CAMPAIGN}tokens/", views.ApiTokenViewSet.as_view({"get": "list", "post": "create"}), name="token-list"),
    path(f"{CAMPAIGN}tokens/<int:pk>/", views.ApiTokenViewSet.as_view({"delete": "destroy"}), name="token-detail"),
    path(f"{CAMPAIGN}audit-events/", views.AuditEventViewSet.as_view({"get": "list"}), name="audit-event-list"),
]
