"""Townhall as production runs it, on loopback: gunicorn with deploy/gunicorn.conf.py, a Celery worker
per queue (transactional, bulk, heavy) and beat, against a database of their own on the shared
PostgreSQL, a throwaway redis-server, an SMTP sink and the Stripe stand-in, all on 127.0.0.1.

The processes get a minimal environment built here (nothing of this pytest process's settings leaks
in); every value that differs from a production install is explained in `environment()`.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg

from tests.deploy.artifacts import DEPLOY, ROOT
from tests.donations import stripe_events
from tests.donations.stripe_server import FakeStripe
from tests.emails.celery_broker import ThrowawayRedis, free_port
from tests.emails.smtp_sink import SmtpSink
from tests.faults.stack import ProcessLogs

QUEUES = ("transactional", "bulk", "heavy")
# The browser's own address: every request of the test leaves from it, so it is the client IP the
# logs must never show. Linux routes all of 127.0.0.0/8 to lo; no server listens on it.
CLIENT_IP = "127.0.0.2"
# Of this pytest process's environment, only what a shell gives any process.
BASIC = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR")


def shared_postgres_url(database: str) -> str:
    """The shared PostgreSQL the test suite uses (backend.settings_test), another database on it."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{database}"))


@contextmanager
def dedicated_database() -> Iterator[str]:
    """A database of its own on the shared server, dropped afterwards (its connections too)."""
    name = f"townhall_e2e_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = shared_postgres_url("postgres")
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    try:
        yield shared_postgres_url(name)
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


