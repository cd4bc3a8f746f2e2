"""A small fake of the Stripe API for tests: the real Stripe SDK talks to it over HTTP on
127.0.0.1, so no test touches the network. It covers the endpoints the shop calls:

    POST /v1/payment_intents                (create; honours Idempotency-Key)
    GET  /v1/payment_intents/<id>           (retrieve)
    POST /v1/payment_intents/<id>/confirm   (pm_card_visa or none succeeds,
                                             pm_card_chargeDeclined fails with a card error;
                                             a succeeded or canceled intent refuses)
    POST /v1/payment_intents/<id>/cancel    (a succeeded or canceled intent refuses)
    POST /v1/refunds                        (full or partial; honours Idempotency-Key)
    GET  /v1/refunds/<id>                   (retrieve)

Every answer carries CORS headers (and OPTIONS is answered), so a browser page can confirm
an intent against it the way Stripe.js would.

Faults can be injected (`fail_next`: an HTTP status, "timeout" = no answer and nothing done,
"lost" = done but the answer never arrives), `on_request` runs a test's callback before a
request is handled, and webhook events are built and signed with Stripe's real scheme
(`Stripe-Signature: t=...,v1=HMAC-SHA256(secret, "t.payload")`) and delivered to a URL, as
Stripe would.
"""

import hashlib
import hmac
import json
import secrets
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlparse

import pytest


