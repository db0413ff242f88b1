"""Townhall as it runs in production, on throwaway parts: gunicorn (deploy/gunicorn.conf.py) and a
Celery worker as real processes, against a PostgreSQL cluster and a redis-server of their own on
free loopback ports, mailing an SMTP sink on 127.0.0.1. The shared 5432 and 6379 are never used.

The cluster gets its schema from a dump of this pytest process's migrated test database (seconds,
where `migrate` takes most of a minute on a busy machine), restored as docs/operations.md says.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg

from supporters.models import Supporter
from tests.deploy.artifacts import DEPLOY, ROOT
from tests.deploy.test_restore_drill import dump, restore
from tests.deploy.throwaway_postgres import ThrowawayPostgres
from tests.emails.celery_broker import ThrowawayRedis, free_port
from tests.emails.smtp_sink import SmtpSink

DATABASE = "townhall_faults"
SIGN_PATH = "/api/v1/campaigns/ring/petitions/end-ring/signatures/"
BLOOMFIELD_ZIP = "07003"

# What the petitions fixtures build (tests/petitions/conftest.py), in the stack's own database.
SEED = """
from campaigns.models import Campaign, Petition, Place
from campaigns.tracker import track_place
campaign = Campaign.objects.create(slug="ring", title="End Ring partnerships", is_public=True)
Petition.objects.create(campaign=campaign, slug="end-ring", title="End it", text="We ask our council to end it.")
place = Place.objects.create(
    ocd_id="ocd-division/country:us/state:nj/place:bloomfield", name="Bloomfield", kind=Place.Kind.TOWNSHIP, state="NJ"
)
track_place(campaign=campaign, place=place, actor=None, via="test")
"""

# The outbox sweep beat runs every minute, with the wait a test cannot afford set to zero.
SWEEP = """
from django.conf import settings
from emails.sweeps import sweep_outbox
settings.EMAIL_REPUBLISH_AFTER_SECONDS = 0
print(sweep_outbox())
"""

# Variables of this pytest process that must not leak into the stack's processes.
PRIVATE = ("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "EMAIL_", "PYTEST", "COV_")


def prepare_database(server: ThrowawayPostgres, workdir: Path) -> None:
    """The migrated schema of this pytest process's test database, restored into the throwaway cluster."""
    backup = workdir / "schema.dump"
    dump(backup)
    restore(backup, server, DATABASE)


