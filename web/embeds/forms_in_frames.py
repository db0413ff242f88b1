"""The sign and write forms in a partner's frame, and their in-frame thanks.

The same form, rules, throttles, honeypot and challenges as the full pages (web.supporter_forms.submit),
with two differences that let them work cross-site: no cookie is set or read (each POST is a visit of
its own, its confirmation mailed at once), and a signed form token replaces the CSRF cookie
(web.embeds.form_tokens). Framing is for the campaign's partner origins only (web.embeds.framing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from campaigns.letters.public import public_letter_campaign
from campaigns.public_petitions import public_petition
from campaigns.signature_input import Scope
from supporters.models import CONFIRMATION_LINK_AGE
from web.embeds import form_tokens
from web.embeds.form_tokens import FormKind
from web.embeds.framing import framed_by_partners
from web.letters import WRITING, first_draft, letter_context
from web.petitions import petition_context
from web.signature_form import SIGNING
from web.supporter_forms import Action, SupporterForm, shared_link_referrer, submit


@dataclass(frozen=True)
class FramedForm:
    kind: FormKind
    action: Action
    template: str
    thanks_template: str
    thanks_url: str
    context: Callable[[Any], dict[str, object]]
    first_values: Callable[[Any], dict[str, str]]


SIGN = FramedForm(
    kind=FormKind.SIGN,
    action=SIGNING,
    template="web/embeds/sign.html",
    thanks_template="web/embeds/signed.html",
    thanks_url="web:embed-petition-signed",
    context=petition_context,
    first_values=lambda petition: {},
)
WRITE = FramedForm(
    kind=FormKind.WRITE,
    action=WRITING,
    template="web/embeds/write.html",
    thanks_template="web/embeds/written.html",
    thanks_url="web:embed-letter-written",
    context=letter_context,
    first_values=first_draft,
)


# csrf_exempt: a cross-site frame gets no CSRF cookie; the signed form token takes its place.
@csrf_exempt
@never_cache
@framed_by_partners
@require_http_methods(["GET", "POST"])
def sign_frame(request: HttpRequest, slug: str, petition_slug: str) -> HttpResponse:
    petition = public_petition(campaign_slug=slug, petition_slug=petition_slug)
    return _form_in_frame(request, petition, SIGN, thanks_kwargs={"slug": slug, "petition_slug": petition.slug})


@csrf_exempt
@never_cache
@framed_by_partners
@require_http_methods(["GET", "POST"])
def write_frame(request: HttpRequest, slug: str, letter_slug: str) -> HttpResponse:
    letter_campaign = public_letter_campaign(campaign_slug=slug, letter_slug=letter_slug)
    kwargs = {"slug": slug, "letter_slug": letter_campaign.slug}
    return _form_in_frame(request, letter_campaign, WRITE, thanks_kwargs=kwargs)


@never_cache
@framed_by_partners
@require_GET
def signed_frame(request: HttpRequest, slug: str, petition_slug: str) -> HttpResponse:
    petition = public_petition(campaign_slug=slug, petition_slug=petition_slug)
    return _thanks(request, SIGN, {"petition": petition})


@never_cache
@framed_by_partners
@require_GET
def written_frame(request: HttpRequest, slug: str, letter_slug: str) -> HttpResponse:
    letter_campaign = public_letter_campaign(campaign_slug=slug, letter_slug=letter_slug)
    return _thanks(request, WRITE, {"letter_campaign": letter_campaign})


def _form_in_frame(
    request: HttpRequest, scope: Scope, framed: FramedForm, *, thanks_kwargs: dict[str, str]
) -> HttpResponse:
    def show(
        form: SupporterForm | None, *, status: int = 200, throttled: bool = False, token_problem: str = ""
    ) -> HttpResponse:
        if form is None:
            form = framed.action.form(initial=framed.first_values(scope), scope=scope, request=request)
        context = {
            **framed.context(scope),
            "form": form,
            "form_token": form_tokens.issue(framed.kind, scope.pk),
            "token_field": form_tokens.TOKEN_FIELD,
            "throttled": throttled,
            "token_problem": token_problem,
        }
        return TemplateResponse(request, framed.template, context, status=status)

    def check_token() -> HttpResponse | None:
        token = request.POST.get(form_tokens.TOKEN_FIELD, "")
        problem = form_tokens.problem_with(token, kind=framed.kind, drive_id=scope.pk)
        if problem is None:
            return None
        # What they typed stays, unchecked, with a fresh token: sending again is one press.
        form = framed.action.form(initial=request.POST.dict(), scope=scope, request=request)
        return show(form, status=400, token_problem=problem.message)

    if request.method != "POST":
        initial = {**framed.first_values(scope), **shared_link_referrer(request)}
        return show(framed.action.form(initial=initial, scope=scope, request=request))
    return submit(
        request,
        scope,
        action=framed.action,
        # No session: each POST is a visit of its own, so nothing is read from or written to a cookie.
        visit={},
        show=show,
        thanks=lambda: HttpResponseRedirect(reverse(framed.thanks_url, kwargs=thanks_kwargs)),
        check=check_token,
    )


def _thanks(request: HttpRequest, framed: FramedForm, context: dict[str, object]) -> HttpResponse:
    return TemplateResponse(request, framed.thanks_template, {**context, "days": CONFIRMATION_LINK_AGE.days})
