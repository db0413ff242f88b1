from __future__ import annotations

import django_stubs_ext
from django.apps import AppConfig


class WebConfig(AppConfig):
    """Top layer: public pages and their templates."""

    name = "web"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # DRF's generic classes subscripted for the type checker (Django's are patched in settings).
        # Imported here, not in settings: DRF reads its settings when its modules load.
        from rest_framework import fields, generics, serializers, viewsets

        from web import receivers

        receivers.connect()  # cached tracker pages go stale with their campaign's data

        django_stubs_ext.monkeypatch(
            extra_classes=[
                generics.GenericAPIView,
                generics.ListAPIView,
                generics.RetrieveAPIView,
                generics.CreateAPIView,
                generics.ListCreateAPIView,
                generics.RetrieveUpdateDestroyAPIView,
                viewsets.GenericViewSet,
                viewsets.ModelViewSet,
                viewsets.ReadOnlyModelViewSet,
                serializers.Serializer,
                serializers.ModelSerializer,
                serializers.ListSerializer,
                fields.Field,
            ]
        )
