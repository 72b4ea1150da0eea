"""A small fake of Stripe's HTTP API for tests, on 127.0.0.1 in a thread.

Point the real `stripe` library at it (settings.STRIPE_API_BASE = server.url)
and it answers the calls we make, checking the parameters as Stripe would:

- POST /v1/checkout/sessions           create (payment or subscription mode)
- GET  /v1/checkout/sessions/{id}      retrieve
- GET  /pay/{id}                       a fake hosted Checkout page with a Pay button
- POST /pay/{id}                       "pays": signs and POSTs checkout.session.completed
                                       (and customer.subscription.created in subscription
                                       mode) to `webhook_url`, then redirects to success_url

Webhook events are built and signed like Stripe's (`event`, `sign`), with the
test secret, so the code under test verifies them for real.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import re
import secrets
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlparse

TEST_SECRET_KEY = "sk_test_fake_0123456789"
TEST_WEBHOOK_SECRET = "whsec_test_fake_0123456789"
PRICE_BASIC = "price_basic_test"
PRICE_PROFESSIONAL = "price_professional_test"

CURRENCIES = set(
    "usd cad mxn eur gbp chf sek nok dkk pln czk huf ron bgn aud nzd jpy sgd hkd krw cny inr "
    "thb myr brl aed zar ils".split()
)


def sign(
    payload: str | bytes, secret: str = TEST_WEBHOOK_SECRET, timestamp: int | None = None
) -> str:
    """The Stripe-Signature header Stripe would send for this payload."""
    if isinstance(payload, bytes):
        payload = payload.decode()
    ts = int(time.time()) if timestamp is None else int(timestamp)
    mac = hmac.new(secret.encode(), f"{ts}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={ts},v1={mac}"


def event(type_: str, obj: dict, *, event_id: str | None = None, created: int | None = None) -> str:
    """A webhook event body, shaped like Stripe's (JSON text, ready to sign)."""
    return json.dumps(
        {
            "id": event_id or "evt_" + secrets.token_hex(12),
            "object": "event",
            "api_version": "2024-06-20",
            "created": int(time.time()) if created is None else created,
            "type": type_,
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "data": {"object": obj},
        }
    )


def nested(pairs: list[tuple[str, str]]) -> dict:
    """Decode Stripe's form encoding (a[b][0][c]=v) into nested dicts and lists."""
    root: dict = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node: Any = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {})
    return _lists(root)


def _lists(node: Any) -> Any:
    if isinstance(node, dict):
        node = {k: _lists(v) for k, v in node.items()}
        if node and all(k.isdigit() for k in node):
            return [node[k] for k in sorted(node, key=int)]
    return node


class ParamError(Exception):
    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param


def _require(params: dict, key: str) -> Any:
    if key not in params or params[key] in ("", None):
        raise ParamError(key, f"Missing required param: {key}.")
    return params[key]


def _url(params: dict, key: str) -> str:
    value = _require(params, key)
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ParamError(key, f"Not a valid URL: {key}")
    return value


