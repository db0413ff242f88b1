"""The audit trail is append-only: the database itself refuses UPDATE and DELETE on it.

TRUNCATE stays possible (test databases are flushed with it); production denies the
application's role TRUNCATE on this table instead (docs/operations.md).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION accounts_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'accounts_auditevent is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_auditevent_append_only
    BEFORE UPDATE OR DELETE ON accounts_auditevent
    FOR EACH ROW EXECUTE FUNCTION accounts_auditevent_append_only();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS accounts_auditevent_append_only ON accounts_auditevent;
DROP FUNCTION IF EXISTS accounts_auditevent_append_only();
"""
SQLITE_CREATE = [
    """CREATE TRIGGER accounts_auditevent_no_update BEFORE UPDATE ON accounts_auditevent
       BEGIN SELECT RAISE(ABORT, 'accounts_auditevent is append-only: UPDATE refused'); END;""",
    """CREATE TRIGGER accounts_auditevent_no_delete BEFORE DELETE ON accounts_auditevent
       BEGIN SELECT RAISE(ABORT, 'accounts_auditevent is append-only: DELETE refused'); END;""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS accounts_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS accounts_auditevent_no_delete;",
]


def create_triggers(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, postgres=[POSTGRES_CREATE], sqlite=SQLITE_CREATE)


def drop_triggers(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, postgres=[POSTGRES_DROP], sqlite=SQLITE_DROP)


def _run(schema_editor: Any, *, postgres: list[str], sqlite: list[str]) -> None:
    statements = {"postgresql": postgres, "sqlite": sqlite}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_audit_event")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
