from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from privacy.models import DataRightsEvent


@admin.register(DataRightsEvent)
class DataRightsEventAdmin(admin.ModelAdmin[DataRightsEvent]):
    """Read-only, for the operator: what was exported, erased and purged, and how much."""

    list_display = ("at", "action", "counts")
    list_filter = ("action",)
    date_hierarchy = "at"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
