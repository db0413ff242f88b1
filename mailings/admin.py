"""Mailings for the operator to look at: composed, sent, paused and cancelled through the organizer API only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mailings.models import Mailing, MailingVariant
from privacy.read_only_admin import OperatorReadOnlyAdmin


class MailingVariantInline(admin.StackedInline):  # type: ignore[type-arg]
    model = MailingVariant
    fields = ("language", "subject", "text", "html")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Mailing)
class MailingAdmin(OperatorReadOnlyAdmin):
    list_display = ("title", "campaign", "kind", "audience", "state", "recipients", "send_at", "started_at")
    list_filter = ("state", "kind", "audience")
    search_fields = ("title",)
    date_hierarchy = "created_at"
    inlines = (MailingVariantInline,)
    fields = (
        "campaign",
        "kind",
        "title",
        "audience",
        "place",
        "petition",
        "signed_after",
        "default_language",
        "rate_per_minute",
        "state",
        "send_at",
        "recipients",
        "progressed_at",
        "created_at",
        "started_at",
    )
