"""Two answers that both say `public, max-age=60`: one sets a cookie, so no shared cache may keep it."""

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


urlpatterns = [path("public/", _public), path("public-with-cookie/", _public_with_cookie)]
