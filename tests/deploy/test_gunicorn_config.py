"""deploy/gunicorn.conf.py through gunicorn's own settings validation (the fault tests also run it for real)."""

from __future__ import annotations

import runpy
from typing import Any

import pytest
from gunicorn.config import Config

from tests.deploy.artifacts import DEPLOY


def load(monkeypatch: pytest.MonkeyPatch, **environment: str) -> Config:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    namespace: dict[str, Any] = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    config = Config()
    for name, value in namespace.items():
        if name in config.settings:
            config.set(name, value)  # gunicorn validates each value as it would at start
    return config


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    config = load(monkeypatch)
    assert config.bind == ["0.0.0.0:8000"]
    assert config.workers >= 3
    assert config.timeout == 30 and config.graceful_timeout < config.timeout
    assert config.max_requests > 0 and config.max_requests_jitter > 0
    assert config.accesslog == "-" and config.errorlog == "-"


def test_the_environment_sizes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    config = load(monkeypatch, WEB_CONCURRENCY="5", GUNICORN_BIND="127.0.0.1:9000", GUNICORN_TIMEOUT="12")
    assert (config.workers, config.bind, config.timeout) == (5, ["127.0.0.1:9000"], 12)


def test_the_access_log_never_names_the_client(monkeypatch: pytest.MonkeyPatch) -> None:
    log_format = load(monkeypatch).access_log_format
    # Case matters: %(h)s is the remote address, %(H)s the protocol; %(u)s the user, %(U)s the path.
    for identifying in ("%(h)s", "%(r)s", "%(q)s", "%(u)s"):
        assert identifying not in log_format
    for header in ("{x-forwarded-for}i", "{x-real-ip}i", "{forwarded}i"):
        assert header not in log_format.lower()
    assert "%(U)s" in log_format and "%(s)s" in log_format  # path without query string, status
