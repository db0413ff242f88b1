"""What the e-mail benches share: a throwaway database, broker, SMTP sink process and Celery workers.

Everything listens on 127.0.0.1 and goes away when the bench ends; the shared Redis on 6379 and
the development database are never touched.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def bench_database() -> Iterator[None]:
    """bench_townhall_<pid>, made and dropped through Django's test-database machinery."""
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    connections["default"].settings_dict.setdefault("TEST", {})["NAME"] = f"bench_townhall_{os.getpid()}"
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        yield
    finally:
        connections.close_all()
        teardown_databases(old_config, verbosity=0)


def _serve_sink(shared: dict[str, Any], stop: Event, delay: tuple[float, float]) -> None:
    from tests.emails.smtp_sink import Received, SmtpSink

    seen: set[str] = set()

    def counted(received: Received) -> None:
        shared["duplicates"].value += received.message_id in seen
        seen.add(received.message_id)
        if received.message_id.encode() == shared["watched"].value:
            shared["watched_position"].value = shared["count"].value
            shared["watched_at"].value = received.at
        shared["last_at"].value = received.at
        shared["count"].value += 1  # last: whoever sees the new count also sees its time

    sink = SmtpSink(delay=delay, on_message=counted)
    sink.start()
    shared["port"].value = sink.port
    stop.wait()
    sink.stop()


class SinkProcess:
    """An aiosmtpd sink in a process of its own, so it does not compete for this process's GIL.

    It counts arrivals and repeated Message-IDs, and notes when one watched Message-ID arrives and
    how many messages came before it. Times are its time.monotonic() (system-wide on Linux).
    """

    def __init__(self, *, delay_seconds: tuple[float, float] = (0.0, 0.0)) -> None:
        context = multiprocessing.get_context("spawn")
        self._shared: dict[str, Any] = {
            "port": context.Value("i", 0),
            "count": context.Value("q", 0),
            "duplicates": context.Value("q", 0),
            "last_at": context.Value("d", 0.0),
            "watched": context.Array("c", 255),
            "watched_position": context.Value("q", -1),
            "watched_at": context.Value("d", 0.0),
        }
        self._stop = context.Event()
        args = (self._shared, self._stop, delay_seconds)
        self._process = context.Process(target=_serve_sink, args=args, name="smtp-sink", daemon=True)

    @property
    def port(self) -> int:
        return int(self._shared["port"].value)

    @property
    def count(self) -> int:
        return int(self._shared["count"].value)

    @property
    def duplicates(self) -> int:
        return int(self._shared["duplicates"].value)

    @property
    def last_at(self) -> float:
        return float(self._shared["last_at"].value)

    def watch(self, message_id: str) -> None:
        self._shared["watched_at"].value = 0.0
        self._shared["watched_position"].value = -1
        self._shared["watched"].value = message_id.encode()

    @property
    def watched(self) -> tuple[int, float] | None:
        """(messages that arrived before it, its arrival time), once the watched message is in."""
        at = float(self._shared["watched_at"].value)
        return (int(self._shared["watched_position"].value), at) if at else None

    def start(self) -> None:
        self._process.start()
        deadline = time.monotonic() + 30
        while not self.port:
            if time.monotonic() > deadline or not self._process.is_alive():
                raise RuntimeError("the SMTP sink did not start")
            time.sleep(0.01)

    def wait_for(self, count: int, *, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self.count < count:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True

    def stop(self) -> None:
        self._stop.set()
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()


@contextmanager
def sink_process(*, delay_seconds: tuple[float, float] = (0.0, 0.0)) -> Iterator[SinkProcess]:
    sink = SinkProcess(delay_seconds=delay_seconds)
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


def worker_environment(*, broker_url: str, smtp_port: int) -> dict[str, str]:
    """The production settings module, pointed at the bench's database, broker and sink.

    backend.settings_test would swap the SMTP backend for locmem; the keys and secret are this
    process's (settings_test put them in os.environ), so workers read the rows this process wrote.
    """
    from django.db import connection

    db = connection.settings_dict
    user = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    database_url = f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backend.settings",
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "REDIS_URL": "",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "LOG_LEVEL": "WARNING",
    }


@contextmanager
def celery_workers(
    workers: list[tuple[str, int]], *, broker_url: str, smtp_port: int, pool: str = "prefork"
) -> Iterator[None]:
    """`celery -A backend worker` processes, one per (queues, concurrency); ready when this yields."""
    environment = worker_environment(broker_url=broker_url, smtp_port=smtp_port)
    processes: list[tuple[subprocess.Popen[bytes], Any]] = []
    try:
        for number, (queues, concurrency) in enumerate(workers):
            log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in the finally below)
            command = [sys.executable, "-m", "celery", "-A", "backend", "worker", "-Q", queues, "-c", str(concurrency)]
            command += ["--pool", pool, "-n", f"bench{number}-{os.getpid()}@127.0.0.1", "-l", "WARNING"]
            command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
            process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
            processes.append((process, log))
        _wait_until_consuming(broker_url, {q for queues, _ in workers for q in queues.split(",")}, processes)
        yield
    finally:
        for process, _ in processes:
            process.terminate()
        for process, log in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


def _wait_until_consuming(broker_url: str, queues: set[str], processes: list[tuple[Any, Any]]) -> None:
    """An empty delivery task on each queue; a queue is served once its task has been taken."""
    import redis

    from emails.tasks import deliver_bulk, deliver_transactional

    client = redis.Redis.from_url(broker_url)
    for queue in queues:
        (deliver_bulk if queue == "bulk" else deliver_transactional).delay([])
    deadline = time.monotonic() + 60
    while any(client.llen(queue) for queue in queues):
        dead = [process for process, _ in processes if process.poll() is not None]
        if dead or time.monotonic() > deadline:
            for process, log in processes:
                log.seek(0)
                print(f"worker {process.pid} said:\n{log.read().decode(errors='replace')[-3000:]}", file=sys.stderr)
            raise RuntimeError("the Celery workers did not start consuming")
        time.sleep(0.05)
