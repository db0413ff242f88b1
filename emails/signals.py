"""Signals the e-mail pipeline sends; apps above it listen, the pipeline imports none of them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent when the provider reports a hard bounce or a spam complaint for an address, inside the
# transaction that suppresses it: a listener that fails rolls the suppression back, and the
# provider, answered with an error, sends the event again.
# Arguments: address (clear, as the provider reported it), reason (a Suppression.Reason value),
# at (when it happened).
address_rejected = Signal()
