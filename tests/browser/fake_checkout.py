"""The donations tests' stand-in for Stripe (tests/donations/stripe_server.py), with a page a browser can open.

Checkout Sessions it creates point at its own origin on 127.0.0.1 (`/c/pay/<id>`, a small HTML page),
where the real ones point at checkout.stripe.com: the browser follows the donate form's redirect there
and stays on loopback.
"""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.donations.stripe_server import FakeStripe, Recorded

CHECKOUT_PAGE = "/c/pay/"


class BrowsableStripe(FakeStripe):
    def _checkout_session(self, request: Recorded) -> dict[str, Any]:
        session = super()._checkout_session(request)
        session["url"] = f"{self.url}{CHECKOUT_PAGE}{session['id']}"
        return session


@contextmanager
def browsable_stripe() -> Iterator[BrowsableStripe]:
    fake = BrowsableStripe()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            split = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            params = dict(parse_qsl(body or split.query, keep_blank_values=True))
            recorded = Recorded(self.command, split.path, {k.lower(): v for k, v in self.headers.items()}, params)
            fake.requests.append(recorded)
            if self.command == "GET" and split.path.startswith(CHECKOUT_PAGE):
                session = split.path.removeprefix(CHECKOUT_PAGE)
                self._send(200, "text/html; charset=utf-8", _page(session).encode())
                return
            status, answer = fake.answer(recorded)
            self._send(status, "application/json", json.dumps(answer).encode())

        def _send(self, status: int, kind: str, raw: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        do_GET = do_POST = _handle

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def _page(session: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fake Checkout</title></head>'
        f"<body><main><h1>Fake Stripe Checkout</h1><p>Session {html.escape(session)}</p></main></body></html>"
    )
