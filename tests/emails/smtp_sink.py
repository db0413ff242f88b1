"""An SMTP server on a loopback port that keeps what it accepts, for tests and benches of real delivery."""

from __future__ import annotations

import asyncio
import random
import re
import socket
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

_MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Received:
    content: bytes
    at: float  # time.monotonic() when the server answered 250 to DATA
    message_id: str

    @classmethod
    def of(cls, content: bytes) -> Received:
        # A regex, not a parse: a bench counts thousands of these while they arrive.
        found = _MESSAGE_ID.search(content.split(b"\r\n\r\n", 1)[0])
        return cls(content=content, at=time.monotonic(), message_id=found.group(1).decode() if found else "")

    def parsed(self) -> EmailMessage:
        return message_from_bytes(self.content, policy=policy.default)


class SmtpSink:
    """Accepts every message unless told to refuse (`rcpt_reply`, `data_reply`, e.g. "451 try later").

    `delay` is a (low, high) range of seconds the server takes per message before it answers DATA,
    like a real relay that writes to disk; it waits without holding the GIL.
    """

    def __init__(
        self, *, delay: tuple[float, float] = (0.0, 0.0), on_message: Callable[[Received], None] | None = None
    ) -> None:
        self.delay = delay
        self.on_message = on_message
        self.rcpt_reply: str | None = None
        self.data_reply: str | None = None
        self.data_commands = 0  # every DATA the server saw, accepted or refused
        self.connections_used: set[Any] = set()  # the client ends (address, port) that sent DATA
        self.received: list[Received] = []
        self.arrived: dict[str, Received] = {}  # the latest copy by Message-ID
        self._controller = _LoopbackController(self)

    @property
    def port(self) -> int:
        return self._controller.port

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def messages(self) -> list[EmailMessage]:
        return [received.parsed() for received in list(self.received)]

    def message_ids(self) -> list[str]:
        return [received.message_id for received in list(self.received)]

    def wait_for(self, count: int, *, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return len(self.received) >= count

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.data_commands += 1
        self.connections_used.add(session.peer)
        if self.data_reply:
            return self.data_reply
        low, high = self.delay
        if high:
            await asyncio.sleep(random.uniform(low, high))
        received = Received.of(envelope.original_content or b"")
        self.received.append(received)
        self.arrived[received.message_id] = received
        if self.on_message is not None:
            self.on_message(received)
        return "250 Message accepted for delivery"


class _LoopbackController(Controller):
    """Listens on a port the OS picked on 127.0.0.1, bound before start: no race for a 'free' port."""

    def __init__(self, handler: SmtpSink) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        port: int = self._socket.getsockname()[1]
        super().__init__(handler, hostname="127.0.0.1", port=port)

    def _create_server(self) -> Awaitable[asyncio.AbstractServer]:
        return self.loop.create_server(self._factory_invoker, sock=self._socket)


@contextmanager
def running_sink(**options: Any) -> Iterator[SmtpSink]:
    sink = SmtpSink(**options)
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


def smtp_settings(settings: Any, sink: SmtpSink) -> None:
    """Points Django's own SMTP backend at the sink (pytest-django's `settings` fixture restores it)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
