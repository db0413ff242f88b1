"""OpenAPI: document the error answers every endpoint can give, in the one error format."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    detail = serializers.CharField()


class ValidationErrorSerializer(ErrorSerializer):
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field; `non_field_errors` for the input as a whole.",
    )


class AutoSchema(openapi.AutoSchema):  # type: ignore[misc]
    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for status, description, serializer in self._error_statuses():
            if status not in responses:
                responses[status] = self._get_response_for_code(
                    OpenApiResponse(response=serializer, description=description), status, direction=direction
                )
        return responses

    def _error_statuses(self) -> list[tuple[str, str, type[serializers.Serializer[Any]]]]:
        statuses: list[tuple[str, str, type[serializers.Serializer[Any]]]] = [
            ("400", "Invalid input", ValidationErrorSerializer),
            ("401", "Not signed in", ErrorSerializer),
            ("403", "Not allowed", ErrorSerializer),
            ("429", "Too many requests", ErrorSerializer),
        ]
        if "{" in self.path or self.method != "GET":
            statuses.append(("404", "Not found", ErrorSerializer))
        if self.method in ("POST", "PUT", "PATCH"):
            statuses.append(("415", "Unsupported media type", ErrorSerializer))
        statuses.append(("405", "Method not allowed", ErrorSerializer))
        statuses.append(("406", "Not acceptable", ErrorSerializer))
        return statuses
