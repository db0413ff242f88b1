"""Fixtures for readiness tests: loopback sockets that misbehave on purpose."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest


@pytest.fixture
def black_hole() -> Iterator[int]:
    """The port of a loopback server that accepts connections and never sends a byte."""
    listener = socket.create_server(("127.0.0.1", 0))
    # Short accept timeout so the thread notices the stop flag promptly.
    listener.settimeout(0.05)
    stop = threading.Event()
    held: list[socket.socket] = []

    def swallow() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(conn)  # kept open, never read or written: the peer waits forever

    thread = threading.Thread(target=swallow, name="black-hole", daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()
        # Closing the held sockets hands any still-waiting probe an EOF, so it ends now.
        for conn in held:
            conn.close()


@pytest.fixture
def closed_port() -> int:
    """A loopback port nobody listens on: connecting is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def probe_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("readyz-")]


@pytest.fixture(autouse=True)
def _no_probe_outlives_its_test() -> Iterator[None]:
    """Abandoned probe threads must not spill into the next test (or its database teardown)."""
    yield
    for thread in probe_threads():
        thread.join(timeout=5)
    assert probe_threads() == []