@dataclass
class FakeStripe:
    secret_key: str = TEST_SECRET_KEY
    webhook_secret: str = TEST_WEBHOOK_SECRET
    webhook_url: str = ""
    prices: tuple[str, ...] = (PRICE_BASIC, PRICE_PROFESSIONAL)
    sessions: dict[str, dict] = field(default_factory=dict)
    requests: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    deliveries: list[int] = field(default_factory=list)
    fail_next: int = 0  # answer this many API calls with a 500, as an outage would
    _server: ThreadingHTTPServer | None = None
    _idempotency: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeStripe:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet test output
                pass

            def do_GET(self) -> None:  # noqa: N802
                fake._handle(self, "GET")

            def do_POST(self) -> None:  # noqa: N802
                fake._handle(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # --- HTTP plumbing ---------------------------------------------------------------------

    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        path = urlparse(h.path).path
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length).decode() if length else ""
        try:
            if path.startswith("/pay/"):
                self._pay_page(h, method, path.removeprefix("/pay/"))
                return
            if h.headers.get("Authorization") != f"Bearer {self.secret_key}":
                return self._json(
                    h,
                    401,
                    {
                        "error": {
                            "type": "invalid_request_error",
                            "message": "Invalid API Key provided.",
                        }
                    },
                )
            if self.fail_next > 0:
                self.fail_next -= 1
                return self._json(
                    h, 500, {"error": {"type": "api_error", "message": "Fake outage."}}
                )
            params = nested(parse_qsl(body, keep_blank_values=True))
            self.requests.append({"method": method, "path": path, "params": params})
            if method == "POST" and path == "/v1/checkout/sessions":
                key = h.headers.get("Idempotency-Key") or ""
                if key and key in self._idempotency:
                    return self._json(h, 200, self.sessions[self._idempotency[key]])
                session = self._create_session(params)
                if key:
                    self._idempotency[key] = session["id"]
                return self._json(h, 200, session)
            match = re.fullmatch(r"/v1/checkout/sessions/(cs_[A-Za-z0-9_]+)", path)
            if method == "GET" and match and match.group(1) in self.sessions:
                return self._json(h, 200, self.sessions[match.group(1)])
            return self._json(
                h,
                404,
                {
                    "error": {
                        "type": "invalid_request_error",
                        "message": f"Unrecognized request URL ({method}: {path}).",
                    }
                },
            )
        except ParamError as exc:
            self.errors.append(str(exc))
            self._json(
                h,
                400,
                {
                    "error": {
                        "type": "invalid_request_error",
                        "message": str(exc),
                        "param": exc.param,
                    }
                },
            )

    def _json(self, h: BaseHTTPRequestHandler, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.send_header("Request-Id", "req_" + secrets.token_hex(6))
        h.end_headers()
        h.wfile.write(data)

    # --- Checkout Sessions --------------------------------------------------------------------

    def _create_session(self, p: dict) -> dict:
        mode = _require(p, "mode")
        success_url, cancel_url = _url(p, "success_url"), _url(p, "cancel_url")
        items = _require(p, "line_items")
        if not isinstance(items, list) or len(items) != 1:
            raise ParamError("line_items", "Exactly one line item is expected.")
        item = items[0]
        if item.get("quantity") != "1":
            raise ParamError("line_items[0][quantity]", "Quantity must be 1.")
        session_id = "cs_test_" + secrets.token_hex(12)
        session: dict[str, Any] = {
            "id": session_id,
            "object": "checkout.session",
            "mode": mode,
            "status": "open",
            "payment_status": "unpaid",
            "url": f"{self.url}/pay/{session_id}",
            "success_url": success_url,
            "cancel_url": cancel_url,
            "client_reference_id": _require(p, "client_reference_id"),
            "metadata": p.get("metadata") or {},
            "customer": p.get("customer"),
            "customer_email": p.get("customer_email"),
            "payment_intent": None,
            "subscription": None,
            "livemode": False,
        }
        if mode == "payment":
            data = item.get("price_data") or {}
            currency = _require(data, "currency")
            if currency not in CURRENCIES:
                raise ParamError(
                    "line_items[0][price_data][currency]", f"Invalid currency: {currency}"
                )
            amount = _require(data, "unit_amount")
            if not amount.isdigit() or int(amount) < 1:
                raise ParamError("line_items[0][price_data][unit_amount]", "Invalid integer.")
            _require(data.get("product_data") or {}, "name")
            if (p.get("metadata") or {}).get("purchase_id") != p["client_reference_id"]:
                raise ParamError(
                    "metadata[purchase_id]", "Test expects our purchase id in metadata."
                )
            session.update(amount_total=int(amount), currency=currency)
        elif mode == "subscription":
            price = _require(item, "price")
            if price not in self.prices:
                raise ParamError("line_items[0][price]", f"No such price: '{price}'")
            session.update(amount_total=None, currency="eur", price=price)
        else:
            raise ParamError("mode", f"Invalid mode: {mode}")
        self.sessions[session_id] = session
        return session

    # --- The hosted page and the webhook it triggers -------------------------------------------------

    def complete(self, session_id: str) -> list[int]:
        """Mark a session paid and deliver its signed events; returns the HTTP statuses."""
        session = self.sessions[session_id]
        session.update(status="complete", payment_status="paid")
        events = []
        if session["mode"] == "payment":
            session["payment_intent"] = "pi_test_" + secrets.token_hex(10)
            events.append(event("checkout.session.completed", session))
        else:
            customer = session.get("customer") or "cus_test_" + secrets.token_hex(8)
            subscription = {
                "id": "sub_test_" + secrets.token_hex(8),
                "object": "subscription",
                "customer": customer,
                "status": "active",
                "metadata": session["metadata"],
                "items": {"object": "list", "data": [{"price": {"id": session["price"]}}]},
            }
            session.update(customer=customer, subscription=subscription["id"])
            events.append(event("checkout.session.completed", session))
            events.append(event("customer.subscription.created", subscription))
        return [self.deliver(body) for body in events]

    def deliver(self, body: str, *, signature: str | None = None) -> int:
        if not self.webhook_url:
            return 0
        request = urllib.request.Request(
            self.webhook_url,
            data=body.encode(),
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Stripe-Signature": signature or sign(body, self.webhook_secret),
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        self.deliveries.append(status)
        return status

    def _pay_page(self, h: BaseHTTPRequestHandler, method: str, session_id: str) -> None:
        session = self.sessions.get(session_id)
        if session is None:
            h.send_response(404)
            h.end_headers()
            return
        if method == "POST":
            self.complete(session_id)
            target = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
            h.send_response(303)
            h.send_header("Location", target)
            h.end_headers()
            return
        amount = session.get("amount_total")
        page = (
            "<!doctype html><title>Fake Stripe Checkout</title>"
            f"<h1>Fake Checkout</h1><p id='amount'>{html.escape(str(amount))} "
            f"{html.escape(str(session.get('currency')))}</p>"
            f"<form method='post' action='/pay/{session_id}'><button id='pay'>Pay</button></form>"
            f"<a id='cancel' href='{html.escape(session['cancel_url'])}'>Cancel</a>"
        ).encode()
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(page)))
        h.end_headers()
        h.wfile.write(page)
