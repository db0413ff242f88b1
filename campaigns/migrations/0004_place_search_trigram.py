"""Typo- and accent-tolerant place search: a trigram index on Place.search_name (PostgreSQL only)."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS place_search_trgm ON campaigns_place USING gin (search_name gin_trgm_ops);"
DROP = "DROP INDEX IF EXISTS place_search_trgm;"


def create_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0003_tracker")]
    operations = [TrigramExtension(), migrations.RunPython(create_index, drop_index)]
