"""A bulk send: many messages to one list key, released in batches under a rate."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class BulkSend(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "being filled"
        RUNNING = "running", "sending"
        PAUSED = "paused", "paused"
        CANCELLED = "cancelled", "cancelled"
        FINISHED = "finished", "finished"

    list_key = models.CharField(max_length=100)
    kind = models.CharField(max_length=100)
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    rate_per_minute = models.PositiveIntegerField()
    released_at = models.DateTimeField(null=True, blank=True, help_text="When the last batch was released.")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"bulk send {self.pk} to {self.list_key} ({self.state})"
