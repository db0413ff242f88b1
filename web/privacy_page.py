"""The privacy page: what we store, why, for how long and who can see it, from privacy.facts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from privacy.facts import all_facts


def privacy_page(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "web/privacy.html", {"facts": all_facts()})
