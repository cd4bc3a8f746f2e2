"""The GS1 Digital Link resolver: uncompressed (/01/…, /414/…), compressed (/AQnY…) links.

Every answer (400 and 404 included) carries CORS headers and a `Vary` on Accept and
language, and GET, HEAD and OPTIONS all answer. The rules it follows are in
traceability.resolver's docstring. `Link` headers are added to, never overwritten: a
linkset answer keeps its JSON-LD context link next to the `rel="linkset"` one, and a
compressed link's answer adds `rel="owl:sameAs"` naming its uncompressed form.

The trace page's HTML is cached per batch and language (traceability.cache), so it holds
nothing per visitor: no CSRF token, no messages, no session. A link whose `?17=` expiry
differs from the lot's best-before is the one exception: its page is rendered afresh with
the mismatch shown at the top, and never cached.
"""

import functools
import json
from urllib.parse import quote, urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import is_valid_path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from traceability import (
    cache,
    dl_compression,
    epcis,
    local_cache,
    recalls,
    resolver,
    scans,
    selectors,
    trace_drawing,
)
from traceability.links import digital_link, digital_link_path, gtin_link, site_url
from traceability.vietnam_map import landmarks

METHODS = "GET, HEAD, OPTIONS"
HTML = "text/html"
JSON = resolver.JSON_TYPE
ANSWERABLE_TYPES = [HTML, resolver.LINKSET_TYPE, resolver.JSONLD_TYPE, JSON]
PAGE_MAX_AGE = 60
_CONTEXT_LINK = (
    f'<{resolver.LINKSET_CONTEXT}>; rel="http://www.w3.org/ns/json-ld#context"; '
    'type="application/ld+json"'
)


def add_link(response: HttpResponse, value: str) -> HttpResponse:
    """Add a Link header value (RFC 8288 allows a comma-separated list) to those there."""
    response["Link"] = f"{response['Link']}, {value}" if response.has_header("Link") else value
    return response


