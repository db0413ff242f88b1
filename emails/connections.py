"""A mail connection kept open between deliveries, one per worker process (and thread).

A transactional message travels alone, one task each: opening a connection for it (TCP, EHLO and,
to a provider's relay, TLS) costs more than the message. So delivery borrows the connection the
last delivery left and gives it back when done. Before reuse a kept SMTP connection is checked with
NOOP, and one unused for EMAIL_CONNECTION_IDLE_SECONDS is closed instead, so a server that dropped
it never costs a message. A connection that failed is discarded, never kept.
"""

from __future__ import annotations

import smtplib
import threading
import time
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend

_kept = threading.local()


@dataclass(frozen=True)
class _Kept:
    backend: BaseEmailBackend
    configuration: tuple[Any, ...]
    last_used: float


def borrow() -> BaseEmailBackend:
    """An open connection: the kept one if it is still good for the current settings, else a new one."""
    kept: _Kept | None = getattr(_kept, "connection", None)
    _kept.connection = None
    if kept is not None:
        fresh = time.monotonic() - kept.last_used < settings.EMAIL_CONNECTION_IDLE_SECONDS
        if fresh and kept.configuration == _configuration() and _answers(kept.backend):
            return kept.backend
        discard(kept.backend)
    backend: BaseEmailBackend = get_connection()
    backend.open()
    return backend


def give_back(backend: BaseEmailBackend) -> None:
    """Keeps the connection for the next delivery in this process (and thread)."""
    previous: _Kept | None = getattr(_kept, "connection", None)
    if previous is not None and previous.backend is not backend:
        discard(previous.backend)
    _kept.connection = _Kept(backend, _configuration(), time.monotonic())


def discard(backend: BaseEmailBackend) -> None:
    with suppress(Exception):  # closing a connection that already failed may fail again
        backend.close()


def _configuration() -> tuple[Any, ...]:
    # A kept connection serves only the settings it was opened with (tests and operators change them).
    names = ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_USE_TLS", "EMAIL_USE_SSL")
    return tuple(getattr(settings, name, None) for name in names)


def _answers(backend: BaseEmailBackend) -> bool:
    smtp = getattr(backend, "connection", None)
    if not isinstance(smtp, smtplib.SMTP):
        return True  # not SMTP (a provider's API, files, memory): nothing held open to go stale
    try:
        code, _ = smtp.noop()
    except (smtplib.SMTPException, OSError):
        return False
    return code == 250
