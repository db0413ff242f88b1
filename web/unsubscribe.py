"""The unsubscribe link in bulk and update mail: a page with a choice, and RFC 8058's one-click POST."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from emails.links import LinkInvalid
from emails.unsubscribe import is_unsubscribed, read_link, unsubscribe

ONE_CLICK_BODY = "List-Unsubscribe=One-Click"


# csrf_exempt: mail clients POST without cookies (RFC 8058); the signed token is the credential,
# and all it can do is stop mail to the address it was made for.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = read_link(token)
    except LinkInvalid:
        return TemplateResponse(request, "web/link_unusable.html", {"reason": "invalid"}, status=400)
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        everything = not one_click and request.POST.get("scope") == "everything"
        unsubscribe(link, everything=everything)
        if one_click:
            return HttpResponse("Unsubscribed.\n", content_type="text/plain; charset=utf-8")
        return TemplateResponse(request, "web/unsubscribed.html", {"everything": everything})
    already = is_unsubscribed(link.address_hash, link.list_key)
    return TemplateResponse(request, "web/unsubscribe.html", {"already": already})
