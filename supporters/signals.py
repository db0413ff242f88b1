"""Signals supporters send; petitions and letters listen, supporters imports neither."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that confirms, once per confirmation: receivers' writes commit or
# roll back with it. Arguments: confirmation (its supporter is loaded).
confirmed = Signal()
