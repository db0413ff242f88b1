"""Supporters in the admin, for the operator only: read-only, and no address in any list.

Encrypted columns cannot be searched; the search box instead finds the supporter whose address
is exactly the one typed (by its keyed hash), as support requests need.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from privacy.fields import matching
from privacy.read_only_admin import OperatorReadOnlyAdmin
from supporters.models import Confirmation, Supporter


class OperatorReadOnly(OperatorReadOnlyAdmin):
    # No deleting here either: erasure goes through "my data", which anonymizes what counted.
    pass


@admin.register(Supporter)
class SupporterAdmin(OperatorReadOnly):
    list_display = ("__str__", "language", "created_at", "confirmed_at", "erased_at")
    list_filter = ("language",)
    date_hierarchy = "created_at"
    fields = ("masked_email", "language", "created_at", "confirmed_at", "erased_at")
    readonly_fields = fields
    search_fields = ("email_hash",)  # replaced by an exact-address match below
    search_help_text = "An exact e-mail address."

    @admin.display(description="e-mail")
    def masked_email(self, supporter: Supporter) -> str:
        return mask(supporter.email)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        if not search_term.strip():
            return queryset, False
        return queryset.filter(matching(Supporter, "email_hash", search_term.strip())), False


@admin.register(Confirmation)
class ConfirmationAdmin(OperatorReadOnly):
    list_display = ("__str__", "supporter", "language", "created_at", "confirmed_at")
    fields = ("supporter", "language", "created_at", "confirmed_at")
    readonly_fields = fields


def mask(address: str | None) -> str:
    """`a•••@example.org`: enough to tell two supporters apart on screen, not to write to them."""
    if not address:
        return "—"
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}•••@{domain}"
