"""Answers that say `public, max-age=60`: one sets a cookie, so no shared cache may keep it; one shows the
query Django received, so a test can tell which request's answer the proxy kept."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.cache import patch_cache_control


def _public(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(f"for whoever asks, {request.path}")
    patch_cache_control(response, public=True, max_age=60)
    return response


def _public_with_cookie(request: HttpRequest) -> HttpResponse:
    response = _public(request)
    response.set_cookie("visitor", request.GET.get("who", "someone"))
    return response


def _public_query(request: HttpRequest, slug: str = "") -> HttpResponse:
    response = HttpResponse(f"query: {request.META.get('QUERY_STRING', '')}")
    patch_cache_control(response, public=True, max_age=60)
    return response


urlpatterns = [
    path("public/", _public),
    path("public-with-cookie/", _public_with_cookie),
    path("public-query/", _public_query),
    # Where deploy/nginx.conf keys without tracking parameters: a campaign home's address.
    path("campaigns/<slug:slug>/", _public_query),
]
