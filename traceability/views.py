"""The Digital Link resolver, the trace page and the suspicious-product report form.

Every resolver answer (400 and 404 included) carries CORS headers and a `Vary` on Accept
and language, and GET, HEAD and OPTIONS all answer. The trace page's HTML is cached per
batch and language (traceability.cache), so it holds nothing per visitor: no CSRF token,
no messages, no session.
"""

import functools
import json
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from shop import ratelimits
from traceability import (
    cache,
    epcis,
    local_cache,
    recalls,
    reports,
    resolver,
    scans,
    selectors,
)
from traceability.forms import SuspiciousProductForm
from traceability.gs1 import InvalidGTIN, InvalidLot, normalise_gtin, validate_lot
from traceability.links import digital_link, digital_link_path
from traceability.vietnam_map import landmarks

METHODS = "GET, HEAD, OPTIONS"
HTML = "text/html"
JSON = "application/json"
ANSWERABLE_TYPES = [HTML, resolver.LINKSET_TYPE, resolver.JSONLD_TYPE, JSON]
PAGE_MAX_AGE = 60


def _finish(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = METHODS
    response["Access-Control-Allow-Headers"] = "Accept, Accept-Language"
    response["Access-Control-Expose-Headers"] = "Link, Location, Content-Language"
    patch_vary_headers(response, ("Accept", "Accept-Language", "Cookie"))
    response.setdefault("Content-Language", get_language())
    if request.method == "HEAD":
        length = len(response.content) if not response.streaming else None
        response.content = b""
        if length is not None:
            response["Content-Length"] = str(length)
    return response


def _problem(request: HttpRequest, status: int, code: str, detail: str = "") -> HttpResponse:
    context = {"status": status, "code": code, "detail": detail, "messages": ()}
    response = render(request, "traceability/problem.html", context, status=status)
    return _finish(request, response)


def _json(data: dict, content_type: str) -> HttpResponse:
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type=content_type)


def _segments(request: HttpRequest) -> list[str]:
    # Servers that keep the undecoded URI (gunicorn's RAW_URI, uWSGI's REQUEST_URI) let a
    # lot contain an encoded '/'; otherwise the decoded path is split as well as it can be.
    raw = request.META.get("RAW_URI") or request.META.get("REQUEST_URI") or ""
    path = raw.split("?", 1)[0]
    script = request.META.get("SCRIPT_NAME", "")
    if path.startswith("/") and (not script or path.startswith(script)):
        return resolver.raw_segments(path[len(script) :])
    return resolver.decoded_segments(request.path_info)


def _country(request: HttpRequest) -> str:
    return scans.country_from_request_meta(request.META)


def _count(request: HttpRequest, *, batch_id: int, counted: bool) -> None:
    if request.method == "GET" and not counted:
        local_cache.count_scan(
            batch_id=batch_id, country=_country(request), day=timezone.localdate()
        )


def _scanned_page(request: HttpRequest, entry: tuple[int, bytes, str]) -> HttpResponse:
    response = _page_response(entry[1])
    response["Link"] = entry[2]
    return _finish(request, response)


@functools.lru_cache(maxsize=256)
def _preferred_type(accept: str) -> str | None:
    """The answerable media type a client sending this Accept header prefers. Phones send a
    handful of distinct headers (one per browser), so each is parsed once per process."""
    probe = HttpRequest()
    probe.META["HTTP_ACCEPT"] = accept
    return probe.get_preferred_type(ANSWERABLE_TYPES)


def _linkset_header(anchor: str) -> str:
    return f'<{anchor}?linkType=linkset>; rel="linkset"; type="{resolver.LINKSET_TYPE}"'


