"""The copy-ready HTML a partner pastes: an iframe per form or status card, with their referrer code."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from campaigns.letters.public import letter_campaigns_of
from campaigns.models import Campaign, PlaceStatus
from campaigns.public_petitions import petitions_of

# A status card has a fixed size; forms grow with errors (embed-host.js resizes them when included).
FORM_HEIGHT = 900
CARD_HEIGHT = 340
MAX_PLACES = 500


@dataclass(frozen=True)
class Snippet:
    label: str
    html: str


def snippets_for(request: HttpRequest, campaign: Campaign, *, referrer: str) -> list[Snippet]:
    """Sign and write forms, then every tracked place's status card (the first MAX_PLACES)."""
    found = []
    for petition in petitions_of(campaign):
        url = reverse("web:embed-petition", kwargs={"slug": campaign.slug, "petition_slug": petition.slug})
        title = _("Sign: %(title)s") % {"title": petition.title}
        found.append(Snippet(title, _iframe(request, url, referrer=referrer, title=title, height=FORM_HEIGHT)))
    for drive in letter_campaigns_of(campaign):
        url = reverse("web:embed-letter", kwargs={"slug": campaign.slug, "letter_slug": drive.slug})
        title = _("Write: %(title)s") % {"title": drive.title}
        found.append(Snippet(title, _iframe(request, url, referrer=referrer, title=title, height=FORM_HEIGHT)))
    statuses = (
        PlaceStatus.objects.for_campaign(campaign).select_related("place").order_by("place__state", "place__name")
    )
    for status in statuses[:MAX_PLACES]:
        url = reverse("web:embed-place", kwargs={"slug": campaign.slug, "place_id": status.place_id})
        title = _("Status of %(place)s") % {"place": f"{status.place.name}, {status.place.state}"}
        found.append(Snippet(title, _iframe(request, url, referrer="", title=title, height=CARD_HEIGHT)))
    return found


def host_script(request: HttpRequest) -> str:
    src = request.build_absolute_uri(static("web/embed-host.js"))
    return str(format_html('<script src="{}" async></script>', src))


def _iframe(request: HttpRequest, path: str, *, referrer: str, title: str, height: int) -> str:
    query = f"?{urlencode({'ref': referrer})}" if referrer else ""
    return str(
        format_html(
            '<iframe src="{}" title="{}" width="100%" height="{}" loading="lazy" data-townhall></iframe>',
            request.build_absolute_uri(path) + query,
            title,
            height,
        )
    )
