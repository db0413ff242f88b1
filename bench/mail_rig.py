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
from collections.abc import Callable, Iterator
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
    # Not serialized: nothing here rolls back to the migrated state, and it costs a read of every table.
    old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
    try:
        yield
    finally:
        connections.close_all()
        teardown_databases(old_config, verbosity=0)


def _serve_sink(shared: dict[str, Any], stop: Event, delay: tuple[float, float], nice: int) -> None:
    from tests.emails.smtp_sink import Received, SmtpSink

    if nice:
        try:
            os.nice(nice)
        except PermissionError:  # only root may raise a priority; the sink then shares the CPU as it is
            shared["nice"].value = 0

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


_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU the processes have used so far (Linux /proc; a process gone counts 0)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICKS


def children_of(pids: list[int]) -> list[int]:
    """The processes and all their descendants (a Celery worker and its pool processes)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
            except (OSError, ValueError):
                continue
    found, frontier = set(pids), set(pids)
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return sorted(found)


def processes_matching(*fragments: str) -> list[int]:
    """Processes whose command line holds every fragment (e.g. the throwaway redis-server and its port)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if all(fragment in command for fragment in fragments):
                found.append(int(entry.name))
    return found


class CpuMeter:
    """CPU time used by each role's processes between start() and stop(), whatever else the machine runs.

    `roles` is asked for the processes at both ends: one that appears meanwhile (a database
    connection opened during the run) counts from zero, one that is gone by the end is not counted.
    """

    def __init__(self, roles: Callable[[], dict[str, list[int]]]) -> None:
        self._roles = roles
        self._started: dict[str, dict[int, float]] = {}

    def _read(self) -> dict[str, dict[int, float]]:
        return {role: {pid: cpu_seconds([pid]) for pid in pids} for role, pids in self._roles().items()}

    def start(self) -> None:
        self._started = self._read()

    def stop(self) -> dict[str, float]:
        used = {}
        for role, now in self._read().items():
            before = self._started.get(role, {})
            used[role] = sum(seconds - before.get(pid, 0.0) for pid, seconds in now.items())
        return used


class SinkProcess:
    """An aiosmtpd sink in a process of its own, so it does not compete for this process's GIL.

    It counts arrivals and repeated Message-IDs, and notes when one watched Message-ID arrives and
    how many messages came before it. Times are its time.monotonic() (system-wide on Linux).
    """

    def __init__(self, *, delay_seconds: tuple[float, float] = (0.0, 0.0), nice: int = 0) -> None:
        context = multiprocessing.get_context("spawn")
        self._shared: dict[str, Any] = {
            "port": context.Value("i", 0),
            "count": context.Value("q", 0),
            "duplicates": context.Value("q", 0),
            "last_at": context.Value("d", 0.0),
            "watched": context.Array("c", 255),
            "watched_position": context.Value("q", -1),
            "watched_at": context.Value("d", 0.0),
            "nice": context.Value("i", nice),
        }
        self._stop = context.Event()
        args = (self._shared, self._stop, delay_seconds, nice)
        self._process = context.Process(target=_serve_sink, args=args, name="smtp-sink", daemon=True)

    @property
    def port(self) -> int:
        return int(self._shared["port"].value)

    @property
    def nice(self) -> int:
        """How much the sink's priority was raised (negative) or lowered; 0 if it could not be."""
        return int(self._shared["nice"].value)

    @property
    def pid(self) -> int:
        return int(self._process.pid or 0)

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
def sink_process(*, delay_seconds: tuple[float, float] = (0.0, 0.0), nice: int = 0) -> Iterator[SinkProcess]:
    """`nice` below 0 raises the sink's priority (root only): a mail server is another machine, not a
    process competing for this one's cores with the code under test and whatever else runs here."""
    sink = SinkProcess(delay_seconds=delay_seconds, nice=nice)
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
) -> Iterator[list[int]]:
    """`celery -A backend worker` processes, one per (queues, concurrency); ready when this yields their pids."""
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
        yield [process.pid for process, _ in processes]
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
