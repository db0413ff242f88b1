"""Signals the tracker sends; notifications and briefings listen, the tracker imports neither."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after the commit that changed a place's status.
# Arguments: campaign, place, event (the TimelineEvent), status_before, status_after.
place_status_changed = Signal()
