from __future__ import annotations

from django.urls import path

from donations.api import views

app_name = "donations-api"
CAMPAIGN = "campaigns/<slug:slug>/donations/"

urlpatterns = [
    path(CAMPAIGN, views.DonationOptions.as_view(), name="options"),
    path(f"{CAMPAIGN}checkout/", views.DonationCheckout.as_view(), name="checkout"),
    path(f"{CAMPAIGN}summary/", views.DonationSummary.as_view(), name="summary"),
]
