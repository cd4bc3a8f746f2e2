"""Public QR images of a lot's Digital Link: /trace/qr/<gtin>/<lot>.svg and .png.

The symbol holds the payload of traceability.qr (its Digital Link on the shop's origin:
shop.sites, so the request's own address when SITE_URL is not set), with the GTIN and lot
printed beneath. A code that is not a GTIN or a GS1 lot code is a 400 page; a lot the shop
has not published is the shop's 404 page. Images are the same for everyone, so shared
caches may keep them for a day.
"""

import hashlib

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from shop import sites
from traceability import qr, selectors
from traceability.gs1 import InvalidGTIN, InvalidLot, normalise_gtin, validate_lot

CACHE_SECONDS = 60 * 60 * 24
KINDS = {"svg": ("image/svg+xml", qr.render_svg), "png": ("image/png", qr.render_png)}


def _etag(request: HttpRequest, gtin: str, lot: str, kind: str) -> str:
    # Same code, same origin, same picture: a cheap validator without drawing the symbol.
    key = f"{sites.site_url(request)}|{gtin}|{lot}|{kind}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


@require_safe
@condition(etag_func=_etag)
def qr_image(request: HttpRequest, gtin: str, lot: str, kind: str) -> HttpResponse:
    """The QR image of a published lot, as SVG or PNG (`kind`)."""
    try:
        gtin = normalise_gtin(gtin)
        validate_lot(lot)
    except (InvalidGTIN, InvalidLot):
        return render(request, "400.html", status=400)
    ref = selectors.find_batch(gtin=gtin, lot=lot)
    if ref is None:
        raise Http404("No published lot with this code.")
    content_type, draw = KINDS[kind]
    with sites.serving(request):
        body = draw(gtin=ref.gtin, lot=ref.lot_code)
    response = HttpResponse(body, content_type=content_type)
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    response["Content-Disposition"] = f'inline; filename="qr-{ref.gtin}-{_safe(lot)}.{kind}"'
    return response


def _safe(lot: str) -> str:
    """The lot code with anything but letters, digits, '-' and '_' made '_' (a file name)."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in lot)
