"""A throwaway redis-server on a loopback port, Celery pointed at it, and workers consuming from it.

The shared Redis on 6379 is left alone: other test runs and people use it at the same time.
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import kombu.pools
import redis
from celery import signals
from celery.contrib.testing.worker import start_worker
from celery.worker import WorkController
from django.db import connections

from backend.celery import app


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


class ThrowawayRedis:
    """No persistence, bound to 127.0.0.1; stop() and start() again keep the port (an outage, then recovery)."""

    def __init__(self) -> None:
        self.port = free_port()
        self._dir = tempfile.mkdtemp(prefix="townhall-redis-")
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        executable = shutil.which("redis-server") or "redis-server"
        command = [executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--dir", self._dir, "--loglevel", "warning"]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and self._process.poll() is None:
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"redis-server did not come up on 127.0.0.1:{self.port}")

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self._dir, ignore_errors=True)


@contextmanager
def throwaway_redis() -> Iterator[ThrowawayRedis]:
    server = ThrowawayRedis()
    try:
        server.start()
        yield server
    finally:
        server.remove()


@contextmanager
def celery_on_broker(url: str) -> Iterator[Any]:
    """Tasks go to `url` instead of running eagerly; the test settings come back afterwards."""
    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    _forget_broker_connections()
    app.conf.update(broker_url=url, task_always_eager=False)
    try:
        yield app
    finally:
        _forget_broker_connections()
        app.conf.update(saved)


def _forget_broker_connections() -> None:
    """The app caches the pools of the broker it first talked to, and kombu keeps them by URL.

    Both must go: a pool closed but still registered fails later tests' (even eager) publishing
    with "Acquire on closed pool".
    """
    kombu.pools.reset()
    celery_app: Any = app
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app.amqp.queues._consume_from = None  # a worker's -Q selection, left on the app


@contextmanager
def worker_for(*queues: str) -> Iterator[WorkController]:
    """A real worker (solo pool) in a thread of this process, consuming `queues` from the current broker.

    A worker selects its queues on the app when it starts; the selection is read once, by its
    consumer, so a second worker started after this one is ready may consume other queues.
    """
    name = f"{'-'.join(queues)}-{uuid.uuid4().hex[:8]}@127.0.0.1"
    celery_app: Any = app
    with (
        _database_connections_closed_after(),
        _logging_kept(),
        start_worker(
            celery_app,
            pool="solo",
            perform_ping_check=False,
            shutdown_timeout=30,
            hostname=name,
            queues=list(queues),
            # The blocking loop: kombu's event loop (hub) is one per process, not one per worker.
            use_eventloop=False,
        ) as worker,
    ):
        consumer: Any = worker.consumer  # type: ignore[attr-defined]
        consumed = {queue.name for queue in consumer.task_consumer.queues}
        assert consumed == set(queues), f"the worker consumes {consumed}, not {set(queues)}"
        yield worker


@contextmanager
def _database_connections_closed_after() -> Iterator[None]:
    """The worker's thread keeps its database connection between tasks, as a worker process does.

    A process's connections close when it exits; a thread's would outlive the test and keep the
    test database from being dropped, so they are closed once their thread has ended (a worker
    started around this one, still running, keeps its own).
    """
    kept: dict[int, tuple[threading.Thread, Any]] = {}

    def note(**_kwargs: Any) -> None:
        thread = threading.current_thread()
        if thread is not threading.main_thread():
            for connection in connections.all(initialized_only=True):
                kept[id(connection)] = (thread, connection)

    signals.task_postrun.connect(note, weak=False)
    try:
        yield
    finally:
        signals.task_postrun.disconnect(note)
        for thread, connection in kept.values():
            if not thread.is_alive():
                connection.inc_thread_sharing()
                connection.close()


@contextmanager
def _logging_kept() -> Iterator[None]:
    """start_worker sets up Celery's logging (the root logger at its ERROR level): later tests that
    read log records (caplog) would see none. The root logger is put back as it was."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        yield
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers
