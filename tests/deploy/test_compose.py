"""deploy/compose.yaml against the compose-spec schema (vendored), and against what Townhall needs."""

from __future__ import annotations

import copy
import hashlib
import json
import re
import shlex
from pathlib import Path
from typing import Any

import environ
import jsonschema
import pytest
from django.conf import settings

from backend import envkit
from tests.deploy.artifacts import DEPLOY, QUEUES, compose, documented_settings, gunicorn_settings

SCHEMAS = Path(__file__).parent / "schemas"
# Read by the operating system or libraries, not by Townhall's settings.
PLATFORM_VARIABLES = {"XDG_CACHE_HOME"}


def compose_validator() -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS / "compose-spec.json").read_text())
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator: jsonschema.protocols.Validator = validator_class(schema)
    return validator


def command(service: dict[str, Any]) -> list[str]:
    value = service.get("command", [])
    return shlex.split(value) if isinstance(value, str) else [str(part) for part in value]


def app_services() -> dict[str, dict[str, Any]]:
    services = compose()["services"].items()
    return {name: service for name, service in services if service.get("image") == "townhall:latest"}


def test_the_vendored_schema_is_the_one_the_readme_names() -> None:
    digest = hashlib.sha256((SCHEMAS / "compose-spec.json").read_bytes()).hexdigest()
    assert digest in (SCHEMAS / "README.md").read_text()


def test_compose_file_is_valid_against_the_compose_spec() -> None:
    errors = [f"{error.json_path}: {error.message}" for error in compose_validator().iter_errors(compose())]
    assert errors == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("services", "web", "depends_on"), 42),
        (("services", "web", "deploy"), {"replicass": 2}),
        (("services", "web", "helthcheck"), {}),
        (("volumes",), []),
    ],
)
def test_the_schema_would_catch_a_mistake(path: tuple[str, ...], value: Any) -> None:
    broken = copy.deepcopy(compose())
    target = broken
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert list(compose_validator().iter_errors(broken))


def test_one_worker_per_queue_and_one_beat() -> None:
    assert tuple(settings.CELERY_TASK_QUEUES_NAMES) == QUEUES
    consumed: dict[str, list[str]] = {}
    beats = []
    for name, service in compose()["services"].items():
        words = command(service)
        if words[:4] == ["celery", "-A", "backend", "worker"]:
            consumed.setdefault(words[words.index("-Q") + 1], []).append(name)
        if words[:4] == ["celery", "-A", "backend", "beat"]:
            beats.append(name)
    assert consumed == {queue: [f"worker-{queue}"] for queue in QUEUES}
    assert beats == ["beat"]
    assert compose()["services"]["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_web_is_gunicorn_with_the_deploy_config_and_checks_readiness() -> None:
    web = compose()["services"]["web"]
    assert command(web) == ["gunicorn", "--config", "deploy/gunicorn.conf.py", "backend.wsgi"]
    assert "/readyz" in " ".join(web["healthcheck"]["test"])
    # The image's own HTTP health check would mark workers and beat unhealthy: they serve no HTTP.
    for name in ("worker-transactional", "worker-bulk", "worker-heavy", "beat"):
        assert compose()["services"][name]["healthcheck"] == {"disable": True}, name


def test_the_real_parts_are_all_there() -> None:
    services = compose()["services"]
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:")
    assert "noeviction" in command(services["redis"])  # a broker must never evict a task
    assert "mailpit" in services["mailpit"]["image"]
    environment = compose()["x-townhall-environment"]
    assert environment["EMAIL_URL"] == "smtp://mailpit:1025"
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")
    assert compose()["services"]["migrate"]["command"] == ["python", "manage.py", "migrate", "--no-input"]
    for name in app_services():
        if name not in {"migrate", "static"}:
            depends = services[name]["depends_on"]
            assert depends["migrate"] == {"condition": "service_completed_successfully"}, name


def test_every_secret_file_variable_points_at_a_secret_the_service_gets() -> None:
    defined = set(compose()["secrets"])
    used: set[str] = set()
    for name, service in compose()["services"].items():
        granted = set(service.get("secrets", []))
        used |= granted
        for variable, value in (service.get("environment") or {}).items():
            if variable.endswith("_FILE"):
                match = re.fullmatch(r"/run/secrets/([a-z_]+)", str(value))
                assert match and match.group(1) in granted, f"{name}: {variable}={value}"
    assert used == defined


def test_every_variable_is_a_documented_setting() -> None:
    known = documented_settings() | gunicorn_settings() | PLATFORM_VARIABLES
    for name, service in app_services().items():
        unknown = set(service.get("environment") or {}) - known
        assert not unknown, f"{name} sets {unknown}, which nothing reads"


def test_the_secrets_helper_writes_what_the_settings_accept(tmp_path: Path) -> None:
    from deploy.make_secrets import make

    written = make(tmp_path / "secrets")
    assert set(written) == set(compose()["secrets"])
    for path in (tmp_path / "secrets").iterdir():
        assert path.stat().st_mode & 0o777 == 0o600
    read = {path.name: path.read_text().strip() for path in (tmp_path / "secrets").iterdir()}
    assert len(envkit.keyring(read["field_encryption_keys"], name="FIELD_ENCRYPTION_KEYS")) == 1
    assert len(envkit.keyring(read["keyed_hash_keys"], name="KEYED_HASH_KEYS")) == 1
    database = environ.Env.db_url_config(read["database_url"])
    assert database["HOST"] == "db" and database["PASSWORD"] == read["db_password"]
    # Run again: nothing is overwritten, so keys never change under existing data.
    assert make(tmp_path / "secrets") == []
    assert {path.name: path.read_text().strip() for path in (tmp_path / "secrets").iterdir()} == read


def test_the_proxy_forwards_to_web_and_logs_no_client_address() -> None:
    nginx = (DEPLOY / "nginx.conf").read_text()
    assert "server web:8000;" in nginx
    assert compose()["services"]["web"]["expose"] == ["8000"]
    formats = re.findall(r"log_format[^;]+;", nginx, re.DOTALL)
    assert formats
    for log_format in formats:
        assert "$remote_addr" not in log_format and "x_forwarded_for" not in log_format
        assert "$request_uri" not in log_format and "$request " not in log_format  # no query strings
    assert re.search(r"location = /metrics \{\s*return 404;", nginx)
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx
    assert compose()["x-townhall-environment"]["TRUSTED_PROXY_COUNT"] == "1"
