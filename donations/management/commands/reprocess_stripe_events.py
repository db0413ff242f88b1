"""Hands failed Stripe events back to the queue once their cause is fixed: `manage.py reprocess_stripe_events`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from donations import processing


class Command(BaseCommand):
    help = "Queue failed Stripe events (all, or those named) for handling again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("event_ids", nargs="*", help="Stripe event ids (evt_…); none: every failed event.")

    def handle(self, *args: Any, event_ids: list[str], **options: Any) -> None:
        queued = processing.requeue_failed(event_ids or None)
        self.stdout.write(f"{queued} event(s) queued again.")
