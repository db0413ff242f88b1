from __future__ import annotations

from django.apps import AppConfig


class HealthConfig(AppConfig):
    """Liveness and readiness probes for load balancers and orchestrators."""

    name = "health"
    default_auto_field = "django.db.models.BigAutoField"
