"""Signals the tracker sends; notifications and briefings listen, the tracker imports neither."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after the commit that changed a place's status.
# Arguments: campaign, place, event (the TimelineEvent), status_before, status_after.
place_status_changed = Signal()

# Sent after an import saved its rows in bulk (bulk_create and bulk_update send no per-row signals).
# Arguments: campaign (None: places, which every campaign shares).
tracker_imported = Signal()