@require_http_methods(["GET", "HEAD", "OPTIONS"])
def resolve(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Answer a GS1 Digital Link: /01/<GTIN>[/10/<lot>[/21/<serial>]][?linkType=…]."""
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Allow"] = METHODS
        response["Access-Control-Max-Age"] = "86400"
        return _finish(request, response)
    accept = request.META.get("HTTP_ACCEPT", "*/*")
    # The very request this process answered a moment ago (same link, query, Accept and
    # language) is answered again from its memory (traceability.local_cache).
    signature = (request.META.get("RAW_URI") or request.get_full_path(), accept, get_language())
    recent = local_cache.get(signature)
    if recent is not None:
        _count(request, batch_id=recent[0], counted=False)
        return _scanned_page(request, recent)
    try:
        link = resolver.parse(_segments(request), request.GET.dict())
    except resolver.BadLink as exc:
        return _problem(request, 400, exc.code, str(exc))
    answer = resolver.choose(link, preferred_type=_preferred_type(accept))
    if answer is resolver.Answer.NOT_FOUND:
        return _problem(request, 404, "link_type", link.link_type or "")
    if not link.lot:
        return _finish(request, _product_answer(request, link, answer))
    if answer is resolver.Answer.TRACE_PAGE:
        # A page scanned before: no SQL, one cache read that also counts the scan.
        hit = cache.link_page(
            gtin=link.gtin,
            lot=link.lot,
            language=get_language(),
            scan_country=_country(request) if request.method == "GET" else None,
        )
        if hit is not None:
            anchor = digital_link(gtin=link.gtin, lot=link.lot)
            entry = (hit[0], hit[1], _linkset_header(anchor))
            local_cache.put(signature, entry)
            return _scanned_page(request, entry)
    ref = selectors.find_batch(gtin=link.gtin, lot=link.lot)
    if ref is None:
        return _finish(request, _corrected_lot(request, link))
    anchor = digital_link(gtin=ref.gtin, lot=ref.lot_code)
    if answer in (resolver.Answer.TRACE_PAGE, resolver.Answer.PRODUCT_PAGE):
        if request.method == "GET":
            _count(request, batch_id=ref.id, counted=False)
    if answer is resolver.Answer.TRACE_PAGE:
        response = _trace_page(request, ref)
    elif answer is resolver.Answer.PRODUCT_PAGE:
        response = _to_product(request, ref.product_slug)
    elif answer is resolver.Answer.RECALL_STATUS:
        response = _recall_status(request, ref, anchor)
    elif answer is resolver.Answer.LINKSET:
        response = _linkset(ref.product_slug, ref.product_name, anchor, trace=True)
    else:
        page = selectors.trace_page(batch_id=ref.id)
        if page is None:
            raise Http404
        document = epcis.document(batch=page.batch, events=page.events)
        response = _json(document, resolver.JSONLD_TYPE)
    response["Link"] = _linkset_header(anchor)
    return _finish(request, response)


def _corrected_lot(request: HttpRequest, link: resolver.DigitalLink) -> HttpResponse:
    """A lot code the batch had before a correction: QR codes printed with it keep working,
    sent on (307, query string kept) to the link with the current code."""
    ref = selectors.find_corrected_batch(gtin=link.gtin, lot=link.lot)
    if ref is None:
        context = {"status": 404, "code": "lot", "detail": "", "messages": ()}
        return render(request, "traceability/problem.html", context, status=404)
    url = digital_link_path(gtin=ref.gtin, lot=ref.lot_code)
    query = request.META.get("QUERY_STRING", "")
    response = redirect(f"{url}?{query}" if query else url, preserve_request=True)
    response["Link"] = _linkset_header(digital_link(gtin=ref.gtin, lot=ref.lot_code))
    return response


def _product_answer(request, link: resolver.DigitalLink, answer) -> HttpResponse:
    product = selectors.find_product(gtin=link.gtin)
    if product is None:
        return _problem(request, 404, "gtin")
    anchor = f"{settings.SITE_URL}/01/{link.gtin}"
    if answer is resolver.Answer.LINKSET:
        response = _linkset(product.slug, product.name, anchor, trace=False)
    else:
        response = _to_product(request, product.slug)
    response["Link"] = _linkset_header(anchor)
    return response


def _to_product(request: HttpRequest, slug: str) -> HttpResponse:
    # A conformant resolver passes the whole query string on when it redirects.
    url = reverse("shop:product", kwargs={"slug": slug})
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{url}?{query}" if query else url, preserve_request=True)


def _linkset(slug: str, title: str, anchor: str, *, trace: bool) -> HttpResponse:
    data = resolver.linkset(
        anchor=anchor,
        product_url=settings.SITE_URL + reverse("shop:product", kwargs={"slug": slug}),
        product_title=title,
        trace_url=f"{anchor}?linkType=gs1:traceability" if trace else None,
        languages=[code for code, _name in settings.LANGUAGES],
    )
    response = _json(data, resolver.LINKSET_TYPE)
    response["Link"] = (
        f'<{resolver.LINKSET_CONTEXT}>; rel="http://www.w3.org/ns/json-ld#context"; '
        'type="application/ld+json"'
    )
    return response


def _recall_status(request: HttpRequest, ref: selectors.BatchRef, anchor: str) -> HttpResponse:
    status = {"anchor": anchor, "gtin": ref.gtin, "lot": ref.lot_code, "recalled": ref.recalled}
    recall = recalls.recall_of(batch_id=ref.id) if ref.recalled else None
    if recall is not None:
        status |= {"reason": recall.reason, "recalledAt": recall.created_at.isoformat()}
    if request.get_preferred_type([HTML, JSON]) == JSON:
        return _json(status, JSON)
    context = {"ref": ref, "anchor": anchor, "recall": recall, "messages": ()}
    return render(request, "traceability/recall_status.html", context)


def _trace_page(request: HttpRequest, ref: selectors.BatchRef) -> HttpResponse:
    language = get_language()

    def render_page() -> str:
        page = selectors.trace_page(batch_id=ref.id)
        if page is None:  # deleted since the lookup a moment ago
            raise Http404
        canonical = digital_link(gtin=ref.gtin, lot=ref.lot_code).removeprefix(settings.SITE_URL)
        context = {
            "page": page,
            "canonical_path": canonical,
            "report_url": reverse("traceability:report")
            + "?"
            + urlencode({"gtin": ref.gtin, "lot": ref.lot_code}),
            "landmarks": landmarks(avoid=page.pins),
            "orders_url": reverse("shop:account_orders"),
            # Nothing per visitor may reach a page that everyone is served from the cache.
            "messages": (),
        }
        return render_to_string("traceability/trace.html", context, request=request)

    html = cache.cached_page(
        batch_id=ref.id,
        status=ref.status,
        language=language,
        render=render_page,
        link=(ref.gtin, ref.lot_code),
    )
    return _page_response(html)


def _page_response(html: str | bytes) -> HttpResponse:
    response = HttpResponse(html)
    response["Cache-Control"] = f"public, max-age={PAGE_MAX_AGE}"
    return response


@require_http_methods(["GET", "HEAD", "OPTIONS"])
def resolver_description(request: HttpRequest) -> HttpResponse:
    """/.well-known/gs1resolver: what this resolver answers (GS1 resolver standard §3)."""
    data = resolver.resolver_description(root=settings.SITE_URL, name="OCOP Village Shop")
    response = HttpResponse(status=204) if request.method == "OPTIONS" else _json(data, JSON)
    return _finish(request, response)


@never_cache
@ratelimits.limit_posts("report")
def report(request: HttpRequest) -> HttpResponse:
    """The form to report a suspicious product, for the lot named in the query string."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        gtin = normalise_gtin(request.GET.get("gtin", ""))
    except InvalidGTIN:
        return _problem(request, 404, "gtin")
    lot = request.GET.get("lot", "")
    try:
        # Only a lot code GS1 allows reaches the database (a NUL byte would not).
        ref = selectors.find_batch(gtin=gtin, lot=validate_lot(lot))
    except InvalidLot:
        ref = None
    batch = selectors.batch_summary(batch_id=ref.id) if ref else None
    if batch is None:
        return _problem(request, 404, "lot")
    form = SuspiciousProductForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reports.file_report(batch=batch, language=get_language(), **form.cleaned_data)
        return redirect(reverse("traceability:report_sent") + "?" + request.GET.urlencode())
    status = 400 if request.method == "POST" else 200
    trace_url = digital_link(gtin=ref.gtin, lot=ref.lot_code)
    context = {"form": form, "batch": batch, "trace_url": trace_url}
    return render(request, "traceability/report.html", context, status=status)


@never_cache
def report_sent(request: HttpRequest) -> HttpResponse:
    gtin, lot = request.GET.get("gtin", ""), request.GET.get("lot", "")
    back = ""
    try:
        back = digital_link(gtin=gtin, lot=lot)
    except InvalidGTIN:
        pass
    return render(request, "traceability/report_sent.html", {"trace_url": back})
