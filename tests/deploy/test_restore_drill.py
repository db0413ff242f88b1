"""The backup and restore drill of docs/operations.md, run for real: pg_dump the database, restore it
into a cluster of its own, and read the personal data back with the app's keys."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection
from pytest_django.fixtures import Settings

from privacy import crypto
from supporters.identity import supporter_for
from supporters.models import Supporter
from tests.deploy.throwaway_postgres import ThrowawayPostgres, postgres_bin, throwaway_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

EMAIL = "Rosa.Parks+petition@example.org"


def dump(path: Path) -> None:
    """The backup command of docs/operations.md, against this test's database."""
    source = connection.settings_dict
    subprocess.run(
        [
            str(postgres_bin() / "pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--host={source['HOST'] or '127.0.0.1'}",
            f"--port={source['PORT'] or 5432}",
            f"--username={source['USER'] or 'postgres'}",
            f"--file={path}",
            source["NAME"],
        ],
        check=True,
        capture_output=True,
        timeout=120,
        env={"PGPASSWORD": source.get("PASSWORD") or "", "PATH": "/usr/bin:/bin"},
    )


def restore(path: Path, server: ThrowawayPostgres, database: str) -> None:
    """The restore command of docs/operations.md: a new, empty database, then pg_restore into it."""
    server.execute(f'CREATE DATABASE "{database}"')
    subprocess.run(
        [
            str(postgres_bin() / "pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--host=127.0.0.1",
            f"--port={server.port}",
            "--username=postgres",
            f"--dbname={database}",
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.fixture
def restored(tmp_path: Path) -> Iterator[psycopg.Connection[Any]]:
    """A connection to the restored copy, in a cluster of its own, on another loopback port."""
    backup = tmp_path / "townhall.dump"
    dump(backup)
    assert backup.stat().st_size > 0
    with throwaway_postgres() as server:
        restore(backup, server, "townhall_restored")
        with psycopg.connect(server.url("townhall_restored"), connect_timeout=5) as restored_connection:
            yield restored_connection


@pytest.fixture
def supporter(transactional_db: Any) -> Supporter:
    # Committed (transactional_db), so pg_dump's own connection sees the row.
    return supporter_for(email=EMAIL, language="es")


def restored_row(restored: psycopg.Connection[Any], supporter: Supporter) -> tuple[str, str, str]:
    table = Supporter._meta.db_table
    row = restored.execute(
        f"SELECT email, email_hash, language FROM {table} WHERE id = %s",  # noqa: S608 - our own table name
        [supporter.pk],
    ).fetchone()
    assert row is not None, "the supporter is missing from the restored copy"
    return row


def test_an_encrypted_row_decrypts_after_restore(supporter: Supporter, restored: psycopg.Connection[Any]) -> None:
    token, stored_hash, language = restored_row(restored, supporter)
    assert token.startswith(crypto.token_prefix(crypto.current_key_id()))
    assert "example.org" not in token.lower()  # the dump holds ciphertext only

    email_field: Any = Supporter._meta.get_field("email")
    assert crypto.decrypt(token, context=email_field.context) == supporter.email
    assert language == "es"
    # The keyed hash still finds the supporter, however the address is spelled.
    hash_field: Any = Supporter._meta.get_field("email_hash")
    assert stored_hash == hash_field.hash_of(" ROSA.PARKS+PETITION@Example.ORG") == supporter.email_hash


def test_a_backup_is_useless_without_the_keys(
    supporter: Supporter, restored: psycopg.Connection[Any], settings: Settings
) -> None:
    token, _hash, _language = restored_row(restored, supporter)
    email_field: Any = Supporter._meta.get_field("email")
    settings.FIELD_ENCRYPTION_KEYS = [("other", b"\x01" * 32)]
    with pytest.raises(crypto.DecryptionError, match="Unknown encryption key id"):
        crypto.decrypt(token, context=email_field.context)
