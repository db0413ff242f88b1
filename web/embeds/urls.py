"""What partners put in a frame: the sign and write forms, their thanks, and a place's status card."""

from __future__ import annotations

from django.urls import path

from web.embeds import forms_in_frames, status_card

CAMPAIGN = "campaigns/<slug:slug>/"

urlpatterns = [
    path(f"{CAMPAIGN}petitions/<slug:petition_slug>/", forms_in_frames.sign_frame, name="embed-petition"),
    path(
        f"{CAMPAIGN}petitions/<slug:petition_slug>/signed/",
        forms_in_frames.signed_frame,
        name="embed-petition-signed",
    ),
    path(f"{CAMPAIGN}letters/<slug:letter_slug>/", forms_in_frames.write_frame, name="embed-letter"),
    path(f"{CAMPAIGN}letters/<slug:letter_slug>/sent/", forms_in_frames.written_frame, name="embed-letter-written"),
    path(f"{CAMPAIGN}places/<int:place_id>/", status_card.status_card, name="embed-place"),
]
