"""A stand-in for api.stripe.com on 127.0.0.1: answers the calls Townhall makes and records each request.

The real stripe library is pointed at it (STRIPE_API_BASE), so requests are built, signed with
our key, versioned and retried exactly as in production; only the answers are canned.
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    params: dict[str, str]  # form fields as Stripe's encoding names them: metadata[townhall_campaign]

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("idempotency-key")


@dataclass
class FakeStripe:
    url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    # PaymentIntent id → the invoice it paid, for GET /v1/invoice_payments.
    invoice_payments: dict[str, str] = field(default_factory=dict)
    # When set, every call is answered with this (status, error type), as Stripe answers errors.
    failure: tuple[int, str] | None = None
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    _sessions_by_key: dict[str, dict[str, Any]] = field(default_factory=dict)

    def calls(self, path: str) -> list[Recorded]:
        return [request for request in self.requests if request.path == path]

    def answer(self, request: Recorded) -> tuple[int, dict[str, Any]]:
        if self.failure is not None:
            status, kind = self.failure
            return status, {"error": {"type": kind, "code": "test_failure", "message": "Canned failure."}}
        if request.method == "POST" and request.path == "/v1/checkout/sessions":
            return 200, self._checkout_session(request)
        if request.method == "POST" and request.path == "/v1/billing_portal/sessions":
            number = next(self._ids)
            return 200, {
                "id": f"bps_test_{number}",
                "object": "billing_portal.session",
                "customer": request.params.get("customer"),
                "return_url": request.params.get("return_url"),
                "url": f"https://billing.stripe.com/p/session/test_{number}",
            }
        if request.method == "GET" and request.path == "/v1/invoice_payments":
            return 200, self._invoice_payments(request)
        return 404, {"error": {"type": "invalid_request_error", "message": f"Unknown: {request.path}"}}

    def _checkout_session(self, request: Recorded) -> dict[str, Any]:
        # Stripe's idempotency: the same key answers the first session again.
        key = request.idempotency_key or ""
        if key in self._sessions_by_key:
            return self._sessions_by_key[key]
        number = next(self._ids)
        session = {
            "id": f"cs_test_{number}",
            "object": "checkout.session",
            "mode": request.params.get("mode"),
            "status": "open",
            "url": f"https://checkout.stripe.com/c/pay/cs_test_{number}",
        }
        self._sessions_by_key[key] = session
        return session

    def _invoice_payments(self, request: Recorded) -> dict[str, Any]:
        payment_intent = request.params.get("payment[payment_intent]", "")
        invoice = self.invoice_payments.get(payment_intent)
        data = []
        if invoice:
            data.append(
                {
                    "id": f"inpay_{payment_intent}",
                    "object": "invoice_payment",
                    "invoice": invoice,
                    "is_default": True,
                    "payment": {"type": "payment_intent", "payment_intent": payment_intent},
                    "status": "paid",
                }
            )
        return {"object": "list", "data": data, "has_more": False, "url": "/v1/invoice_payments"}


def serve() -> tuple[FakeStripe, ThreadingHTTPServer]:
    fake = FakeStripe()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            split = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            params = dict(parse_qsl(body or split.query, keep_blank_values=True))
            recorded = Recorded(self.command, split.path, {k.lower(): v for k, v in self.headers.items()}, params)
            fake.requests.append(recorded)
            status, answer = fake.answer(recorded)
            raw = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.send_header("Request-Id", f"req_test_{len(fake.requests)}")
            self.end_headers()
            self.wfile.write(raw)

        do_GET = do_POST = _handle

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake, server
