"""Stripe events and donations for the operator to look at: never edited here, donors never shown."""

from __future__ import annotations

from django.contrib import admin

from donations.models import Donation, StripeEvent
from privacy.read_only_admin import OperatorReadOnlyAdmin


@admin.register(StripeEvent)
class StripeEventAdmin(OperatorReadOnlyAdmin):
    list_display = ("event_id", "type", "status", "api_version", "attempts", "received_at", "processed_at")
    list_filter = ("status", "type")
    search_fields = ("event_id",)
    fields = ("event_id", "type", "status", "api_version", "attempts", "received_at", "processed_at", "handler_error")


@admin.register(Donation)
class DonationAdmin(OperatorReadOnlyAdmin):
    list_display = ("pk", "campaign", "kind", "status", "amount", "currency", "amount_refunded", "paid_at")
    list_filter = ("status", "kind")
    search_fields = ("stripe_payment_intent_id", "stripe_invoice_id")
    fields = (
        "campaign",
        "kind",
        "status",
        "amount",
        "currency",
        "amount_refunded",
        "amount_disputed",
        "dispute_status",
        "stripe_payment_intent_id",
        "stripe_invoice_id",
        "stripe_customer_id",
        "paid_at",
    )
