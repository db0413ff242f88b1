"""Readiness probes: one small function per dependency, run concurrently under one deadline.

A probe returns a short word on success ("ok", "in-process") and raises on failure. The runner
turns each outcome into a `CheckResult` whose detail is safe to show to anyone: a fixed word, a
timeout, or an exception class name, never an exception message (those can carry host names,
user names or, for some drivers, URLs).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import kombu
from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend

logger = logging.getLogger(__name__)

# The whole readiness answer must arrive within 2 s even when a dependency hangs; leave
# headroom for the request itself. Overridable with settings.HEALTH_READINESS_TIMEOUT.
READINESS_TIMEOUT = 1.5
# libpq rounds anything shorter up to 2 s, so this is the quickest a hung connect can end.
DATABASE_CONNECT_TIMEOUT = 2
IN_PROCESS = "in-process"
OK = "ok"

Probe = Callable[[], str]


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: str


def readiness_timeout() -> float:
    return float(getattr(settings, "HEALTH_READINESS_TIMEOUT", READINESS_TIMEOUT))


def check_database(alias: str = "default") -> str:
    connection = _fresh_connection(alias)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        # Our own wrapper, so nobody else will ever close it; a leak per probe adds up fast.
        connection.close()
    return OK


def _fresh_connection(alias: str) -> BaseDatabaseWrapper:
    """A private wrapper built from the current `connections.settings`, not `connections[alias]`.

    It leaves nothing in the thread-local registry, never borrows a pooled connection (the probe
    must prove the server answers now), and caps the connect timeout so an abandoned probe
    thread ends soon after the deadline.
    """
    settings_dict = dict(connections.settings[alias])
    options = dict(settings_dict.get("OPTIONS") or {})
    options.pop("pool", None)
    if settings_dict["ENGINE"] == "django.db.backends.postgresql":
        options["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
    settings_dict["OPTIONS"] = options
    wrapper: BaseDatabaseWrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    return wrapper


def check_broker() -> str:
    url = getattr(settings, "CELERY_BROKER_URL", "")
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) or not url:
        # Tasks run inside the web process; there is no broker to be unready.
        return IN_PROCESS
    timeout = readiness_timeout()
    with kombu.Connection(url, connect_timeout=timeout, transport_options=_broker_options(timeout)) as conn:
        # One attempt, no retry loop: redis answers a PING, AMQP completes its handshake.
        conn.ensure_connection(max_retries=0)
    return OK


def _broker_options(timeout: float) -> dict[str, Any]:
    # The app's own options first (e.g. a sentinel master name), then every read/connect bounded:
    # socket_* for redis, read_/write_timeout for py-amqp; each transport ignores the others' keys.
    return {
        **getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "read_timeout": timeout,
        "write_timeout": timeout,
    }


DEFAULT_PROBES: Mapping[str, Probe] = {"database": check_database, "broker": check_broker}


def run_checks(probes: Mapping[str, Probe] = DEFAULT_PROBES, timeout: float | None = None) -> dict[str, CheckResult]:
    """Run every probe in its own thread; whatever has not answered by the deadline is a timeout."""
    limit = readiness_timeout() if timeout is None else timeout
    threads = [_ProbeThread(name, probe) for name, probe in probes.items()]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + limit
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    timed_out = CheckResult(ok=False, detail=f"timeout after {limit:g}s")
    results = {thread.check: thread.result or timed_out for thread in threads}
    for check, result in results.items():
        # Logged here, once per request: an abandoned thread failing later would only repeat it.
        if not result.ok:
            logger.warning("readiness check %s %s", check, result.detail)
    return results


class _ProbeThread(threading.Thread):
    """A daemon thread, one per probe per request: a hung probe is abandoned, never joined.

    Not a ThreadPoolExecutor: its workers are joined at interpreter exit, so one black-holed
    socket would hold up shutdown, and a small pool would queue new probes behind hung ones.
    """

    def __init__(self, check: str, probe: Probe) -> None:
        super().__init__(name=f"readyz-{check}", daemon=True)
        self.check = check
        self.probe = probe
        self.result: CheckResult | None = None

    def run(self) -> None:
        self.result = _outcome(self.probe)


def _outcome(probe: Probe) -> CheckResult:
    try:
        return CheckResult(ok=True, detail=probe())
    except Exception as exc:
        return CheckResult(ok=False, detail=f"failed: {_root_cause(exc).__name__}")


def _root_cause(exc: BaseException) -> type[BaseException]:
    # Drivers wrap the interesting error (e.g. ConnectionRefusedError) in their own classes.
    while exc.__cause__ is not None:
        exc = exc.__cause__
    return type(exc)
