"""Helpers for the tests of the import commands: write a file, run a command, serve a directory."""

from __future__ import annotations

import functools
import http.server
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import AuditEvent

NOTHING_IMPORTED = "nothing was imported"
PROBLEMS_FOUND = r"problem\(s\) found; nothing was imported"


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def run(command: str, location: str | Path, *args: str) -> tuple[str, str]:
    """Runs the import `command` on `location`; returns what it wrote to stdout and to stderr."""
    out, err = io.StringIO(), io.StringIO()
    call_command(command, str(location), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(command: str, location: str | Path, *args: str, match: str = NOTHING_IMPORTED) -> str:
    """Runs the import `command`, which must refuse with `match`; returns what it wrote to stderr."""
    err = io.StringIO()
    with pytest.raises(CommandError, match=match):
        call_command(command, str(location), *args, stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def import_events() -> int:
    return AuditEvent.objects.filter(details__has_key="import").count()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serving(directory: Path) -> Iterator[str]:
    """`directory` over HTTP on a free loopback port; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
