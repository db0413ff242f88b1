"""Deleting an organizer sets their audit events' actor to NULL; the trigger allows that one
change (the events keep `actor_label`) and still refuses every other UPDATE and any DELETE."""

from __future__ import annotations

from typing import Any

from django.db import migrations

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION accounts_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
       AND to_jsonb(NEW) - 'actor_id' = to_jsonb(OLD) - 'actor_id' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'accounts_auditevent is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
POSTGRES_FUNCTION_BEFORE = """
CREATE OR REPLACE FUNCTION accounts_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'accounts_auditevent is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
OTHER_COLUMNS = (
    "created, actor_label, via, action, target_type_id, target_id, target_label, campaign_id, changes, details, row_count"
)
SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS accounts_auditevent_no_update;",
    f"""CREATE TRIGGER accounts_auditevent_no_update BEFORE UPDATE OF {OTHER_COLUMNS} ON accounts_auditevent
       BEGIN SELECT RAISE(ABORT, 'accounts_auditevent is append-only: UPDATE refused'); END;""",
    """CREATE TRIGGER accounts_auditevent_actor_only_forgotten BEFORE UPDATE OF actor_id ON accounts_auditevent
       WHEN NEW.actor_id IS NOT NULL
       BEGIN SELECT RAISE(ABORT, 'accounts_auditevent is append-only: UPDATE refused'); END;""",
]
SQLITE_TRIGGERS_BEFORE = [
    "DROP TRIGGER IF EXISTS accounts_auditevent_actor_only_forgotten;",
    "DROP TRIGGER IF EXISTS accounts_auditevent_no_update;",
    """CREATE TRIGGER accounts_auditevent_no_update BEFORE UPDATE ON accounts_auditevent
       BEGIN SELECT RAISE(ABORT, 'accounts_auditevent is append-only: UPDATE refused'); END;""",
]


def forward(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, postgres=[POSTGRES_FUNCTION], sqlite=SQLITE_TRIGGERS)


def backward(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, postgres=[POSTGRES_FUNCTION_BEFORE], sqlite=SQLITE_TRIGGERS_BEFORE)


def _run(schema_editor: Any, *, postgres: list[str], sqlite: list[str]) -> None:
    statements = {"postgresql": postgres, "sqlite": sqlite}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_audit_append_only")]
    operations = [migrations.RunPython(forward, backward)]
