from __future__ import annotations

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Low layer: encryption and keyed hashes for personal data, log redaction, the registry of
    personal-data holders (export, erasure, retention) and the privacy facts; imports no domain app."""

    name = "privacy"
    default_auto_field = "django.db.models.BigAutoField"
