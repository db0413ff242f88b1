"""Public pages: an edition's verification page (/b/<code>/) and the officials' signed PDF link."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from briefings import editions, sending
from briefings.models import Edition
from briefings.storage import briefing_storage
from emails import links


@require_GET
def verify_page(request: HttpRequest, code: str) -> HttpResponse:
    """The figures printed in the edition (not the appendix's names), its generation time and SHA-256."""
    edition = get_object_or_404(Edition.objects.done().select_related("place", "campaign"), code=code.upper())
    context = {**edition.figures, "edition": edition, "verify_url": editions.verify_url(edition)}
    response = render(request, "briefings/verify.html", context)
    # Private: the page around the figures (web/base.html) carries the visitor's CSRF token and nonce.
    patch_cache_control(response, private=True, max_age=300)
    return response


@require_GET
def pdf_for_official(request: HttpRequest, code: str, token: str) -> FileResponse:
    edition = get_object_or_404(Edition.objects.done(), code=code.upper())
    try:
        sending.check_pdf_token(edition, token)
    except (links.LinkInvalid, links.LinkExpired):
        raise Http404 from None
    file = briefing_storage().open(edition.pdf_name, "rb")
    name = f"briefing-{edition.place_id}-{edition.number}.pdf"
    response = FileResponse(file, as_attachment=False, filename=name, content_type="application/pdf")
    patch_cache_control(response, private=True, no_store=True)
    return response
