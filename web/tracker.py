"""The campaign's home with its tracker (search, filters, map, list) and each tracked place's page.

The place page and the home's unfiltered first page come from web.page_cache: their main content is
rendered once per campaign, page and language for everyone, the page around it for each request.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from campaigns import tallies
from campaigns.api.public import queries
from campaigns.api.public.counts import place_counts
from campaigns.api.public.geojson import feature_collection
from campaigns.letters.public import letter_campaigns_of
from campaigns.models import Campaign, LetterCampaign, OfficialPosition, Place, PlaceStatus, Status
from campaigns.public_petitions import petitions_of
from donations import stripe_api
from donations.models import DonationSettings
from web import page_cache, us_map
from web.tracker_form import TrackerSearchForm

PLACES_PER_PAGE = 50
# The figures of campaigns.api.public.counts.place_counts, slots in a place's kept content.
PLACE_COUNTS = ("signatures", "letters")
SEARCH_LIMIT = 20
# What the home reads of a query. A link with only other parameters (a share's ?fbclid=, a mailing's
# ?utm_source=) opens the unfiltered page, and gets its cached copy.
HOME_FILTERS = tuple(TrackerSearchForm.base_fields)  # q, state, status
HOME_PARAMETERS = (*HOME_FILTERS, "page")


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    name: str
    state: str
    status: str
    status_label: str


@require_GET
def campaign_home(request: HttpRequest, slug: str) -> HttpResponse:
    if not any(name in request.GET for name in HOME_PARAMETERS):
        # The unfiltered first page, what a shared link opens: cached (web.page_cache).
        content = page_cache.fragment(slug, "home", lambda: _home(slug))
        return _cached_page(request, "web/tracker/campaign.html", content)
    campaign = queries.public_campaign(slug)
    context, status = _home_context(request, campaign)
    body = render_to_string("web/tracker/campaign_content.html", context, request)
    page = {"title": campaign.title, "body": mark_safe(body)}  # noqa: S308 (rendered by our template)
    return TemplateResponse(request, "web/tracker/campaign.html", {"page": page}, status=status)


@require_GET
def place_page(request: HttpRequest, slug: str, place_id: int) -> HttpResponse:
    page = f"place:{place_id}"
    content = page_cache.fragment(slug, page, lambda: _place(slug, place_id), seconds=page_cache.content_lifetime)
    # Counts change by the second, the rest when an organizer works: kept apart, filled in here.
    counts = page_cache.figures(slug, page, lambda: _place_counts(slug, place_id))
    return _cached_page(request, "web/tracker/place.html", content.filled(_formatted(counts)))


def _cached_page(request: HttpRequest, template: str, content: page_cache.Fragment) -> HttpResponse:
    """The page around cached content, rendered for this request (the path in its language form)."""
    if (unchanged := page_cache.not_modified(request, content)) is not None:
        return unchanged
    # Its query changes nothing (a click id, a utm_ tag) and must not reach everyone's copy of it.
    response = TemplateResponse(request, template, {"page": content, "language_next": request.path})
    response.render()
    return page_cache.with_headers(response, page_cache.etag(request, content))


def _home(slug: str) -> tuple[str, str]:
    campaign = queries.public_campaign(slug)
    context, _status = _home_context(None, campaign)
    return campaign.title, render_to_string("web/tracker/campaign_content.html", context)


def _home_context(request: HttpRequest | None, campaign: Campaign) -> tuple[dict[str, Any], int]:
    states = _tracked_states(campaign)
    asked = request is not None and _asked(request)
    form = TrackerSearchForm(request.GET if request is not None and asked else None, states=states)
    context: dict[str, Any] = {"campaign": campaign, "form": form, "petitions": _petitions(campaign)}
    context.update(_ways_to_help(campaign, place_id=None))
    if form.is_bound and not form.is_valid():
        context.update(_map(campaign, queries.PlaceFilters()))
        return context, 400
    filters = form.filters() if form.is_bound else queries.PlaceFilters()
    context.update(_map(campaign, filters))
    statuses = queries.find_tracked_places(campaign=campaign, filters=filters)
    if filters.ranked:
        context["candidates"] = list(statuses[:SEARCH_LIMIT])
    else:
        paginator = Paginator(statuses.order_by("list_key"), PLACES_PER_PAGE)
        context["page"] = paginator.get_page(request.GET.get("page") if request is not None else None)
        context["query_without_page"] = _without_page(request) if request is not None else ""
    context["filtered"] = form.is_bound
    return context, 200


def _place(slug: str, place_id: int) -> tuple[str, str]:
    campaign = queries.public_campaign(slug)
    status = queries.tracked_place(campaign=campaign, place_id=place_id)
    officials = status.place.current_officials  # type: ignore[attr-defined]
    positions = OfficialPosition.objects.filter(campaign=campaign, official__in=officials).latest_per_official()
    timeline = sorted(status.place.campaign_events, key=lambda e: e.occurred_on, reverse=True)  # type: ignore[attr-defined]
    by_official = {position.official_id: position for position in positions}
    petitions = [p for p in petitions_of(campaign) if p.place_id in (None, place_id)]
    context = {
        "campaign": campaign,
        "status": status,
        "place": status.place,
        "agencies": status.place.campaign_agencies,  # type: ignore[attr-defined]
        "officials": [(official, by_official.get(official.pk)) for official in officials],
        "timeline": timeline,
        # The status dates from the event that set it, not from when it was typed in.
        "since": next((event for event in timeline if event.status_after == status.status), None),
        "counts": {name: page_cache.slot(name) for name in PLACE_COUNTS},
        "petitions": petitions,
        **_ways_to_help(campaign, place_id=place_id),
    }
    title = f"{status.place.name}, {status.place.state} · {campaign.title}"
    return title, render_to_string("web/tracker/place_content.html", context)


def _place_counts(slug: str, place_id: int) -> dict[str, int]:
    """The figures a place page shows: its content, with slots for them, was just found or built."""
    campaign = queries.public_campaign(slug)
    return place_counts(campaign=campaign, place=Place(pk=place_id))


def _formatted(counts: dict[str, int]) -> dict[str, str]:
    """Each figure as the page's language writes numbers (1,234 or 1.234)."""
    return {name: str(intcomma(value)) for name, value in counts.items()}


