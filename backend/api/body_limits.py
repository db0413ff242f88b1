"""Request bodies capped per view, refused before they are read into memory.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE guards forms, but DRF's parsers read the stream directly,
past it. A view whose input is small declares its own cap: a declared Content-Length over it is
refused unread, and the parser stops reading one byte past it, whatever the header said.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import IO, Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def declared_length(meta: Mapping[str, Any]) -> int:
    try:
        return int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # the server would not read a body it cannot size either


def refuse_large_body(meta: Mapping[str, Any], *, max_bytes: int) -> None:
    if declared_length(meta) > max_bytes:
        raise PayloadTooLarge()


class LimitedJSONParser(JSONParser):
    max_bytes = 16 * 1024

    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        raw = stream.read(self.max_bytes + 1)
        if len(raw) > self.max_bytes:
            raise PayloadTooLarge()
        return super().parse(io.BytesIO(raw), media_type, parser_context)
