"""Who may show an embed in a frame: the partner origins the campaign lists, and no one else.

Every embed answer replaces the site's `frame-ancestors 'none'` with the campaign's origins (django-csp's
per-response `_csp_replace`, what its csp_replace decorator sets, here computed per campaign) and drops
X-Frame-Options, which cannot name origins and would otherwise deny them all. The rest of the CSP stays
the site's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from campaigns.models import EmbedOrigin

View = Callable[..., HttpResponse]
NONE = "'none'"


def frame_ancestors(campaign_slug: str) -> list[str]:
    origins = EmbedOrigin.objects.filter(campaign__slug=campaign_slug).values_list("origin", flat=True)
    return sorted(origins) or [NONE]


def framed_by_partners(view: View) -> View:
    """For views under embed/campaigns/<slug>/: framable by that campaign's partner origins only."""

    @wraps(view)
    def framed(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
        response = view(request, slug, **kwargs)
        response._csp_replace = {"frame-ancestors": frame_ancestors(slug)}  # type: ignore[attr-defined]
        response.xframe_options_exempt = True  # type: ignore[attr-defined]
        return response

    return framed
