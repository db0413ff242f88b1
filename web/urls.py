from __future__ import annotations

from django.urls import path

from web import invitations, mail_previews, petitions, views
from web.my_data import my_data_page
from web.privacy_page import privacy_page

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("invitations/<str:secret>/", invitations.invitation, name="invitation"),
    path("organizer/mail/", mail_previews.mail_kinds, name="mail_previews"),
    path("organizer/mail/<str:name>/", mail_previews.mail_kind, name="mail_preview"),
    path("organizer/mail/<str:name>/html/", mail_previews.mail_kind_html, name="mail_preview_html"),
    path("my-data/", my_data_page, name="my-data"),
    path("privacy/", privacy_page, name="privacy"),
    path("campaigns/<slug:slug>/petitions/<slug:petition_slug>/", petitions.petition_page, name="petition"),
    path("campaigns/<slug:slug>/petitions/<slug:petition_slug>/signed/", petitions.signed_page, name="petition-signed"),
]
