"""A tracked place's status card for partners' pages: where it stands, on how many sources, how many
of its people took part, and a link to act on the campaign's own page. Only public figures."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from campaigns.api.public import queries
from campaigns.api.public.counts import place_counts
from campaigns.models import Campaign, Citation, PlaceStatus
from web.embeds.framing import framed_by_partners

# Public figures, the same for everyone: partners' pages may load the card often.
CARD_MAX_AGE = 60


@cache_control(public=True, max_age=CARD_MAX_AGE)
# The language may come from its cookie (LocaleMiddleware says only Accept-Language): a shared cache
# must not hand one reader's Spanish card to everyone.
@vary_on_headers("Cookie")
@framed_by_partners
@require_GET
def status_card(request: HttpRequest, slug: str, place_id: int) -> HttpResponse:
    campaign = queries.public_campaign(slug)
    status = _tracked(campaign, place_id)
    context = {
        "campaign": campaign,
        "status": status,
        "place": status.place,
        "sources": sources_count(campaign, status),
        "counts": place_counts(campaign=campaign, place=status.place),
        "place_url": request.build_absolute_uri(
            reverse("web:place", kwargs={"slug": campaign.slug, "place_id": status.place_id})
        ),
    }
    return TemplateResponse(request, "web/embeds/status_card.html", context)


def sources_count(campaign: Campaign, status: PlaceStatus) -> int:
    """The public sources the place page cites: for its status, its timeline and its agencies' partnerships."""
    cited = Citation.objects.public().filter(
        Q(place_status=status)
        | Q(event__campaign=campaign, event__place_id=status.place_id)
        | Q(
            partnership__agency__campaign=campaign,
            partnership__agency__places=status.place_id,
            partnership__ended_on__isnull=True,  # the place page shows current partnerships only
        )
    )
    return cited.values("source_id").distinct().count()


def _tracked(campaign: Campaign, place_id: int) -> PlaceStatus:
    return get_object_or_404(PlaceStatus.objects.for_campaign(campaign).select_related("place"), place_id=place_id)
