from __future__ import annotations

from django.urls import path

from campaigns.api import views

app_name = "campaigns-api"
urlpatterns = [
    path("campaigns/", views.PublicCampaignList.as_view(), name="campaign-list"),
    path("campaigns/<slug:slug>/", views.PublicCampaignDetail.as_view(), name="campaign-detail"),
]
