"""The probe runner on its own: concurrency, the single deadline, and how failures are described."""

from __future__ import annotations

import threading
import time

import pytest
from pytest_django.fixtures import Settings

from health import probes


def test_it_reports_unfinished_probes_as_timeouts_and_runs_them_concurrently(caplog: pytest.LogCaptureFixture) -> None:
    release = threading.Event()

    def hangs() -> str:
        release.wait(5)
        return "late"

    def also_slow() -> str:
        time.sleep(0.25)
        return "ok"

    started = time.monotonic()
    try:
        results = probes.run_checks({"a": hangs, "b": also_slow, "c": also_slow}, timeout=0.3)
    finally:
        release.set()
    elapsed = time.monotonic() - started

    assert results == {
        "a": probes.CheckResult(ok=False, detail="timeout after 0.3s"),
        "b": probes.CheckResult(ok=True, detail="ok"),
        "c": probes.CheckResult(ok=True, detail="ok"),
    }
    assert 0.3 <= elapsed < 0.6  # one shared deadline; run one after another they would take 0.8 s
    assert caplog.messages == ["readiness check a timeout after 0.3s"]


def test_it_describes_a_failure_by_its_root_cause_class_only() -> None:
    def refuses() -> str:
        try:
            raise ConnectionRefusedError("redis://user:hunter2@db.internal:6379")
        except ConnectionRefusedError as exc:
            raise RuntimeError("wrapped") from exc

    results = probes.run_checks({"broker": refuses}, timeout=1)

    assert results == {"broker": probes.CheckResult(ok=False, detail="failed: ConnectionRefusedError")}


def test_it_reads_the_deadline_from_settings(settings: Settings) -> None:
    settings.HEALTH_READINESS_TIMEOUT = 0.2

    def slow() -> str:
        time.sleep(1)
        return "ok"

    results = probes.run_checks({"slow": slow})

    assert results == {"slow": probes.CheckResult(ok=False, detail="timeout after 0.2s")}
