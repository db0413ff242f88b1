"""Figures that change: cacheable for a few seconds, and revalidated by an ETag of the content."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.response import SimpleTemplateResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.views import APIView

from backend.api.schema import AutoSchema

# Browsers revalidate every time (a 304 when nothing changed); a shared cache in front (the proxy,
# deploy/nginx.conf) absorbs a rush of readers, keeping an answer this long (nginx counts whole
# seconds, so up to one more): with the petition's 2 s per process, a confirmation shows within 5 s.
SHARED_MAX_AGE = 1


def revalidated(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    if request.method not in ("GET", "HEAD") or response.status_code != 200 or not isinstance(response, HttpResponse):
        return response
    if isinstance(response, SimpleTemplateResponse):
        response.render()  # the ETag hashes the bytes a client receives
    patch_cache_control(response, public=True, max_age=0, s_maxage=SHARED_MAX_AGE)
    set_response_etag(response)
    return get_conditional_response(request, etag=response.get("ETag"), response=response) or response


class RevalidatedSchema(AutoSchema):
    """Documents the If-None-Match header and its 304, so clients and the fuzzer expect them."""

    def get_override_parameters(self) -> list[Any]:
        if_none_match = OpenApiParameter(
            "If-None-Match",
            OpenApiTypes.STR,
            OpenApiParameter.HEADER,
            description="The ETag of an earlier answer: 304 without a body if nothing changed.",
        )
        return [*super().get_override_parameters(), if_none_match]

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        responses["304"] = self._get_response_for_code(  # type: ignore[no-untyped-call]
            OpenApiResponse(description="Not modified: the answer has the ETag sent in If-None-Match."),
            "304",
            direction=direction,
        )
        return responses


class RevalidatedView(APIView):
    """GET answers carry `Cache-Control: public, max-age=0, s-maxage=1` and a strong ETag; a match answers 304."""

    schema = RevalidatedSchema()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = super().dispatch(request, *args, **kwargs)
        return revalidated(request, response)
