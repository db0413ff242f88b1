"""A petition's page: its text, count and recent signers, and the form to sign it (no JavaScript needed)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from campaigns import tallies
from campaigns.challenges import proof_of_work
from campaigns.models import Petition
from campaigns.public_petitions import public_petition, recent_signers
from supporters.models import CONFIRMATION_LINK_AGE
from web.signature_form import SIGNING, SignForm
from web.supporter_forms import SupporterForm, shared_link_referrer, submit


# Not cached: the page carries a CSRF token, and the count must show a confirmation at once.
@never_cache
@require_http_methods(["GET", "POST"])
def petition_page(request: HttpRequest, slug: str, petition_slug: str) -> HttpResponse:
    petition = public_petition(campaign_slug=slug, petition_slug=petition_slug)

    def show(form: SupporterForm | None, *, status: int = 200, throttled: bool = False) -> HttpResponse:
        return _page(request, petition, form, status=status, throttled=throttled)

    if request.method == "POST":
        # Redirect after POST, so reloading the thanks page does not send the form again.
        thanks = reverse("web:petition-signed", kwargs={"slug": slug, "petition_slug": petition.slug})
        return submit(
            request,
            petition,
            action=SIGNING,
            visit=request.session,
            show=show,
            thanks=lambda: HttpResponseRedirect(thanks),
        )
    return show(SignForm(initial=shared_link_referrer(request), scope=petition, request=request))


@never_cache
@require_GET
def signed_page(request: HttpRequest, slug: str, petition_slug: str) -> HttpResponse:
    petition = public_petition(campaign_slug=slug, petition_slug=petition_slug)
    context = {"petition": petition, "days": CONFIRMATION_LINK_AGE.days}
    return TemplateResponse(request, "web/petitions/signed.html", context)


def petition_context(petition: Petition) -> dict[str, object]:
    """What the petition's page and its frame show around the form."""
    return {
        "petition": petition,
        "count": tallies.petition_count(petition),
        "proof_of_work": proof_of_work.is_enabled(),
        "captcha_provider": settings.CAPTCHA_PROVIDER,
        "captcha_site_key": settings.CAPTCHA_SITE_KEY,
    }


def _page(
    request: HttpRequest, petition: Petition, form: SupporterForm | None, *, status: int = 200, throttled: bool = False
) -> HttpResponse:
    context = {
        **petition_context(petition),
        "signers": recent_signers(petition),
        "form": form if form is not None else SignForm(scope=petition, request=request),
        "throttled": throttled,
    }
    return TemplateResponse(request, "web/petitions/petition.html", context, status=status)
