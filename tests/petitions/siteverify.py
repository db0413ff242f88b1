"""A captcha provider's siteverify endpoint on a loopback port, answering as each test tells it to."""

from __future__ import annotations

import contextlib
import http.server
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs


@dataclass
class FakeSiteverify:
    """Answers `verdict` as JSON with `status`, after `delay` seconds; `body` replaces the JSON when set."""

    verdict: dict[str, Any] = field(default_factory=lambda: {"success": True})
    status: int = 200
    delay: float = 0.0
    body: bytes | None = None
    received: list[dict[str, str]] = field(default_factory=list)
    url: str = ""

    def handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = parse_qs(self.rfile.read(length).decode())
                fake.received.append({name: values[0] for name, values in form.items()})
                time.sleep(fake.delay)
                payload = fake.body if fake.body is not None else json.dumps(fake.verdict).encode()
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client gave up waiting (the timeout test)
                    self.wfile.write(payload)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


@contextmanager
def siteverify() -> Iterator[FakeSiteverify]:
    fake = FakeSiteverify()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/siteverify"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def closed_port_url() -> str:
    """A loopback URL nobody listens on: a provider that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/siteverify"
