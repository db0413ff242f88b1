"""Public pages: an edition's verification page (/b/<code>/) and the officials' signed PDF link."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from briefings import editions, sending
from briefings.models import Edition
from briefings.storage import briefing_storage
from emails import links


@require_GET
def verify_page(request: HttpRequest, code: str) -> HttpResponse:
    """The figures printed in the edition (not the appendix's names), its generation time and SHA-256."""
    shown = Edition.objects.filter(status__in=(Edition.Status.DONE, Edition.Status.WITHDRAWN))
    edition = get_object_or_404(shown.select_related("place", "campaign", "replaced_by"), code=code.upper())
    context = {**edition.figures, "edition": edition, "verify_url": editions.verify_url(edition)}
    response = render(request, "briefings/verify.html", context)
    # Private: the page's own inline style carries this request's CSP nonce.
    patch_cache_control(response, private=True, max_age=300)
    return response


@require_GET
def pdf_for_official(request: HttpRequest, code: str, token: str) -> HttpResponseBase:
    shown = Edition.objects.filter(status__in=(Edition.Status.DONE, Edition.Status.WITHDRAWN))
    edition = get_object_or_404(shown, code=code.upper())
    try:
        sending.check_pdf_token(edition, token)
    except (links.LinkInvalid, links.LinkExpired):
        raise Http404 from None
    if edition.is_withdrawn:  # its PDF is gone: the verification page says why, and links the new edition
        return redirect("briefing-verify", code=edition.code)
    file = briefing_storage().open(edition.pdf_name, "rb")
    name = f"briefing-{edition.place_id}-{edition.number}.pdf"
    response = FileResponse(file, as_attachment=False, filename=name, content_type="application/pdf")
    patch_cache_control(response, private=True, no_store=True)
    return response
