"""Template tags that put a batch's Digital Link where people look: its URL as a link, and
its QR code as inline SVG (no image request, prints sharp on a packing slip)."""

import contextlib

from django import template
from django.utils.safestring import mark_safe

from shop import sites
from traceability import qr
from traceability.links import batch_digital_link, digital_link_path

register = template.Library()


@register.filter
def trace_link(batch) -> str:
    """{{ allocation.batch|trace_link }}: the batch's Digital Link (its variant loaded)."""
    return batch_digital_link(batch)


@register.filter
def trace_path(batch) -> str:
    """{{ batch|trace_path }}: the batch's Digital Link path, for links on the shop's own
    pages (relative, so they follow whatever address the shop is served on)."""
    return digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)


@register.simple_tag(takes_context=True)
def trace_qr(context, batch, scale: int = 3) -> str:
    """{% trace_qr allocation.batch %}: the batch's QR code with its GTIN and lot beneath,
    as inline SVG `scale` px per module, on the origin of the page's request (shop.sites).
    The SVG is built by traceability.qr from digits and an escaped lot only, so it is safe
    to insert as it is."""
    request = context.get("request")
    with sites.serving(request) if request is not None else contextlib.nullcontext():
        return mark_safe(qr.batch_svg(batch=batch, scale=scale).decode())
