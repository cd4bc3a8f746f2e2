"""Shoppers for benchmarks that walk the shop's forms over real HTTP: a browser (one per
thread, its own cookies for the session and CSRF, redirects followed, every request timed)
and `buy_one`, a guest's whole journey from a product page to a paid order with the dummy
gateway. Standard library only, and only ever to 127.0.0.1 (bench.harness.load)."""

import html
import http.client
import http.cookies
import re
import time
import urllib.parse
from dataclasses import dataclass, field

from bench.harness import load

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MAX_REDIRECTS = 5
PAID, SOLD_OUT, ERROR = "paid", "sold out", "error"
# A guest's details at checkout: an address in Hà Nội, where the demo zones ship.
ADDRESS = {
    "full_name": "Nguyễn Thị Mai", "line1": "12 Phố Hàng Đào", "city": "Hoàn Kiếm",
    "region": "Hà Nội", "postal_code": "100000", "country": "VN", "phone": "0912345678",
}  # fmt: skip
SHIPPING_CHOICE = re.compile(r'name="shipping_method" value="(\d+)"')
# The shop's paths (shop.views.urls), written out: this module runs without Django.
CART, CART_ADD = "/cart/", "/cart/add/"
CHECKOUT, REVIEW, DUMMY_PAY = "/checkout/", "/checkout/review/", "/pay/dummy/"


@dataclass(frozen=True)
class Page:
    status: int
    path: str
    body: str
    # The redirects followed to get here, as (status, Location) pairs.
    redirects: tuple[tuple[int, str], ...] = ()

    def csrf_token(self) -> str | None:
        found = CSRF_FIELD.search(self.body)
        return html.unescape(found.group(1)) if found else None


@dataclass
class Browser:
    """Cookies kept per browser; gunicorn's sync workers close every connection, so each
    request opens its own (as a client behind a proxy would see no difference)."""

    base: str
    timeout: float = 120.0
    cookies: dict[str, str] = field(default_factory=dict)
    requests: int = 0
    # Seconds each request took, in order.
    timings: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.host, self.port, _path = load.loopback_parts(self.base)

    def get(self, path: str) -> Page:
        return self._follow("GET", path, None)

    def post(self, path: str, data: dict[str, str]) -> Page:
        return self._follow("POST", path, urllib.parse.urlencode(data))

    def _follow(self, method: str, path: str, body: str | None) -> Page:
        redirects: list[tuple[int, str]] = []
        status, location, text = self._request(method, path, body)
        while status in (301, 302, 303) and location and len(redirects) < MAX_REDIRECTS:
            redirects.append((status, location))
            path = urllib.parse.urlsplit(location)._replace(scheme="", netloc="").geturl()
            status, location, text = self._request("GET", path, None)
        return Page(status, path, text, tuple(redirects))

    def _request(self, method: str, path: str, body: str | None) -> tuple[int, str, str]:
        headers = {"Connection": "close", "Accept-Language": "en"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                self._keep(header)
            return response.status, response.headers.get("Location", ""), text
        finally:
            conn.close()
            self.requests += 1
            self.timings.append(time.monotonic() - started)

    def _keep(self, header: str) -> None:
        jar = http.cookies.SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            # Django deletes a cookie by sending it empty with max-age 0.
            if morsel["max-age"] == "0" or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value


@dataclass(frozen=True)
class Outcome:
    answer: str  # PAID, SOLD_OUT or ERROR
    seconds: float
    requests: int
    item: str
    detail: str = ""


def buy_one(base: str, path: str, *, variant_id: int, number: int, label: str) -> Outcome:
    """A guest buys one unit of `variant_id` from the product page at `path`: "Add to cart"
    with the page's CSRF token, the checkout details, the first shipping method offered,
    "Place order and pay", the dummy gateway's "Pay". Answers PAID when the order page thanks
    them, SOLD_OUT when the product page says out of stock or the cart refuses with "sold
    out" (409), ERROR for anything else (5xx, a failed connection, an unexpected page)."""
    browser = Browser(base)
    started = time.monotonic()

    def answer(kind: str, detail: str = "") -> Outcome:
        return Outcome(kind, time.monotonic() - started, browser.requests, label, detail)

    def unexpected(step: str, page: Page) -> Outcome:
        snippet = " ".join(re.sub(r"<[^>]+>", " ", page.body).split())[:160]
        return answer(ERROR, f"{step}: {page.status} at {page.path}: {snippet}")

    try:
        page = browser.get(path)
        if page.status != 200:
            return unexpected("product page", page)
        if f'name="variant" value="{variant_id}"' not in page.body:
            if "stock-out" in page.body:
                return answer(SOLD_OUT, "product page")
            return unexpected("product page without a form", page)
        form = {"csrfmiddlewaretoken": page.csrf_token() or ""}
        page = browser.post(CART_ADD, {**form, "variant": str(variant_id), "quantity": "1"})
        if page.status == 409 and "sold out" in page.body:
            return answer(SOLD_OUT, "cart")
        if page.status != 200 or page.path != CART or not page.redirects:
            return unexpected("add to cart", page)
        page = browser.get(CHECKOUT)
        if page.status != 200:
            return unexpected("checkout", page)
        details = {"email": f"shopper{number}@example.vn", "buyer_name": f"Shopper {number}"}
        details["csrfmiddlewaretoken"] = page.csrf_token() or ""
        page = browser.post(CHECKOUT, {**details, **ADDRESS})
        choice = SHIPPING_CHOICE.search(page.body)
        if page.status != 200 or page.path != REVIEW or not choice:
            return unexpected("checkout details", page)
        page = browser.post(
            page.path,
            {"csrfmiddlewaretoken": page.csrf_token() or "", "shipping_method": choice[1]},
        )
        if page.status != 200 or not page.path.startswith(DUMMY_PAY):
            return unexpected("place order", page)
        page = browser.post(
            page.path, {"csrfmiddlewaretoken": page.csrf_token() or "", "action": "pay"}
        )
        if page.status == 200 and "Thank you for your order!" in page.body:
            return answer(PAID)
        return unexpected("pay", page)
    except (OSError, http.client.HTTPException) as exc:
        return answer(ERROR, f"connection: {exc!r}")
