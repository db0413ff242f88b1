"""The secrets compose and Kubernetes pass as files: the settings read DATABASE_URL_FILE and METRICS_TOKEN_FILE."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from deploy.make_secrets import make
from tests.deploy.artifacts import ROOT

CLEARED = ("DATABASE_URL", "METRICS_TOKEN", "SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "KEYED_HASH_KEYS", "DEBUG")


def load(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> dict[str, Any]:
    for name in CLEARED:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"{name}_FILE", raising=False)
    monkeypatch.setenv("TOWNHALL_VAR_DIR", str(tmp_path / "var"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "backend" / "settings.py"))


def test_the_secret_files_make_a_production_configuration(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secrets = tmp_path / "secrets"
    make(secrets, db_host="db.internal")
    settings = load(
        monkeypatch,
        tmp_path,
        **{f"{name.upper()}_FILE": str(secrets / name) for name in ("secret_key", "database_url", "metrics_token")},
        FIELD_ENCRYPTION_KEYS_FILE=str(secrets / "field_encryption_keys"),
        KEYED_HASH_KEYS_FILE=str(secrets / "keyed_hash_keys"),
    )
    database = settings["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"], database["USER"]) == ("db.internal", "townhall", "townhall")
    assert database["PASSWORD"] == (secrets / "db_password").read_text().strip()
    assert database["OPTIONS"]["connect_timeout"] == 5
    assert settings["METRICS_TOKEN"] == (secrets / "metrics_token").read_text().strip()


def test_no_metrics_token_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert load(monkeypatch, tmp_path, DEBUG="true")["METRICS_TOKEN"] == ""


def test_a_database_url_given_twice_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url_file = tmp_path / "database_url"
    url_file.write_text("postgres://a@b/c\n")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL or DATABASE_URL_FILE, not both"):
        load(monkeypatch, tmp_path, DEBUG="true", DATABASE_URL="postgres://a@b/c", DATABASE_URL_FILE=str(url_file))