class ProcessLogs:
    """Start-up waits, logs and shutdown of a stack's processes, each in its own session."""

    workdir: Path
    processes: dict[str, subprocess.Popen[bytes]]

    def log(self, name: str) -> bytes:
        return (self.workdir / f"{name}.log").read_bytes()

    def wait_for(self, name: str, ready: Any, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            process = self.processes[name]
            assert process.poll() is None, f"{name} exited: {self.log(name)[-3000:].decode(errors='replace')}"
            try:
                if ready():
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"{name} not ready in {timeout} s: {self.log(name)[-3000:].decode(errors='replace')}")

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)  # our own session: gunicorn's or celery's children too
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@dataclass
class Stack(ProcessLogs):
    postgres: ThrowawayPostgres
    redis: ThrowawayRedis
    sink: SmtpSink
    workdir: Path
    web_port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def environment(self) -> dict[str, str]:
        inherited = {name: value for name, value in os.environ.items() if not name.startswith(PRIVATE)}
        return {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "backend.settings",
            "DEBUG": "false",
            "SECRET_KEY": "fault-tests-" + "x" * 40,
            # The keys of this pytest process, so the test can compute the keyed hashes it looks up.
            "FIELD_ENCRYPTION_KEYS": os.environ["FIELD_ENCRYPTION_KEYS"],
            "KEYED_HASH_KEYS": os.environ["KEYED_HASH_KEYS"],
            "DATABASE_URL": self.postgres.url(DATABASE),
            "DATABASE_CONNECT_TIMEOUT": "2",
            "REDIS_URL": self.redis.url,
            "EMAIL_URL": f"smtp://127.0.0.1:{self.sink.port}",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SITE_URL": self.base_url,
            # Every signer comes from 127.0.0.1 here; production keeps the per-address limits.
            "SIGNATURES_PER_IP": "100000/hour",
            "THROTTLE_ANON": "100000/minute",
            "TOWNHALL_VAR_DIR": str(self.workdir / "var"),
            "MEDIA_ROOT": str(self.workdir / "var/media"),
            "SIGNATURE_EXPORTS_ROOT": str(self.workdir / "var/exports"),
            "GUNICORN_BIND": f"127.0.0.1:{self.web_port}",
            "WEB_CONCURRENCY": "3",
            "GUNICORN_TIMEOUT": "30",
            "GUNICORN_GRACEFUL_TIMEOUT": "5",
            "LOG_LEVEL": "INFO",
        }

    def manage(self, *arguments: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def shell(self, code: str) -> str:
        return self.manage("shell", "--no-imports", "-c", code)

    def start(self, name: str, command: list[str]) -> None:
        log = (self.workdir / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=self.environment(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def start_web(self) -> None:
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        self.start("web", [gunicorn, "--config", str(DEPLOY / "gunicorn.conf.py"), "backend.wsgi"])
        # A worker's first request imports the views: warm each of them before the test counts.
        self.wait_for("web", lambda: httpx.get(f"{self.base_url}/healthz", timeout=5).status_code == 200)
        for _ in range(6):
            httpx.get(f"{self.base_url}/api/v1/campaigns/ring/petitions/end-ring/", timeout=30)

    def start_worker(self, *, wait: bool = True) -> None:
        celery = str(Path(sys.executable).parent / "celery")
        command = [celery, "-A", "backend", "worker", "-Q", "transactional,bulk", "--concurrency", "2"]
        command += ["--hostname", "faults@127.0.0.1", "--without-gossip", "--without-mingle", "--loglevel", "INFO"]
        self.start("worker", command)
        if wait:
            self.wait_until_worker_ready()

    def wait_until_worker_ready(self) -> None:
        self.wait_for("worker", lambda: b" ready." in self.log("worker"))

    def restart_if_exited(self, name: str, start: Any) -> bool:
        """What compose's `restart: unless-stopped` and Kubernetes do for a process that exited."""
        if self.processes[name].poll() is None:
            return False
        (self.workdir / f"{name}.log").rename(self.workdir / f"{name}.exited.log")
        start()
        return True

    def query(self, sql: str, parameters: list[Any] | None = None) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.postgres.url(DATABASE), connect_timeout=5) as connection:
            return connection.execute(sql, parameters).fetchall()  # type: ignore[arg-type]

    def _count_for(self, sql: str, email: str) -> int:
        """Rows for this address, found the way the app finds it: by its keyed hash."""
        hash_field: Any = Supporter._meta.get_field("email_hash")
        count: int = self.query(sql, [hash_field.hash_of(email)])[0][0]
        return count

    def signatures_of(self, email: str) -> int:
        return self._count_for(
            "SELECT count(s.id) FROM supporters_supporter p JOIN campaigns_signature s ON s.supporter_id = p.id "
            "WHERE p.email_hash = %s",
            email,
        )

    def confirmations_to(self, email: str) -> int:
        # The outbox hashes addresses the way supporters are hashed (same normalizer and purpose).
        return self._count_for("SELECT count(*) FROM emails_outboundmessage WHERE to_hash = %s", email)

    def supporters_with(self, email: str) -> int:
        return self._count_for("SELECT count(*) FROM supporters_supporter WHERE email_hash = %s", email)


@contextmanager
def running_stack(postgres: ThrowawayPostgres, sink: SmtpSink, workdir: Path) -> Iterator[Stack]:
    with ExitStack() as cleanup:
        redis = ThrowawayRedis()
        redis.start()
        cleanup.callback(redis.remove)
        stack = Stack(postgres=postgres, redis=redis, sink=sink, workdir=workdir)
        cleanup.callback(stack.stop_all)
        yield stack


def signer(email: str) -> dict[str, str]:
    return {"email": email, "name": "Dana Scully", "zip": BLOOMFIELD_ZIP}


def kill(stack: Stack, name: str) -> None:
    """SIGKILL to a process and its children at once (an OOM kill, a lost node); its log is kept apart."""
    process = stack.processes[name]
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    (stack.workdir / f"{name}.log").rename(stack.workdir / f"{name}.killed.log")


def wait_until_disconnected(stack: Stack, timeout: float = 10) -> None:
    """Until no other client is connected to the stack's database: a killed process's last statement is over."""
    deadline = time.monotonic() + timeout
    others = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
    while stack.query(others, [DATABASE])[0][0] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not stack.query(others, [DATABASE])[0][0], "a killed process is still connected to the database"
