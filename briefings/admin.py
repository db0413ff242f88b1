"""Briefing editions for the operator to look at: made, sent and withdrawn through their own flows only.

The names an edition prints (NamedSupporter) are not shown here: the PDF itself is the place for them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from briefings.models import Delivery, Edition
from privacy.read_only_admin import OperatorReadOnlyAdmin


class DeliveryInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Delivery
    fields = ("official_name", "sent_at", "message")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Edition)
class EditionAdmin(OperatorReadOnlyAdmin):
    list_display = ("code", "campaign", "place", "number", "reason", "status", "page_count", "generated_at")
    list_filter = ("status", "reason")
    search_fields = ("code", "place__name")
    date_hierarchy = "created"
    inlines = (DeliveryInline,)
    fields = (
        "campaign",
        "place",
        "official",
        "number",
        "reason",
        "status",
        "code",
        "sha256",
        "page_count",
        "figures",
        "changes",
        "error",
        "created",
        "generated_at",
        "withdrawn_at",
        "replaced_by",
    )
