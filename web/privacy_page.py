"""The privacy page: what we store, why, for how long and who can see it, from privacy.facts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from campaigns.challenges import captcha
from privacy.facts import all_facts


def privacy_page(request: HttpRequest) -> HttpResponse:
    # Third parties a page may load when the operator turns them on (a captcha): said plainly, or nothing.
    third_parties = [notice for notice in (captcha.privacy_notice(),) if notice]
    return TemplateResponse(request, "web/privacy.html", {"facts": all_facts(), "third_parties": third_parties})
