from __future__ import annotations

from django.urls import include, path

from web import donate, invitations, letters, mail_previews, petitions, tracker, views
from web.about_page import about_page
from web.language import choose_language
from web.my_data import my_data_page
from web.privacy_page import privacy_page

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("invitations/<str:secret>/", invitations.invitation, name="invitation"),
    # The widget's settings page comes first: the dashboard's include would otherwise take the prefix.
    path("organizer/campaigns/<slug:slug>/widget/", include("web.embeds.organizer_urls")),
    path("organizer/campaigns/", include("web.dashboard.urls")),
    path("embed/", include("web.embeds.urls")),
    path("organizer/mail/", mail_previews.mail_kinds, name="mail_previews"),
    path("organizer/mail/<str:name>/", mail_previews.mail_kind, name="mail_preview"),
    path("organizer/mail/<str:name>/html/", mail_previews.mail_kind_html, name="mail_preview_html"),
    path("my-data/", my_data_page, name="my-data"),
    path("privacy/", privacy_page, name="privacy"),
    path("about/", about_page, name="about"),
    path("language/", choose_language, name="language"),
    path("campaigns/<slug:slug>/", tracker.campaign_home, name="campaign"),
    path("campaigns/<slug:slug>/places/<int:place_id>/", tracker.place_page, name="place"),
    path("campaigns/<slug:slug>/donate/", donate.donate_page, name="donate"),
    path("campaigns/<slug:slug>/petitions/<slug:petition_slug>/", petitions.petition_page, name="petition"),
    path("campaigns/<slug:slug>/petitions/<slug:petition_slug>/signed/", petitions.signed_page, name="petition-signed"),
    path("campaigns/<slug:slug>/letters/<slug:letter_slug>/", letters.letter_page, name="letter"),
    path("campaigns/<slug:slug>/letters/<slug:letter_slug>/sent/", letters.written_page, name="letter-written"),
    path("officials/position/<str:token>/", letters.position_page, name="official-position"),
]
