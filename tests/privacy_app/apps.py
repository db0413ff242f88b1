from __future__ import annotations

from django.apps import AppConfig


class PrivacyAppConfig(AppConfig):
    """Test-only models exercising privacy's fields against the real database."""

    name = "tests.privacy_app"
    label = "privacy_app"
    default_auto_field = "django.db.models.BigAutoField"