@dataclass
class Stack(ProcessLogs):
    database_url: str
    redis: ThrowawayRedis
    sink: SmtpSink
    stripe: FakeStripe
    workdir: Path
    web_port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def server_ports(self) -> set[int]:
        """Ports of servers on 127.0.0.1 whose addresses the processes may name (never a client's)."""
        postgres = urlsplit(self.database_url).port or 5432
        stripe = urlsplit(self.stripe.url).port or 80
        return {self.web_port, self.redis.port, self.sink.port, postgres, stripe}

    def environment(self) -> dict[str, str]:
        var = self.workdir / "var"
        return {
            **{name: os.environ[name] for name in BASIC if name in os.environ},
            "DJANGO_SETTINGS_MODULE": "backend.settings",  # production settings, not the test overlay
            "DEBUG": "false",
            # Secrets a production install reads from files; fresh ones for this run.
            "SECRET_KEY": "e2e-" + uuid.uuid4().hex * 2,
            "FIELD_ENCRYPTION_KEYS": os.environ["FIELD_ENCRYPTION_KEYS"],
            "KEYED_HASH_KEYS": os.environ["KEYED_HASH_KEYS"],
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis.url,  # cache, throttles and the Celery broker
            "EMAIL_URL": f"smtp://127.0.0.1:{self.sink.port}",
            "ALLOWED_HOSTS": "127.0.0.1",
            # Links in mail point at this gunicorn (production: the public https:// URL).
            "SITE_URL": self.base_url,
            # Plain HTTP on loopback: no proxy in front terminates TLS, so no redirect to https://.
            "SECURE_SSL_REDIRECT": "false",
            # Everything production keeps under var/ (media, briefing PDFs, exports) in this run's folder.
            "TOWNHALL_VAR_DIR": str(var),
            "SIGNATURE_EXPORTS_ROOT": str(var / "exports"),
            # Donations on, with Stripe's calls going to the stand-in on 127.0.0.1.
            "STRIPE_SECRET_KEY": "sk_test_townhall",
            "STRIPE_WEBHOOK_SECRET": stripe_events.WEBHOOK_SECRET,
            "STRIPE_API_BASE": self.stripe.url,
            # gunicorn.conf.py reads these: loopback instead of 0.0.0.0, two workers on a 2-core machine.
            "GUNICORN_BIND": f"127.0.0.1:{self.web_port}",
            "WEB_CONCURRENCY": "2",
            "GUNICORN_GRACEFUL_TIMEOUT": "5",
            # gunicorn's control socket defaults to ~/.gunicorn/gunicorn.ctl, one per user: this run's own.
            "GUNICORN_CMD_ARGS": f"--control-socket {self.workdir / 'gunicorn.ctl'}",
            # Logs reach the files line by line, so a process stopped at the end has written everything.
            "PYTHONUNBUFFERED": "1",
        }

    def manage(self, *arguments: str, timeout: float = 180) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def shell(self, code: str) -> str:
        return self.manage("shell", "--no-imports", "-c", code)

    def start(self, name: str, command: list[str]) -> None:
        with (self.workdir / f"{name}.log").open("wb") as log:
            self.processes[name] = subprocess.Popen(
                command, cwd=ROOT, env=self.environment(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def start_all(self) -> None:
        bin_dir = Path(sys.executable).parent
        self.start("web", [str(bin_dir / "gunicorn"), "--config", str(DEPLOY / "gunicorn.conf.py"), "backend.wsgi"])
        celery = [str(bin_dir / "celery"), "-A", "backend"]
        worker = [*celery, "worker", "--concurrency", "1", "--loglevel", "INFO"]
        for queue in QUEUES:
            # As README's "Running production parts" and compose.yaml run them: one worker per queue.
            self.start(queue, [*worker, "-Q", queue, "--hostname", f"{queue}@e2e"])
        self.start("beat", [*celery, "beat", "--loglevel", "INFO"])
        self.wait_for("web", lambda: httpx.get(f"{self.base_url}/healthz", timeout=5).status_code == 200)
        for queue in QUEUES:
            self.wait_for(queue, lambda queue=queue: b" ready." in self.log(queue))  # type: ignore[misc]
        self.wait_for("beat", lambda: b"beat: Starting..." in self.log("beat"))


@contextmanager
def running_stack(*, sink: SmtpSink, stripe: FakeStripe, workdir: Path) -> Iterator[Stack]:
    with ExitStack() as cleanup:
        database_url = cleanup.enter_context(dedicated_database())
        redis = ThrowawayRedis()
        redis.start()
        cleanup.callback(redis.remove)
        stack = Stack(database_url=database_url, redis=redis, sink=sink, stripe=stripe, workdir=workdir)
        cleanup.callback(stack.stop_all)
        yield stack


class Browser:
    """One person's browser: its own cookies, requests leaving from CLIENT_IP, CSRF handled as a page's
    form (the hidden field) and a front-end's fetch (the X-CSRFToken header) do.

    Browsers count http://127.0.0.1 as a secure context and send it Secure cookies (the session and
    CSRF cookies are Secure when DEBUG is off); httpx's cookie jar would hold them back over plain
    HTTP, so this browser keeps its cookies itself.
    """

    def __init__(self, base_url: str) -> None:
        self.client = httpx.Client(
            base_url=base_url, transport=httpx.HTTPTransport(local_address=CLIENT_IP), timeout=30
        )
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **options: Any) -> httpx.Response:
        headers = dict(options.pop("headers", {}))
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = self.client.request(method, path, headers=headers, **options)
        for line in response.headers.get_list("set-cookie"):
            jar = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def csrf(self) -> str:
        token = self.cookies.get("csrftoken")
        assert token, "no CSRF cookie yet: open a page with a form first"
        return token

    def get(self, path: str) -> httpx.Response:
        return self.request("GET", path)

    def submit(self, path: str, fields: dict[str, str]) -> httpx.Response:
        """A form on a page: GET it (the CSRF cookie), POST it with the hidden token."""
        page = self.get(path)
        assert page.status_code == 200, (path, page.status_code)
        return self.request("POST", path, data={**fields, "csrfmiddlewaretoken": self.csrf()})

    def api(self, method: str, path: str, body: Any = None, **headers: str) -> httpx.Response:
        if method != "GET" and "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        return self.request(method, path, json=body, headers=headers)

    def close(self) -> None:
        self.client.close()


LINK = re.compile(r"https?://[^\s\"'<>]+")


def malformed_request(port: int) -> bytes:
    """What scanners send all day: a request gunicorn itself refuses (400) before Django sees it."""
    with socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(CLIENT_IP, 0)) as connection:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: many\r\n\r\n")
        return connection.recv(1024)


def links_in(text: str, base_url: str) -> list[str]:
    return [link.rstrip(".,)") for link in LINK.findall(text) if link.startswith(base_url)]
