from __future__ import annotations

from django.urls import path

from briefings import views

# Named at the root (no namespace): e-mails and PDFs build these links with emails.links.absolute_url.
urlpatterns = [
    path("b/<str:code>/", views.verify_page, name="briefing-verify"),
    path("b/<str:code>/pdf/<str:token>/", views.pdf_for_official, name="briefing-pdf"),
]
