from __future__ import annotations

from django.apps import AppConfig


class HealthConfig(AppConfig):
    """Liveness and readiness probes for load balancers and orchestrators, and the metrics endpoint."""

    name = "health"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from health.gauges import register_builtin_gauges

        register_builtin_gauges()
