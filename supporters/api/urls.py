from __future__ import annotations

from django.urls import path

from supporters.api import views

app_name = "supporters-api"

urlpatterns = [
    path("my-data/", views.MyDataRequestView.as_view(), name="my-data"),
]
