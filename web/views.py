from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from campaigns.models import Campaign


def home(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "web/home.html", {"campaigns": Campaign.objects.public()})
