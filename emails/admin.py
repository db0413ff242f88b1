"""Django admin for the outbox, for the operator: what happened to mail, never whom it was to or what it said.

Addresses and bodies are stored encrypted; these pages never load them (the querysets defer them)
and show the address's keyed hash instead. An address typed into the search box is hashed and
finds its rows the same way.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, Model, Q, QuerySet
from django.http import HttpRequest

from emails import bulk
from emails.models import UNFINISHED, BulkSend, MessageEvent, OutboundMessage, Status, Suppression, Unsubscribe
from privacy import read_only_admin
from privacy.addresses import address_hash, address_hashes
from privacy.logging import redact

# Encrypted personal data on an outbox row: never loaded here.
PERSONAL_FIELDS = ("to_address", "reply_to", "subject", "text_body", "html_body")
SHORT_HASH = 16


def short_hash(hashed: str) -> str:
    """Enough of the hash ("kid$hex…") to tell rows apart and match them by eye."""
    return hashed[:SHORT_HASH] + "…" if len(hashed) > SHORT_HASH else hashed


class OperatorReadOnlyAdmin(read_only_admin.OperatorReadOnlyAdmin):
    """The operator's alone, like the audit trail; rows change through the pipeline, not here."""

    # The model field holding the address hash, searched when an address is typed.
    hash_field = "address_hash"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        term = search_term.strip()
        if "@" in term:
            return queryset.filter(**{f"{self.hash_field}__in": address_hashes(term)}), False
        return super().get_search_results(request, queryset, search_term)


class MessageEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = MessageEvent
    fields = ("at", "status", "what_happened")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest, obj: Model | None) -> bool:  # type: ignore[override]
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.display(description="detail")
    def what_happened(self, event: MessageEvent) -> str:
        # Mail server replies quote the recipient ("550 <bob@example.org> unknown").
        return redact(event.detail)


@admin.register(OutboundMessage)
class OutboundMessageAdmin(OperatorReadOnlyAdmin):
    hash_field = "to_hash"
    list_display = ("pk", "kind", "status", "stream", "attempts", "recipient", "created_at", "sent_at")
    list_filter = ("status", "kind", "stream")
    search_fields = ("=message_id", "=provider_id", "=list_key")
    date_hierarchy = "created_at"
    fields = (
        ("kind", "stream", "language"),
        ("status", "attempts", "doubt_resends"),
        "to_hash",
        "from_email",
        "list_key",
        "bulk",
        "message_id",
        "provider_id",
        "headers",
        "error",
        ("created_at", "next_attempt_at", "claimed_at", "sent_at", "body_purged_at"),
    )
    readonly_fields = ("error",)
    inlines = (MessageEventInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutboundMessage]:
        return super().get_queryset(request).defer(*PERSONAL_FIELDS)

    @admin.display(description="recipient (hash)", ordering="to_hash")
    def recipient(self, message: OutboundMessage) -> str:
        return short_hash(message.to_hash)

    @admin.display(description="last error")
    def error(self, message: OutboundMessage) -> str:
        return redact(message.last_error)


@admin.register(Unsubscribe)
class UnsubscribeAdmin(OperatorReadOnlyAdmin):
    """The person's own choice: the operator sees it and cannot undo it."""

    list_display = ("address", "list_key", "created_at")
    search_fields = ("=address_hash", "=list_key")
    date_hierarchy = "created_at"

    @admin.display(description="address (hash)", ordering="address_hash")
    def address(self, row: Unsubscribe) -> str:
        return short_hash(row.address_hash)


class ManualSuppressionForm(forms.ModelForm):  # type: ignore[type-arg]
    """Suppresses an address by hand; only its hash is stored."""

    address = forms.EmailField()

    class Meta:
        model = Suppression
        fields = ("detail",)

    def clean_address(self) -> str:
        address: str = self.cleaned_data["address"]
        if Suppression.objects.filter(address_hash__in=address_hashes(address)).exists():
            raise forms.ValidationError("This address is already suppressed.")
        return address

    def save(self, commit: bool = True) -> Suppression:
        suppression: Suppression = super().save(commit=False)
        suppression.address_hash = address_hash(self.cleaned_data["address"])
        suppression.reason = Suppression.Reason.MANUAL
        if commit:
            suppression.save()
        return suppression


@admin.register(Suppression)
class SuppressionAdmin(OperatorReadOnlyAdmin):
    """Added by bounces and complaints, or by hand; deleting one lets mail to the address go out again.

    Django's admin log records who added or lifted one: the pipeline imports no app of ours, so
    not accounts' audit trail either.
    """

    list_display = ("address", "reason", "detail", "created_at")
    list_filter = ("reason",)
    search_fields = ("=address_hash",)
    date_hierarchy = "created_at"
    fields = ("address_hash", "reason", "detail", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = ManualSuppressionForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("address", "detail") if obj is None else self.fields

    @admin.display(description="address (hash)", ordering="address_hash")
    def address(self, row: Suppression) -> str:
        return short_hash(row.address_hash)


@admin.register(BulkSend)
class BulkSendAdmin(OperatorReadOnlyAdmin):
    list_display = ("pk", "list_key", "kind", "state", "rate_per_minute", "total", "waiting", "sent", "created_at")
    list_filter = ("state", "kind")
    search_fields = ("=list_key",)
    date_hierarchy = "created_at"
    fields = (
        ("list_key", "kind"),
        ("state", "rate_per_minute"),
        "progress",
        ("created_at", "released_at", "finished_at"),
    )
    readonly_fields = ("progress",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[BulkSend]:
        # Counted in the list's one query rather than one progress() query per row.
        rows: QuerySet[BulkSend] = super().get_queryset(request)
        return rows.annotate(
            message_count=Count("messages"),
            waiting_count=Count("messages", filter=Q(messages__status__in=UNFINISHED)),
            sent_count=Count("messages", filter=Q(messages__status=Status.SENT)),
        )

    @admin.display(description="messages", ordering="message_count")
    def total(self, row: BulkSend) -> int:
        return int(getattr(row, "message_count", 0))

    @admin.display(description="waiting", ordering="waiting_count")
    def waiting(self, row: BulkSend) -> int:
        return int(getattr(row, "waiting_count", 0))

    @admin.display(description="sent", ordering="sent_count")
    def sent(self, row: BulkSend) -> int:
        return int(getattr(row, "sent_count", 0))

    @admin.display(description="progress")
    def progress(self, row: BulkSend) -> str:
        counts = bulk.progress(row)
        return ", ".join(f"{Status(status).label}: {n}" for status, n in counts.items() if n) or "no messages"
