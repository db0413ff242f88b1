"""One error format for the whole API.

Every error answers {"code": ..., "detail": ..., "fields": {...}}; "fields" maps a field
name (or "non_field_errors") to its messages and appears only on validation errors.
Services raise Django's ValidationError; it becomes a 400 here, like DRF's own.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    response.data = error_body(exc)
    return response


def error_body(exc: exceptions.APIException) -> dict[str, Any]:
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return {"code": "invalid", "detail": "Invalid input.", "fields": _as_messages(detail)}
    codes = exc.get_codes()
    return {"code": codes if isinstance(codes, str) else "error", "detail": str(exc.detail)}


def _as_messages(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _as_messages(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_as_messages(item) for item in detail]
    return str(detail)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404 for any URL: the API's JSON error under /api/, the HTML page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "error", "detail": "A server error occurred."}, status=500)
    return defaults.server_error(request)
