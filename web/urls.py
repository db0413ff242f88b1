from __future__ import annotations

from django.urls import path

from web import invitations, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("invitations/<str:secret>/", invitations.invitation, name="invitation"),
]
