"""A petition's page: its text, count and recent signers, and the form to sign it (no JavaScript needed)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from backend.api.body_limits import declared_length
from campaigns import signature_input, signing, tallies, throttles
from campaigns.challenges import proof_of_work
from campaigns.models import Petition
from campaigns.public_petitions import public_petition, recent_signers
from supporters.models import CONFIRMATION_LINK_AGE
from web.signature_form import SignForm

logger = logging.getLogger(__name__)


# Not cached: the page carries a CSRF token, and the count must show a confirmation at once.
@never_cache
@require_http_methods(["GET", "POST"])
def petition_page(request: HttpRequest, slug: str, petition_slug: str) -> HttpResponse:
    petition = public_petition(campaign_slug=slug, petition_slug=petition_slug)
    if request.method == "POST":
        return _sign(request, petition)
    return _page(request, petition, SignForm(initial=_shared_link(request), petition=petition, request=request))


@never_cache
@require_GET
def signed_page(request: HttpRequest, slug: str, petition_slug: str) -> HttpResponse:
    petition = public_petition(campaign_slug=slug, petition_slug=petition_slug)
    context = {"petition": petition, "days": CONFIRMATION_LINK_AGE.days}
    return TemplateResponse(request, "web/petitions/signed.html", context)


def _sign(request: HttpRequest, petition: Petition) -> HttpResponse:
    if declared_length(request.META) > signature_input.MAX_BODY_BYTES:
        return HttpResponse(status=413)
    if not petition.is_open:
        return _page(request, petition, None, status=409)
    if not throttles.allows(request):
        # Unbound, with what they typed: a bound form would be validated (and checked) just to show it.
        form = SignForm(initial=request.POST.dict(), petition=petition, request=request)
        return _page(request, petition, form, status=429, throttled=True)
    if signature_input.is_honeypot_filled(request.POST):
        logger.info("honeypot filled on petition %s: answered, not recorded", petition.pk)
        return _signed(request, petition)
    form = SignForm(request.POST, petition=petition, request=request)
    if not form.is_valid() or form.signature is None:
        return _page(request, petition, form, status=400)
    signing.sign_petition(form.signature, visit=request.session)
    return _signed(request, petition)


def _signed(request: HttpRequest, petition: Petition) -> HttpResponse:
    signature_input.remember_in_visit(request.session, petition)
    # Redirect after POST, so reloading the thanks page does not send the form again.
    url = reverse("web:petition-signed", kwargs={"slug": petition.campaign.slug, "petition_slug": petition.slug})
    return HttpResponseRedirect(url)


def _shared_link(request: HttpRequest) -> dict[str, str]:
    """?ref=… of a shared link becomes the signature's referrer, when it is a valid one."""
    referrer = request.GET.get("ref", "")
    try:
        signature_input.referrer_validator(referrer)
    except ValidationError:
        return {}
    return {"referrer": referrer} if len(referrer) <= signature_input.REFERRER_MAX_LENGTH else {}


def _page(
    request: HttpRequest, petition: Petition, form: SignForm | None, *, status: int = 200, throttled: bool = False
) -> HttpResponse:
    context = {
        "petition": petition,
        "count": tallies.petition_count(petition),
        "signers": recent_signers(petition),
        "form": form if form is not None else SignForm(petition=petition, request=request),
        "throttled": throttled,
        "proof_of_work": proof_of_work.is_enabled(),
        "captcha_provider": settings.CAPTCHA_PROVIDER,
        "captcha_site_key": settings.CAPTCHA_SITE_KEY,
    }
    return TemplateResponse(request, "web/petitions/petition.html", context, status=status)