def finish(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if getattr(response, "resolver_finished", False):  # a problem page, finished already
        return response
    response.resolver_finished = True
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


def problem(request: HttpRequest, status: int, code: str, detail: str = "") -> HttpResponse:
    context = {"status": status, "code": code, "detail": detail, "messages": ()}
    response = render(request, "traceability/problem.html", context, status=status)
    return finish(request, response)


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


def _query_pairs(request: HttpRequest) -> list[tuple[str, str]]:
    return [(key, value) for key, values in request.GET.lists() for value in values]


def _country(request: HttpRequest) -> str:
    return scans.country_from_request_meta(request.META)


def _count(request: HttpRequest, *, batch_id: int) -> None:
    if request.method == "GET":
        local_cache.count_scan(
            batch_id=batch_id, country=_country(request), day=timezone.localdate()
        )


def _scanned_page(request: HttpRequest, entry: tuple[int, bytes, str]) -> HttpResponse:
    response = _page_response(entry[1])
    response["Link"] = entry[2]
    return finish(request, response)


@functools.lru_cache(maxsize=256)
def _preferred_type(accept: str) -> str | None:
    """The answerable media type a client sending this Accept header prefers. Phones send a
    handful of distinct headers (one per browser), so each is parsed once per process."""
    probe = HttpRequest()
    probe.META["HTTP_ACCEPT"] = accept
    return probe.get_preferred_type(ANSWERABLE_TYPES)


def _linkset_header(anchor: str) -> str:
    return f'<{anchor}?linkType=linkset>; rel="linkset"; type="{resolver.LINKSET_TYPE}"'


def _options(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = METHODS
    response["Access-Control-Max-Age"] = "86400"
    return finish(request, response)


@require_http_methods(["GET", "HEAD", "OPTIONS"])
def resolve(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Answer a GS1 Digital Link: /01/<GTIN>[/22/…][/10/<lot>[/21/<serial>]][?linkType=…],
    or /01/<GTIN>/<compressed rest>."""
    if request.method == "OPTIONS":
        return _options(request)
    accept = request.META.get("HTTP_ACCEPT", "*/*")
    # The very request this process answered a moment ago (same link, query, Accept and
    # language) is answered again from its memory (traceability.local_cache).
    signature = (request.META.get("RAW_URI") or request.get_full_path(), accept, get_language())
    recent = local_cache.get(signature)
    if recent is not None:
        _count(request, batch_id=recent[0])
        return _scanned_page(request, recent)
    partial = _partly_compressed(request)
    if partial is not None:
        return partial
    return _answer(request, _segments(request), _query_pairs(request), signature=signature)


@require_http_methods(["GET", "HEAD", "OPTIONS"])
def resolve_key(request: HttpRequest, key: str, rest: str = "") -> HttpResponse:
    """A Digital Link with another GS1 primary key (/00/, /414/, /8004/, …): checked as
    syntax (400 when wrong), then 404, since the shop issues only GTINs."""
    if request.method == "OPTIONS":
        return _options(request)
    partial = _partly_compressed(request)
    if partial is not None:
        return partial
    return _answer(request, _segments(request), _query_pairs(request))


@require_http_methods(["GET", "HEAD", "OPTIONS"])
def resolve_compressed(request: HttpRequest, compressed: str) -> HttpResponse:
    """A fully compressed Digital Link (/AQnYUc1gmiCNV4JG…), answered as its uncompressed
    form; a segment that does not decompress is no link of ours (404)."""
    if request.method == "OPTIONS":
        return _options(request)
    response = _decompressed(request, [], compressed)
    if response is not None:
        return response
    # Claiming every slash-less root path must not cost a page its APPEND_SLASH redirect.
    if settings.APPEND_SLASH and is_valid_path(
        f"{request.path_info}/", getattr(request, "urlconf", None)
    ):
        return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return problem(request, 404, "compressed")


def _partly_compressed(request: HttpRequest) -> HttpResponse | None:
    """/<key>/<value>/<compressed qualifiers and attributes>, or None if it is not one."""
    parts = request.path_info.strip("/").split("/")
    if len(parts) == 3 and dl_compression.COMPRESSED_SEGMENT.match(parts[2]):
        return _decompressed(request, parts[:2], parts[2])
    return None


def _decompressed(request, head: list[str], compressed: str) -> HttpResponse | None:
    try:
        elements, others = dl_compression.decompress(compressed)
        if head:
            elements = [(head[0], head[1]), *elements]
        segments, attributes = resolver.element_path(elements)
    except (dl_compression.BadCompression, resolver.BadLink):
        return None
    # Query parameters of the request itself come after the compressed ones.
    pairs = [*attributes, *others, *_query_pairs(request)]
    path = "/".join(quote(segment, safe="") for segment in segments)
    uncompressed = f"{site_url()}/{path}" + (f"?{urlencode(pairs)}" if pairs else "")
    response = _answer(request, segments, pairs)
    return add_link(response, f'<{uncompressed}>; rel="owl:sameAs"')


def _answer(request, segments, pairs, *, signature=None) -> HttpResponse:
    try:
        link = resolver.parse(segments, pairs)
    except resolver.BadLink as exc:
        return problem(request, 400, exc.code, str(exc))
    except resolver.UnsupportedKey as exc:
        return problem(request, 404, "key", str(exc))
    preferred = _preferred_type(request.META.get("HTTP_ACCEPT", "*/*"))
    answer = resolver.choose(link, preferred_type=preferred)
    if answer is resolver.Answer.NOT_FOUND:
        return problem(request, 404, "link_type", link.link_type or "")
    if not link.record_lot:
        if link.lot or link.serial or link.variant or link.extension:
            return finish(request, _unknown_lot(request, link, preferred))
        return finish(request, _product_answer(request, link, preferred))
    if answer is resolver.Answer.TRACE_PAGE and signature and link.expiry is None:
        # A page scanned before: no SQL, one cache read that also counts the scan.
        hit = cache.link_page(
            gtin=link.gtin,
            lot=link.lot,
            language=get_language(),
            scan_country=_country(request) if request.method == "GET" else None,
        )
        if hit is not None:
            entry = (hit[0], hit[1], _linkset_header(digital_link(gtin=link.gtin, lot=link.lot)))
            local_cache.put(signature, entry)
            return _scanned_page(request, entry)
    ref = selectors.find_batch(gtin=link.gtin, lot=link.lot)
    if ref is None:
        return finish(request, _unknown_lot(request, link, preferred))
    return finish(request, _batch_answer(request, link, answer, ref))


def _batch_answer(request, link, answer, ref: selectors.BatchRef) -> HttpResponse:
    anchor = digital_link(gtin=ref.gtin, lot=ref.lot_code)
    expiry = _expiry_check(link, ref)
    if answer in (resolver.Answer.TRACE_PAGE, resolver.Answer.PRODUCT_PAGE):
        _count(request, batch_id=ref.id)
    if answer is resolver.Answer.TRACE_PAGE:
        response = _trace_page(request, ref, expiry=expiry)
    elif answer is resolver.Answer.PRODUCT_PAGE:
        response = _to_product(request, ref.product_slug)
    elif answer is resolver.Answer.RECALL_STATUS:
        response = _recall_status(request, ref, anchor, expiry)
    elif answer is resolver.Answer.LINKSET:
        response = _linkset(request, ref.product_slug, ref.product_name, anchor, trace=True)
    else:
        page = selectors.trace_page(batch_id=ref.id)
        if page is None:
            raise Http404
        document = epcis.document(batch=page.batch, events=page.events)
        response = _json(document, resolver.JSONLD_TYPE)
    return add_link(response, _linkset_header(anchor))


def _expiry_check(link: resolver.DigitalLink, ref: selectors.BatchRef) -> dict | None:
    """`?17=` against the lot's best-before: None when absent, else both dates and a flag."""
    if link.expiry is None:
        return None
    best_before = selectors.best_before_of(batch_id=ref.id)
    return {
        "requested": link.expiry,
        "best_before": best_before,
        "matches": best_before == link.expiry,
    }


def _unknown_lot(request, link: resolver.DigitalLink, preferred) -> HttpResponse:
    """GS1 walk-up: a lot we have no record of is answered as for its GTIN, saying so.

    A lot code changed by a correction is sent on to the current one first (307), so QR
    codes printed with the old code keep working.
    """
    corrected = None
    if link.record_lot:
        corrected = selectors.find_corrected_batch(gtin=link.gtin, lot=link.lot)
    if corrected is not None:
        url = digital_link_path(gtin=corrected.gtin, lot=corrected.lot_code)
        query = request.META.get("QUERY_STRING", "")
        response = redirect(f"{url}?{query}" if query else url, preserve_request=True)
        anchor = digital_link(gtin=corrected.gtin, lot=corrected.lot_code)
        return add_link(response, _linkset_header(anchor))
    answer = resolver.choose(link, preferred_type=preferred, lot_known=False)
    if answer is resolver.Answer.NOT_FOUND:
        return problem(request, 404, "link_type", link.link_type or "")
    product = selectors.find_product(gtin=link.gtin)
    if product is None:
        return problem(request, 404, "lot")
    if answer is not resolver.Answer.PRODUCT_PAGE or link.link_type:
        return _product_answer(request, link, preferred, product=product)
    report_query = {"gtin": link.gtin, **({"lot": link.lot} if link.lot else {})}
    context = {
        "product": product,
        "code": link.extension or link.variant or link.lot or link.serial,
        "lot": link.lot,
        "gtin": link.gtin,
        "report_url": reverse("traceability:report") + "?" + urlencode(report_query),
        "messages": (),
    }
    response = render(request, "traceability/unknown_lot.html", context)
    response["Cache-Control"] = "no-store"
    return add_link(response, _linkset_header(gtin_link(gtin=link.gtin)))


def _product_answer(request, link, preferred, *, product=None) -> HttpResponse:
    product = product or selectors.find_product(gtin=link.gtin)
    if product is None:
        return problem(request, 404, "gtin")
    anchor = gtin_link(gtin=link.gtin)
    answer = resolver.choose(link, preferred_type=preferred, lot_known=False)
    if answer is resolver.Answer.LINKSET:
        response = _linkset(request, product.slug, product.name, anchor, trace=False)
    else:
        response = _to_product(request, product.slug)
    return add_link(response, _linkset_header(anchor))


def _to_product(request: HttpRequest, slug: str) -> HttpResponse:
    # A conformant resolver passes the whole query string on when it redirects.
    url = reverse("shop:product", kwargs={"slug": slug})
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{url}?{query}" if query else url, preserve_request=True)


def _linkset(request, slug: str, title: str, anchor: str, *, trace: bool) -> HttpResponse:
    data = resolver.linkset(
        anchor=anchor,
        product_url=site_url() + reverse("shop:product", kwargs={"slug": slug}),
        product_title=title,
        trace_url=f"{anchor}?linkType=gs1:traceability" if trace else None,
        languages=[code for code, _name in settings.LANGUAGES],
    )
    # Asked for as plain JSON, the linkset is sent as such (GS1 resolver §6.3).
    wants_json = _preferred_type(request.META.get("HTTP_ACCEPT", "*/*")) == JSON
    response = _json(data, JSON if wants_json else resolver.LINKSET_TYPE)
    return add_link(response, _CONTEXT_LINK)


def _recall_status(request, ref: selectors.BatchRef, anchor: str, expiry) -> HttpResponse:
    status = {"anchor": anchor, "gtin": ref.gtin, "lot": ref.lot_code, "recalled": ref.recalled}
    recall = recalls.recall_of(batch_id=ref.id) if ref.recalled else None
    if recall is not None:
        status |= {"reason": recall.reason, "recalledAt": recall.created_at.isoformat()}
    if expiry is not None:
        status["expiryCheck"] = {
            "requested": expiry["requested"].isoformat(),
            "bestBefore": expiry["best_before"].isoformat() if expiry["best_before"] else None,
            "matches": expiry["matches"],
        }
    if request.get_preferred_type([HTML, JSON]) == JSON:
        return _json(status, JSON)
    context = {"ref": ref, "anchor": anchor, "recall": recall, "messages": (), "expiry": expiry}
    return render(request, "traceability/recall_status.html", context)


def _trace_page(request: HttpRequest, ref: selectors.BatchRef, *, expiry=None) -> HttpResponse:
    language = get_language()

    def render_page(extra: dict | None = None) -> str:
        page = selectors.trace_page(batch_id=ref.id)
        if page is None:  # deleted since the lookup a moment ago
            raise Http404
        canonical = digital_link(gtin=ref.gtin, lot=ref.lot_code).removeprefix(site_url())
        report_url = (
            reverse("traceability:report")
            + "?"
            + urlencode({"gtin": ref.gtin, "lot": ref.lot_code})
        )
        body = trace_drawing.draw(
            page,
            canonical_path=canonical,
            report_url=report_url,
            orders_url=reverse("shop:account_orders"),
            landmarks=landmarks(avoid=page.pins),
        )
        context = {
            "page": page,
            "trace_body": body,
            "canonical_path": canonical,
            "report_url": report_url,
            # Nothing per visitor may reach a page that everyone is served from the cache.
            "messages": (),
            **(extra or {}),
        }
        return render_to_string("traceability/trace.html", context, request=request)

    if expiry is not None and not expiry["matches"]:
        response = HttpResponse(render_page({"expiry_check": expiry}))
        response["Cache-Control"] = "no-store"
        return response
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
    data = resolver.resolver_description(root=site_url(), name="OCOP Village Shop")
    response = HttpResponse(status=204) if request.method == "OPTIONS" else _json(data, JSON)
    return finish(request, response)