def _within(properties: dict[str, Any], filters: queries.PlaceFilters) -> bool:
    return (not filters.state or properties["state"] == filters.state) and (
        not filters.status or properties["status"] == filters.status
    )


def _asked(request: HttpRequest) -> bool:
    return any(request.GET.get(name) for name in HOME_FILTERS)


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _tracked_states(campaign: Campaign) -> list[str]:
    statuses = PlaceStatus.objects.for_campaign(campaign)
    return sorted(set(statuses.values_list("place__state", flat=True)))


def _ways_to_help(campaign: Campaign, *, place_id: int | None) -> dict[str, Any]:
    """The open letter drives (the place's and the campaign-wide ones on a place page) and whether
    the donate page takes gifts. Cached pages show a change here within page_cache's few seconds."""
    drives = letter_campaigns_of(campaign).filter(is_open=True).order_by("pk")
    if place_id is not None:
        drives = drives.filter(Q(place_id=place_id) | Q(place__isnull=True))
    letter_drives: list[LetterCampaign] = list(drives)
    donate = stripe_api.is_configured() and DonationSettings.for_campaign(campaign).enabled
    return {"letter_drives": letter_drives, "donate": donate}


def _petitions(campaign: Campaign) -> list[tuple[Any, int]]:
    petitions = [p for p in petitions_of(campaign).order_by("pk") if p.is_open]
    counts = tallies.petition_counts(petitions)
    return [(petition, counts.get(petition.pk, 0)) for petition in petitions]


def _map(campaign: Campaign, filters: queries.PlaceFilters) -> dict[str, Any]:
    """The features the public GeoJSON feed serves, within the state and status filters, on the US map."""
    features = feature_collection(queries.mapped_places(campaign))["features"]
    markers = []
    for feature in features:
        if not _within(feature["properties"], filters):
            continue
        longitude, latitude = feature["geometry"]["coordinates"]
        point = us_map.project(longitude, latitude)
        if point is not None:
            p = feature["properties"]
            markers.append(
                Marker(point[0], point[1], p["name"], p["state"], p["status"], str(Status(p["status"]).label))
            )
    by_status = Counter(marker.status for marker in markers)
    legend = [(value, label, by_status[value]) for value, label in Status.choices if by_status[value]]
    return {"shapes": us_map.shapes(), "markers": markers, "legend": legend, "map_size": (us_map.WIDTH, us_map.HEIGHT)}
