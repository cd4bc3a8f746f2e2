"""Reads of a cooperative's invitation to its village (issue 16, part 4).

A CooperativeVisit is shown only when its cooperative has published it. Its words are read
in the reader's language, falling back to English then Vietnamese (the two the cooperative
writes in); its months are named by babel in the reader's language; the village's place
comes from the cooperative's village (name, province, latitude and longitude).

`published_visit` and `published_visits` are the selectors (one query each, whatever the
number of cooperatives); `present` turns a CooperativeVisit already read with its
cooperative's village and province into the `Visit` the partial
frontend_templates/shop/_visit.html draws, so a page that read the rows itself (the gift
page) draws them the same way.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import get_month_names
from django.utils.translation import get_language, ngettext

from shop import languages
from shop.models.gifts import CooperativeVisit
from traceability import vietnam_map

_TRANSLATED = ("activities", "nearest_city", "getting_there")
_RELATED = ("cooperative__village__province",)
# A phone number as a tel: link takes digits and a leading plus only.
_NOT_DIALLED = re.compile(r"[^\d+]")


@dataclass(frozen=True)
class Text:
    """A translated field as read: the words and the language they are written in."""

    value: str
    language: str

    def __str__(self) -> str:
        return self.value

    def __bool__(self) -> bool:
        return bool(self.value)


@dataclass(frozen=True)
class Visit:
    """A published visit, ready to draw (no further query)."""

    cooperative_id: int
    cooperative_name: str
    cooperative_url: str
    activities: Text
    nearest_city: Text
    getting_there: Text
    months: list[str]
    travel: str
    contact_name: str
    contact_phone: str
    contact_email: str
    village: str
    province: str
    latitude: Decimal
    longitude: Decimal
    pin: vietnam_map.Pin | None

    @property
    def phone_href(self) -> str:
        digits = _NOT_DIALLED.sub("", self.contact_phone)
        return f"tel:{digits}" if digits.strip("+") else ""

    @property
    def map_point(self) -> tuple[str, str] | None:
        """The village's (x, y) on traceability/vietnam.svg, in its own units, or None."""
        if self.pin is None:
            return None
        x, y = vietnam_map.project(float(self.latitude), float(self.longitude))
        return f"{x:.1f}", f"{y:.1f}"

    @property
    def map_size(self) -> tuple[str, str]:
        return f"{vietnam_map.WIDTH:.1f}", f"{vietnam_map.HEIGHT:.1f}"

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_name or self.phone_href or self.contact_email)


def _text(visit: CooperativeVisit, field: str, language: str) -> Text:
    wanted = languages.content_language(language)
    for code in dict.fromkeys((wanted, "en", "vi")):
        value = (getattr(visit, f"{field}_{code}", "") or "").strip()
        if value:
            return Text(value, code)
    return Text("", wanted)


def month_names(months: Iterable, language: str) -> list[str]:
    """The month numbers 1–12 named in `language` (babel), unknown values left out."""
    names = get_month_names("wide", context="stand-alone", locale=languages.babel_locale(language))
    shown = []
    for month in months:
        if isinstance(month, int) and not isinstance(month, bool) and 1 <= month <= 12:
            shown.append(str(names[month]))
    return shown


def travel_time(minutes: int | None) -> str:
    """ "45 minutes", "2 hours", "1 h 30 min" in the active language, or ""."""
    if not minutes:
        return ""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return ngettext("%(count)d minute", "%(count)d minutes", rest) % {"count": rest}
    if not rest:
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return ngettext("%(hours)d hour %(minutes)d min", "%(hours)d hours %(minutes)d min", hours) % {
        "hours": hours,
        "minutes": rest,
    }


def present(visit: CooperativeVisit, *, language: str | None = None) -> Visit:
    """The visit as the reader of `language` (the active one) sees it. The row must come
    with its cooperative's village and province (select_related), or this queries them."""
    language = language or get_language() or "en"
    cooperative = visit.cooperative
    village = cooperative.village
    return Visit(
        cooperative_id=cooperative.pk,
        cooperative_name=cooperative.name,
        cooperative_url=cooperative.get_absolute_url(),
        activities=_text(visit, "activities", language),
        nearest_city=_text(visit, "nearest_city", language),
        getting_there=_text(visit, "getting_there", language),
        months=month_names(visit.best_months or [], language),
        travel=travel_time(visit.travel_minutes),
        contact_name=visit.contact_name,
        contact_phone=visit.contact_phone,
        contact_email=visit.contact_email,
        village=village.name,
        province=village.province.name,
        latitude=village.latitude,
        longitude=village.longitude,
        pin=vietnam_map.pin(village.latitude, village.longitude),
    )


def _published():
    return CooperativeVisit.objects.filter(published=True).select_related(*_RELATED)


def published_visit(*, cooperative_id: int, language: str | None = None) -> Visit | None:
    """The cooperative's published visit (one query), or None."""
    row = _published().filter(cooperative_id=cooperative_id).first()
    return present(row, language=language) if row else None


def published_visits(*, cooperative_ids: Iterable[int], language: str | None = None) -> list[Visit]:
    """The published visits of these cooperatives, by cooperative name (one query)."""
    ids = {pk for pk in cooperative_ids if pk}
    if not ids:
        return []
    rows = _published().filter(cooperative_id__in=ids).order_by("cooperative__name")
    return [present(row, language=language) for row in rows]