def _new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def parse_form(body: str) -> dict:
    """Stripe's form encoding (`metadata[order]=1`) into nested dicts."""
    result: dict = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        if "[" in key:
            outer, inner = key.split("[", 1)
            result.setdefault(outer, {})[inner.rstrip("]")] = value
        else:
            result[key] = value
    return result


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class FakeStripe:
    def __init__(self):
        self.intents: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.requests: list[tuple[str, str, dict]] = []
        # The Idempotency-Key header of each request, in the order they came (None: none).
        self.idempotency_keys: list[str | None] = []
        self._idempotent: dict[str, tuple[int, dict]] = {}
        self._faults: list[str | int] = []
        self._lock = threading.Lock()
        self.webhook_url: str | None = None
        self.webhook_secret: str | None = None
        # Called as on_request(method, path, params) in the server's thread before handling.
        self.on_request = None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeStripe":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- test controls --------------------------------------------------------------

    def fail_next(self, fault: str | int, times: int = 1) -> None:
        """Make the next requests fail: an HTTP status (500, 503...), "timeout" (no answer,
        nothing done) or "lost" (the request is carried out, the answer never arrives)."""
        self._faults.extend([fault] * times)

    def calls(self, method: str, prefix: str) -> list[dict]:
        return [p for m, path, p in self.requests if m == method and path.startswith(prefix)]

    def event(self, type_: str, obj: dict, event_id: str | None = None) -> dict:
        return {
            "id": event_id or _new_id("evt"),
            "object": "event",
            "api_version": "2025-01-01",
            "created": int(time.time()),
            "livemode": False,
            "type": type_,
            "data": {"object": obj},
        }

    def signed(self, event: dict, secret: str | None = None, timestamp: int | None = None):
        payload = json.dumps(event).encode()
        return payload, sign(payload, secret or self.webhook_secret or "", timestamp)

    def deliver(self, event: dict, url: str | None = None, secret: str | None = None) -> int:
        """POST a signed event to the shop's webhook endpoint; returns the HTTP status."""
        payload, header = self.signed(event, secret)
        request = urllib.request.Request(
            url or self.webhook_url,
            data=payload,
            method="POST",
            headers={"Content-Type": "application/json", "Stripe-Signature": header},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def succeed(self, intent_id: str) -> dict:
        """Mark an intent paid, as a customer confirming it would."""
        with self._lock:
            intent = self.intents[intent_id]
            intent["status"] = "succeeded"
            intent["amount_received"] = intent["amount"]
            intent["latest_charge"] = intent["latest_charge"] or _new_id("ch")
            return dict(intent)

    def refund_directly(self, intent_id: str, amount: int | None = None) -> dict:
        """Refund at "Stripe" without the shop, as from Stripe's dashboard."""
        params = {"payment_intent": intent_id}
        if amount is not None:
            params["amount"] = str(amount)
        with self._lock:
            status, refund = self._refund(params)
        assert status == 200, refund
        return refund

    def charge_for(self, intent_id: str) -> dict:
        intent = self.intents[intent_id]
        refunded = sum(
            r["amount"] for r in self.refunds.values() if r["payment_intent"] == intent_id
        )
        return {
            "id": intent["latest_charge"],
            "object": "charge",
            "amount": intent["amount"],
            "amount_refunded": refunded,
            "currency": intent["currency"],
            "payment_intent": intent_id,
            "refunded": refunded >= intent["amount"],
            "metadata": intent["metadata"],
        }

    # -- HTTP ------------------------------------------------------------------------

    def _handle(self, method: str, path: str, params: dict, headers) -> tuple[int, dict]:
        key = headers.get("Idempotency-Key")
        if method == "POST" and key and key in self._idempotent:
            return self._idempotent[key]
        status, body = self._route(method, path, params)
        if method == "POST" and key and status < 500:
            self._idempotent[key] = (status, body)
        return status, body

    def _route(self, method: str, path: str, params: dict) -> tuple[int, dict]:
        parts = [p for p in path.split("/") if p][1:]  # drop "v1"
        with self._lock:
            if parts == ["payment_intents"] and method == "POST":
                return 200, self._create_intent(params)
            if len(parts) >= 2 and parts[0] == "payment_intents":
                intent = self.intents.get(parts[1])
                if intent is None:
                    return 404, _error(
                        "invalid_request_error",
                        "resource_missing",
                        f"No such payment_intent: '{parts[1]}'",
                    )
                if len(parts) == 2 and method == "GET":
                    return 200, intent
                if parts[2:] == ["confirm"]:
                    return self._confirm(intent, params)
                if parts[2:] == ["cancel"]:
                    return self._cancel(intent)
            if parts == ["refunds"] and method == "POST":
                return self._refund(params)
            if len(parts) == 2 and parts[0] == "refunds" and method == "GET":
                refund = self.refunds.get(parts[1])
                if refund is not None:
                    return 200, refund
        return 404, _error("invalid_request_error", "resource_missing", f"No route {path}")

    def _create_intent(self, params: dict) -> dict:
        intent_id = _new_id("pi")
        intent = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": int(params["amount"]),
            "amount_received": 0,
            "currency": params["currency"].lower(),
            "status": "requires_payment_method",
            "metadata": params.get("metadata", {}),
            "client_secret": f"{intent_id}_secret_{secrets.token_hex(8)}",
            "latest_charge": None,
            "last_payment_error": None,
            "created": int(time.time()),
            "livemode": False,
        }
        self.intents[intent_id] = intent
        return intent

    def _confirm(self, intent: dict, params: dict) -> tuple[int, dict]:
        if intent["status"] in ("succeeded", "canceled"):
            return 400, _unexpected_state(intent)
        if params.get("payment_method") == "pm_card_chargeDeclined":
            intent["last_payment_error"] = {"code": "card_declined", "type": "card_error"}
            return 402, _error("card_error", "card_declined", "Your card was declined.")
        intent.update(
            status="succeeded", amount_received=intent["amount"], latest_charge=_new_id("ch")
        )
        return 200, intent

    def _cancel(self, intent: dict) -> tuple[int, dict]:
        if intent["status"] in ("succeeded", "canceled"):
            return 400, _unexpected_state(intent)
        intent["status"] = "canceled"
        return 200, intent

    def _refund(self, params: dict) -> tuple[int, dict]:
        intent = self.intents.get(params.get("payment_intent", ""))
        if intent is None or intent["status"] != "succeeded":
            return 400, _error(
                "invalid_request_error",
                "charge_not_refundable",
                "This PaymentIntent has no successful charge to refund.",
            )
        already = sum(
            r["amount"] for r in self.refunds.values() if r["payment_intent"] == intent["id"]
        )
        amount = int(params.get("amount", intent["amount"] - already))
        if amount <= 0 or already + amount > intent["amount"]:
            return 400, _error(
                "invalid_request_error",
                "amount_too_large",
                "Refund amount is greater than the unrefunded amount.",
            )
        refund = {
            "id": _new_id("re"),
            "object": "refund",
            "amount": amount,
            "currency": intent["currency"],
            "payment_intent": intent["id"],
            "charge": intent["latest_charge"],
            "status": "succeeded",
            "metadata": params.get("metadata", {}),
        }
        self.refunds[refund["id"]] = refund
        return 200, refund

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def _serve(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                parsed = urlparse(self.path)
                params = parse_form(body or parsed.query)
                fake.requests.append((method, parsed.path, params))
                fake.idempotency_keys.append(self.headers.get("Idempotency-Key"))
                if fake.on_request is not None:
                    fake.on_request(method, parsed.path, params)
                fault = fake._faults.pop(0) if fake._faults else None
                if fault == "timeout":
                    time.sleep(3)
                    return
                if fault == "lost":
                    fake._handle(method, parsed.path, params, self.headers)
                    time.sleep(3)
                    return
                if isinstance(fault, int):
                    status, payload = fault, _error("api_error", None, "Fake outage")
                else:
                    status, payload = fake._handle(method, parsed.path, params, self.headers)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Access-Control-Allow-Headers", "*")
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

            def do_OPTIONS(self):
                self.send_response(204)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Access-Control-Allow-Headers", "*")
                self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                self.end_headers()

        return Handler


def _error(type_: str, code: str | None, message: str) -> dict:
    return {"error": {"type": type_, "code": code, "message": message}}


def _unexpected_state(intent: dict) -> dict:
    return _error(
        "invalid_request_error",
        "payment_intent_unexpected_state",
        f"This PaymentIntent's status is {intent['status']}.",
    )


@pytest.fixture
def fake_stripe(settings):
    """A running fake Stripe, with the shop's settings pointed at it."""
    fake = FakeStripe().start()
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = fake.webhook_secret = "whsec_test_" + secrets.token_hex(8)
    settings.STRIPE_API_BASE = fake.url
    settings.STRIPE_TIMEOUT_SECONDS = 1
    yield fake
    fake.stop()
