"""The rule every organizer web page checks: signed in, with two factors, organizing a campaign."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from accounts.models import User
from accounts.two_factor import two_factors_done
from campaigns.access import CampaignAccess, user_access
from campaigns.models import Membership, Role
from campaigns.models.memberships import role_includes

View = Callable[..., HttpResponse]


def organizers_only(view: View) -> View:
    """Signed in with two factors, and organizing a campaign (or running the installation)."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not two_factors_done(request):
            return redirect(settings.TWO_FACTOR_SETUP_URL)
        if not (user.is_staff or Membership.objects.filter(user_id=user.pk).exists()):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def campaign_page_access(request: HttpRequest, slug: str, *, needed: Role) -> CampaignAccess:
    """For a view already behind organizers_only: 404 when the campaign is not theirs, 403 when
    their role is too weak (the API's rule, campaigns.access.access_for, for web pages)."""
    user = request.user
    access = user_access(user, slug) if isinstance(user, User) else None
    if access is None:
        raise Http404
    if not role_includes(access.role, needed):
        raise PermissionDenied
    return access
