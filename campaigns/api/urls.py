from __future__ import annotations

from django.urls import path

from campaigns.api import views
from campaigns.api.public import challenges
from campaigns.api.public import letters as letter_views
from campaigns.api.public import petitions as petition_views
from campaigns.api.public import views as public

app_name = "campaigns-api"
CAMPAIGN = "campaigns/<slug:slug>/"
PETITION = f"{CAMPAIGN}petitions/<slug:petition_slug>/"
LETTERS = f"{CAMPAIGN}letters/<slug:letter_slug>/"

urlpatterns = [
    path("campaigns/", views.PublicCampaignList.as_view(), name="campaign-list"),
    path(CAMPAIGN, views.PublicCampaignDetail.as_view(), name="campaign-detail"),
    path(f"{CAMPAIGN}places/", public.TrackedPlaceList.as_view(), name="place-list"),
    path(f"{CAMPAIGN}places/<int:place_id>/", public.TrackedPlaceDetail.as_view(), name="place-detail"),
    path(f"{CAMPAIGN}places.geojson", public.TrackedPlaceMap.as_view(), name="place-geojson"),
    path(f"{CAMPAIGN}sources/", public.SourceList.as_view(), name="source-list"),
    path(f"{CAMPAIGN}petitions/", petition_views.PetitionList.as_view(), name="petition-list"),
    path(PETITION, petition_views.PetitionDetail.as_view(), name="petition-detail"),
    path(f"{PETITION}recent-signers/", petition_views.RecentSignerList.as_view(), name="petition-recent-signers"),
    path(f"{PETITION}signatures/", petition_views.SignatureCreate.as_view(), name="petition-sign"),
    path("petitions/challenge/", challenges.SigningChallengeView.as_view(), name="signing-challenge"),
    path(LETTERS, letter_views.LetterCampaignDetail.as_view(), name="letter-campaign-detail"),
    path(f"{LETTERS}letters/", letter_views.LetterCreate.as_view(), name="letter-write"),
]
