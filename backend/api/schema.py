"""OpenAPI: document the error answers every endpoint can give, in the one error format."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ERROR = inline_serializer(
    name="Error",
    fields={"code": serializers.CharField(), "detail": serializers.CharField()},
)
VALIDATION_ERROR = inline_serializer(
    name="ValidationError",
    fields={
        "code": serializers.CharField(),
        "detail": serializers.CharField(),
        "fields": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            # A body that is not JSON at all (code `parse_error`) is a 400 with no fields to name.
            required=False,
            help_text="Messages per field; `non_field_errors` for the input as a whole. Absent for `parse_error`.",
        ),
    },
)


class AutoSchema(openapi.AutoSchema):  # type: ignore[misc]
    """Adds the error statuses every operation can answer, so clients and fuzzers know them."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for status, description, serializer in self._error_statuses():
            if status not in responses:
                responses[status] = self._get_response_for_code(  # type: ignore[no-untyped-call]
                    OpenApiResponse(response=serializer, description=description), status, direction=direction
                )
        return responses

    def _error_statuses(self) -> list[tuple[str, str, Any]]:
        statuses: list[tuple[str, str, Any]] = [
            ("400", "Invalid input", VALIDATION_ERROR),
            ("401", "Not signed in", ERROR),
            ("403", "Not allowed", ERROR),
            ("405", "Method not allowed", ERROR),
            ("406", "Not acceptable", ERROR),
            ("429", "Too many requests", ERROR),
        ]
        if "{" in self.path or self.method != "GET":
            statuses.append(("404", "Not found", ERROR))
        if self.method in ("POST", "PUT", "PATCH"):
            statuses.append(("415", "Unsupported media type", ERROR))
        return statuses
