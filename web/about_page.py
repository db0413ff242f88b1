"""The about page: who runs Townhall, what it does with what supporters give it, and what it never does."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from campaigns.models import Campaign


@require_GET
def about_page(request: HttpRequest) -> HttpResponse:
    context = {
        "campaigns": Campaign.objects.public().order_by("title"),
        "unconfirmed_days": settings.SUPPORTER_UNCONFIRMED_RETENTION_DAYS,
        "ip_hash_days": settings.IP_HASH_RETENTION_DAYS,
    }
    return TemplateResponse(request, "web/about.html", context)
