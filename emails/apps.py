from __future__ import annotations

from django.apps import AppConfig


class EmailsConfig(AppConfig):
    """The one way mail leaves Townhall; knows messages, not petitions."""

    name = "emails"
    default_auto_field = "django.db.models.BigAutoField"
