"""Looking through the whole database, for tests that check what is (not) stored."""

from __future__ import annotations

from django.db import connection


def rows_containing(text: str) -> list[str]:
    """Every table row in the database whose text form contains `text`."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT t::text FROM {quoted} t WHERE strpos(t::text, %s) > 0", [text])  # noqa: S608
            found += [f"{table}: {row}" for (row,) in cursor.fetchall()]
    return found
