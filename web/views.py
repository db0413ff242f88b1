from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from campaigns.models import Campaign


def home(request: HttpRequest) -> HttpResponse:
    campaigns = Campaign.objects.public().prefetch_related("petitions")
    return TemplateResponse(request, "web/home.html", {"campaigns": campaigns})
