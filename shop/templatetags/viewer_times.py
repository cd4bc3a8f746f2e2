"""{% viewer_time moment %}: a moment as a `<time>` element in the viewer's zone
(shop.local_times), which shop/local-times.js rewrites with the browser's own clock."""

import datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from shop import local_times

register = template.Library()

_FORMATS = {"time": local_times.clock_time, "datetime": local_times.date_and_time}


@register.simple_tag(takes_context=True)
def viewer_time(context, moment: datetime.datetime | None, style: str = "time") -> SafeString:
    """`style` "time" (14:05) or "datetime" (Mar 5, 2026, 06:30), with the zone named."""
    if moment is None:
        return SafeString("")
    request = context.get("request")
    zone = local_times.viewer_zone(
        request.COOKIES.get(local_times.ZONE_COOKIE) if request is not None else None
    )
    text = _FORMATS[style](moment, zone, get_language() or "en")
    return format_html(
        '<time datetime="{}" data-local-time="{}">{}</time>',
        local_times.iso_utc(moment),
        style,
        text,
    )


@register.filter
def iso_utc(moment: datetime.datetime | None) -> str:
    """{{ summary.held_until|iso_utc }} -> "2026-03-04T23:30:00+00:00" (for scripts)."""
    return local_times.iso_utc(moment) if moment else ""
