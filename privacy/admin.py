from __future__ import annotations

from django.contrib import admin

from privacy.models import DataRightsEvent
from privacy.read_only_admin import OperatorReadOnlyAdmin


@admin.register(DataRightsEvent)
class DataRightsEventAdmin(OperatorReadOnlyAdmin):
    """Read-only, for the operator: what was exported, erased and purged, and how much."""

    list_display = ("at", "action", "counts")
    list_filter = ("action",)
    date_hierarchy = "at"
