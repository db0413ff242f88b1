"""The dashboard's buttons: moderate, make and send briefings, steer mailings.

Each action needs the role the organizer API asks for the same action, looks its object up in the
campaign (404 otherwise) and calls the API's own domain function, which records the audit event.
A missing or garbled field, or a refusal from the domain, answers 400 with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from briefings import editions, sending
from briefings.figures import NotTracked
from briefings.footnotes import MissingCitation
from briefings.models import Edition
from campaigns import moderation
from campaigns.access import CampaignAccess
from campaigns.letters import moderation as letter_moderation
from campaigns.models import Letter, PlaceStatus, Role, Signature
from mailings import sending as mailing_sending
from mailings.models import Mailing
from web.organizer_pages import campaign_page_access, organizers_only

VIA = "web"  # the audit trail's name for what organizers do on these pages

Action = Callable[..., HttpResponse]


def dashboard_action(view: Action) -> Action:
    """POST only, two factors, never cached; a ValidationError becomes the 400 page."""

    @wraps(view)
    def answered(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, slug, *args, **kwargs)
        except ValidationError as error:
            context = {"slug": slug, "problems": _problems(error)}
            return TemplateResponse(request, "web/dashboard/refused.html", context, status=400)

    return never_cache(organizers_only(require_POST(answered)))


@dashboard_action
def review_signature(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = campaign_page_access(request, slug, needed=Role.EDITOR)
    signature = get_object_or_404(Signature, pk=pk, petition__campaign=access.campaign)
    approve = _choice(request, "decision", ("approve", "reject")) == "approve"
    decide = moderation.approve_signature if approve else moderation.reject_signature
    decide(signature=signature, actor=access.user, via=VIA)
    messages.success(request, _("Signature approved.") if approve else _("Signature rejected."))
    return _back(access, "moderation")


@dashboard_action
def review_letter(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = campaign_page_access(request, slug, needed=Role.EDITOR)
    letter = get_object_or_404(Letter, pk=pk, letter_campaign__campaign=access.campaign)
    approve = _choice(request, "decision", ("approve", "reject")) == "approve"
    decide = letter_moderation.approve_letter if approve else letter_moderation.reject_letter
    decide(letter=letter, actor=access.user, via=VIA)
    messages.success(request, _("Letter approved.") if approve else _("Letter rejected."))
    return _back(access, "moderation")


@dashboard_action
def request_briefing(request: HttpRequest, slug: str) -> HttpResponse:
    access = campaign_page_access(request, slug, needed=Role.EDITOR)
    place_id = _number(request, "place")
    tracked = PlaceStatus.objects.filter(campaign=access.campaign, place_id=place_id).select_related("place").first()
    if tracked is None:
        raise ValidationError({"place": [_("This campaign does not track that place.")]})
    try:
        edition = editions.request_edition(campaign=access.campaign, place=tracked.place, actor=access.user)
    except (NotTracked, MissingCitation) as error:
        raise ValidationError({"place": [str(error)]}) from None
    edition.refresh_from_db()  # in-process tasks (laptop mode) have finished it already
    notice = _("Briefing %(number)s for %(place)s: %(status)s.")
    messages.success(
        request, notice % {"number": edition.number, "place": tracked.place, "status": edition.get_status_display()}
    )
    return _back(access, "briefings")


@dashboard_action
def send_briefing(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = campaign_page_access(request, slug, needed=Role.EDITOR)
    edition = get_object_or_404(Edition, pk=pk, campaign=access.campaign)
    deliveries = sending.send_edition(edition=edition, actor=access.user, via=VIA)
    names = ", ".join(delivery.official_name for delivery in deliveries)
    messages.success(request, _("Briefing sent to %(names)s.") % {"names": names})
    return _back(access, "briefings")


MAILING_STEPS: dict[str, Callable[..., Any]] = {
    "pause": mailing_sending.pause_mailing,
    "resume": mailing_sending.resume_mailing,
    "cancel": mailing_sending.cancel_mailing,
}


@dashboard_action
def steer_mailing(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = campaign_page_access(request, slug, needed=Role.OWNER)
    mailing = get_object_or_404(Mailing, pk=pk, campaign=access.campaign)
    step = _choice(request, "step", tuple(MAILING_STEPS))
    MAILING_STEPS[step](mailing=mailing, actor=access.user, via=VIA)
    done = {
        "pause": _("Mailing “%(title)s” paused."),
        "resume": _("Mailing “%(title)s” resumed."),
        "cancel": _("Mailing “%(title)s” cancelled."),
    }
    messages.success(request, done[step] % {"title": mailing.title})
    return _back(access, "mailings")


def _choice(request: HttpRequest, field: str, allowed: tuple[str, ...]) -> str:
    value = request.POST.get(field, "")
    if value not in allowed:
        choices = ", ".join(allowed)
        raise ValidationError({field: [_("Choose one of: %(choices)s.") % {"choices": choices}]})
    return value


def _number(request: HttpRequest, field: str) -> int:
    value = request.POST.get(field, "")
    if not value.isdigit() or len(value) > 18:
        raise ValidationError({field: [_("Give the number of one of the campaign's places.")]})
    return int(value)


def _problems(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages_ in error.message_dict.values() for message in messages_]
    return list(error.messages)


def _back(access: CampaignAccess, section: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse('web:dashboard', kwargs={'slug': access.campaign.slug})}#{section}")
