"""The organizer dashboard: the campaigns one organizes, and each campaign's morning overview."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import AuditEvent, User
from campaigns.access import CampaignAccess
from campaigns.models import Campaign, Membership, Role
from campaigns.models.memberships import role_includes
from web.dashboard import figures, outreach, page_charts, places, queue
from web.organizer_pages import campaign_page_access, organizers_only

RECENT_EVENTS = 20
COLUMNS: tuple[tuple[str, str | Promise], ...] = (
    ("place", _("Place")),
    ("status", _("Status")),
    ("signatures", _("Signatures")),
    ("letters", _("Letters")),
    ("last_event", _("Last event")),
)


@never_cache
@organizers_only
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "web/dashboard/campaigns.html", {"campaigns": _campaigns_of(request.user)})


@never_cache
@organizers_only
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    access = campaign_page_access(request, slug, needed=Role.VIEWER)
    campaign, days = access.campaign, _days(request)
    window = figures.window_of(campaign, days)
    sorting = places.sorting_from(request.GET.get("sort", ""))
    rows = places.place_rows(campaign, sorting)
    may_edit, may_own = role_includes(access.role, Role.EDITOR), role_includes(access.role, Role.OWNER)
    context: dict[str, Any] = {
        "campaign": campaign,
        "role": access.role,
        "may_edit": may_edit,
        "may_own": may_own,
        "days": days,
        "windows": [(choice, _query(days=choice, sort=sorting.param)) for choice in figures.WINDOWS],
        "window": window,
        "charts_over_time": page_charts.over_time(campaign, window),
        "charts_by_place": page_charts.by_place(rows),
        "rows": rows,
        "columns": _columns(sorting, days),
        "referrers": figures.referrers(campaign, window),
        "queue": queue.queue(campaign) if may_edit else queue.queue_size(campaign),
        "tracked_places": sorted((row.place for row in rows), key=lambda place: (place.name, place.state)),
        "editions": outreach.latest_editions(campaign),
        "mailings": outreach.latest_mailings(campaign),
        "events": _recent_events(access) if may_own else [],
    }
    return TemplateResponse(request, "web/dashboard/dashboard.html", context)


@dataclass(frozen=True)
class CampaignRole:
    campaign: Campaign
    role: Role


def _campaigns_of(user: Any) -> list[CampaignRole]:
    """Their memberships; the operator sees every campaign (as owner where not a member, as access does)."""
    assert isinstance(user, User)  # noqa: S101 (organizers_only let only a signed-in user through)
    held = {m.campaign_id: Role(m.role) for m in Membership.objects.filter(user=user)}
    campaigns = Campaign.objects.all() if user.is_superuser else Campaign.objects.filter(pk__in=held)
    return [CampaignRole(campaign, held.get(campaign.pk, Role.OWNER)) for campaign in campaigns.order_by("title")]


def _days(request: HttpRequest) -> int:
    asked = request.GET.get("days", "")
    return int(asked) if asked in {str(choice) for choice in figures.WINDOWS} else figures.DEFAULT_WINDOW


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    href: str
    aria_sort: str  # "ascending", "descending", or empty when the table is not sorted by it


def _columns(sorting: places.Sorting, days: int) -> list[Column]:
    def aria_sort(key: str) -> str:
        if key != sorting.column:
            return ""
        return "descending" if sorting.descending else "ascending"

    return [
        Column(key, label, f"{_query(days=days, sort=sorting.toggled(key))}#places", aria_sort(key))
        for key, label in COLUMNS
    ]


def _query(**params: Any) -> str:
    return f"?{urlencode(params)}"


def _recent_events(access: CampaignAccess) -> list[AuditEvent]:
    # The audit list is for owners, as in the API (AuditEventViewSet).
    return list(AuditEvent.objects.for_campaign(access.campaign.pk).order_by("-created", "-pk")[:RECENT_EVENTS])
