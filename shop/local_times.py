"""Moments a shopper acts on (when the cart's hold ends, when a parcel moved) shown in the
shopper's own zone, never in UTC.

The storefront's script (static shop/header.js) records the browser's IANA zone in the
`tz` cookie on every page, and shop/local-times.js rewrites each `<time data-local-time>`
with the browser's own clock and language. What the server writes is what a reader without
script sees: the time in the cookie's zone, else the shop's own zone (Vietnam), named.
"""

import datetime
import zoneinfo

from babel.dates import format_datetime, format_time, get_date_format, get_timezone_name
from django.conf import settings

from shop import languages

ZONE_COOKIE = "tz"
# An IANA name is at most a few dozen characters of letters, digits, "/", "_", "-", "+".
_ZONE_MAX_LENGTH = 64


def viewer_zone(name: str | None) -> zoneinfo.ZoneInfo:
    """The zone a `tz` cookie names, or the shop's TIME_ZONE for a missing or unknown one."""
    if name and len(name) <= _ZONE_MAX_LENGTH and name.isascii() and ".." not in name:
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def iso_utc(moment: datetime.datetime) -> str:
    """The moment for a `datetime` attribute: ISO 8601 in UTC, to the second."""
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat()


def clock_time(moment: datetime.datetime, zone: zoneinfo.ZoneInfo, language: str) -> str:
    """ "14:05 (Indochina Time)": the time of day in `zone`, with the zone's name."""
    locale = languages.babel_locale(language)
    local = moment.astimezone(zone)
    time = format_time(local, "HH:mm", locale=locale)
    return f"{time} ({get_timezone_name(local, locale=locale)})"


def date_and_time(moment: datetime.datetime, zone: zoneinfo.ZoneInfo, language: str) -> str:
    """ "Mar 5, 2026, 06:30 (Indochina Time)": a day and time in `zone`, with the zone."""
    locale = languages.babel_locale(language)
    local = moment.astimezone(zone)
    # Languages without a house pattern write the day as their locale's medium date
    # (ja "2026/03/05", ko "2026. 3. 5.", fr "5 mars 2026").
    pattern = _SKELETONS.get(language) or get_date_format("medium", locale=locale).pattern
    day = format_datetime(local, pattern, locale=locale)
    time = format_time(local, "HH:mm", locale=locale)
    return f"{day}, {time} ({get_timezone_name(local, locale=locale)})"


_SKELETONS = {"en": "MMM d, y", "vi": "d 'tháng' M, y", "de": "d. MMM y"}
