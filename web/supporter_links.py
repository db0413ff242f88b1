"""The pages supporters' e-mailed links open: confirm a visit's actions, export or erase their data.

A GET only shows a page; acting takes the page's POST, because mail scanners follow links.
A tampered link answers 400 and an expired one 410, each with a page saying what to do.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from emails.links import LinkExpired, LinkInvalid
from privacy import rights
from supporters import confirming, covered, my_data


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        confirmation = confirming.read_link(token)
    except LinkInvalid:
        return _unusable(request, "invalid")
    except (LinkExpired, confirming.ConfirmationGone):
        return _unusable(request, "expired", renew=_("Do it again from the same page: we send a new link at once."))
    if request.method == "POST":
        confirming.confirm(confirmation)
        return TemplateResponse(request, "web/confirmed.html", {})
    context = {"covers": covered.describe(confirmation), "already": confirmation.is_confirmed}
    return TemplateResponse(request, "web/confirm.html", context)


@never_cache
@require_GET
def export_download(request: HttpRequest, token: str) -> HttpResponse:
    try:
        hashes = my_data.read_link(my_data.EXPORT_PURPOSE, token)
    except LinkInvalid:
        return _unusable(request, "invalid")
    except LinkExpired:
        return _unusable(request, "expired", renew_url=reverse("web:my-data"))
    body = json.dumps(rights.export(hashes), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="townhall-my-data.json"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def erase_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        hashes = my_data.read_link(my_data.ERASE_PURPOSE, token)
    except LinkInvalid:
        return _unusable(request, "invalid")
    except LinkExpired:
        return _unusable(request, "expired", renew_url=reverse("web:my-data"))
    if request.method == "POST":
        rights.erase(hashes)
        return TemplateResponse(request, "web/erased.html", {})
    return TemplateResponse(request, "web/erase.html", {})


def _unusable(request: HttpRequest, reason: str, *, renew: str = "", renew_url: str = "") -> HttpResponse:
    context = {"reason": reason, "renew": renew, "renew_url": renew_url}
    return TemplateResponse(request, "web/link_unusable.html", context, status=400 if reason == "invalid" else 410)
