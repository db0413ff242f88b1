"""Whole-project checks: deploy settings, migrations in sync with models, a valid OpenAPI schema."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def _key() -> str:
    return f"k{os.urandom(2).hex()}:{base64.urlsafe_b64encode(os.urandom(32)).decode()}"


def test_it_passes_check_deploy_with_production_values(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "backend.settings",
        "SECRET_KEY": base64.urlsafe_b64encode(os.urandom(48)).decode(),
        "FIELD_ENCRYPTION_KEYS": _key(),
        "KEYED_HASH_KEYS": _key(),
        "ALLOWED_HOSTS": "townhall.example.org",
        "DATABASE_URL": "postgres://townhall@127.0.0.1:5432/townhall",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "EMAIL_URL": "smtp+tls://mailer:secret@127.0.0.1:587",
        "TRUSTED_PROXY_COUNT": "1",
        "TOWNHALL_VAR_DIR": str(tmp_path),
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_it_has_a_migration_for_every_model_change():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_it_serves_a_valid_schema_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    assert "/api/v1/campaigns/" in out.read_text()
