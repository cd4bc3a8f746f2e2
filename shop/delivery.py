"""Delivery estimates: when a parcel paid today arrives.

The rule. Counting from the day of payment in Vietnam, the slowest cooperative in the cart
hands its goods to the carrier after its `dispatch_days` working days: Saturdays, Sundays
and the days of a DispatchClosure (Tết, national holidays) do not count, and a payment on a
day off counts from the next working day (dispatch_days 0: the next working day, or today
when today is one). The method then takes delivery_days_min..delivery_days_max calendar
days. "Arrives 10–14 February" or, when both ends fall on one day, "Arrives by 12 February".
When the next Tết closure starts after the latest arrival day, and within TET_NOTICE_DAYS
of it (in May, next February's Tết says nothing), the estimate adds ", before Tết".

The arithmetic is pure (`estimate`, `dispatch_day`); `read_schedule` is the one query a
page makes for it: the active methods' days with their zones, the closures from today on,
and the slowest of the given cooperatives' dispatch days, in one UNION ALL. It is read once
per request, never cached across requests, so a closure an operator adds shows at once and
a page's query count does not depend on what an earlier request left behind.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from babel.dates import format_interval, format_skeleton
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django_countries import countries

from shop import joined_rows, languages
from shop.models import Cooperative, DispatchClosure, ShippingMethod, ShippingZone

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# "before Tết" is said only when Tết starts within this many days after the latest arrival.
TET_NOTICE_DAYS = 45
DEFAULT_DISPATCH_DAYS = 2
# A cart that stays unpaid, a closure of months: counting stops rather than loop forever.
_MAX_SCAN_DAYS = 400


@dataclass(frozen=True)
class Closure:
    starts_on: datetime.date
    ends_on: datetime.date
    is_tet: bool = False

    def covers(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class MethodDays:
    """An active method's delivery days, with its zone's countries (for the product page)."""

    zone_id: int
    countries: frozenset[str]
    is_default: bool
    days_min: int
    days_max: int


@dataclass(frozen=True)
class Schedule:
    """What estimates need, read once per request (see read_schedule)."""

    today: datetime.date
    closures: tuple[Closure, ...] = ()
    dispatch_days: int = DEFAULT_DISPATCH_DAYS
    methods: tuple[MethodDays, ...] = field(default=())

    def fastest_for(self, country: str) -> MethodDays | None:
        """The fastest active method of the zone serving `country` (else the default zone)."""
        code = (country or "").upper()
        listed = [m for m in self.methods if code and code in m.countries]
        candidates = listed or [m for m in self.methods if m.is_default]
        return min(candidates, key=lambda m: (m.days_max, m.days_min), default=None)


@dataclass(frozen=True)
class Estimate:
    earliest: datetime.date
    latest: datetime.date
    before_tet: bool = False

    @property
    def text(self) -> str:
        """'Arrives 10–14 February, before Tết' in the active language."""
        locale = _locale()
        if self.earliest == self.latest:
            day = format_skeleton("MMMMd", self.latest, locale=locale)
            text = gettext("Arrives by %(day)s") % {"day": day}
        else:
            days = format_interval(self.earliest, self.latest, "MMMMd", locale=locale)
            text = gettext("Arrives %(days)s") % {"days": days}
        if self.before_tet:
            text = gettext("%(estimate)s, before Tết") % {"estimate": text}
        return text

    def __str__(self) -> str:
        return self.text


def _locale() -> str:
    # English readers get day-month order (en_GB); every other shop language its own locale.
    language = languages.shop_language(get_language())
    return "en_GB" if language == "en" else languages.babel_locale(language)


def today_in_vietnam(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localtime(now or timezone.now(), VIETNAM).date()


def is_working_day(day: datetime.date, closures: Iterable[Closure]) -> bool:
    return day.weekday() < 5 and not any(c.covers(day) for c in closures)


def dispatch_day(
    *, paid_on: datetime.date, dispatch_days: int, closures: Iterable[Closure]
) -> datetime.date:
    """The day the goods go to the carrier: `dispatch_days` working days after the payment
    day (the first working day from the payment day when dispatch_days is 0)."""
    closures = tuple(closures)
    day = paid_on
    counted = 0
    for _ in range(_MAX_SCAN_DAYS):
        if counted >= dispatch_days and is_working_day(day, closures):
            return day
        day += datetime.timedelta(days=1)
        if is_working_day(day, closures):
            counted += 1
            if counted >= dispatch_days:
                return day
    return day


def estimate(
    *,
    paid_on: datetime.date,
    dispatch_days: int,
    days_min: int,
    days_max: int,
    closures: Iterable[Closure],
) -> Estimate:
    """When a parcel paid on `paid_on` arrives (see the module's rule)."""
    closures = tuple(closures)
    sent = dispatch_day(paid_on=paid_on, dispatch_days=dispatch_days, closures=closures)
    earliest = sent + datetime.timedelta(days=days_min)
    latest = sent + datetime.timedelta(days=max(days_max, days_min))
    tet = next((c for c in sorted(closures, key=_start) if c.is_tet and c.ends_on >= paid_on), None)
    before_tet = (
        tet is not None
        and tet.starts_on > latest
        and (tet.starts_on - latest).days <= TET_NOTICE_DAYS
    )
    return Estimate(earliest, latest, before_tet)


def _start(closure: Closure) -> datetime.date:
    return closure.starts_on


def for_method(schedule: Schedule, method: ShippingMethod) -> Estimate:
    return estimate(
        paid_on=schedule.today,
        dispatch_days=schedule.dispatch_days,
        days_min=method.delivery_days_min,
        days_max=method.delivery_days_max,
        closures=schedule.closures,
    )


def for_country(schedule: Schedule, country: str) -> Estimate | None:
    """The estimate by the fastest method to `country` (None when nothing ships there)."""
    method = schedule.fastest_for(country)
    if method is None:
        return None
    return estimate(
        paid_on=schedule.today,
        dispatch_days=schedule.dispatch_days,
        days_min=method.days_min,
        days_max=method.days_max,
        closures=schedule.closures,
    )


def read_schedule(
    *, cooperative_ids: Iterable[int] = (), now: datetime.datetime | None = None
) -> Schedule:
    """The closures from today (Vietnam) on, the active methods' days and the slowest
    dispatch_days of `cooperative_ids` (DEFAULT_DISPATCH_DAYS when none): one query."""
    today = today_in_vietnam(now)
    ids = sorted({int(pk) for pk in cooperative_ids})
    closure, method = DispatchClosure._meta.db_table, ShippingMethod._meta.db_table
    zone, cooperative = ShippingZone._meta.db_table, Cooperative._meta.db_table
    # The NULLs are cast so PostgreSQL knows each column's type across the UNION.
    sql = (
        "SELECT 0, NULL, CAST(NULL AS integer), CAST(NULL AS boolean), "
        "CAST(NULL AS integer), CAST(NULL AS integer), starts_on, ends_on, is_tet "
        f"FROM {closure} WHERE ends_on >= %s "
        "UNION ALL SELECT 1, z.countries, z.id, z.is_default, m.delivery_days_min, "
        "m.delivery_days_max, CAST(NULL AS date), CAST(NULL AS date), CAST(NULL AS boolean) "
        f"FROM {method} m INNER JOIN {zone} z ON z.id = m.zone_id WHERE m.is_active"
    )
    params: list[object] = [today]
    if ids:
        marks = ", ".join(["%s"] * len(ids))
        sql += (
            " UNION ALL SELECT 2, NULL, MAX(dispatch_days), CAST(NULL AS boolean), "
            "CAST(NULL AS integer), CAST(NULL AS integer), CAST(NULL AS date), "
            f"CAST(NULL AS date), CAST(NULL AS boolean) FROM {cooperative} WHERE id IN ({marks})"
        )
        params += ids
    closures, methods, dispatch = [], [], None
    # Prepared on PostgreSQL: planning the UNION cost several times running it.
    with joined_rows.prepared_cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for kind, codes_text, number, is_default, low, high, starts, ends, is_tet in rows:
        if kind == 0:
            closures.append(Closure(_date(starts), _date(ends), bool(is_tet)))
        elif kind == 1:
            codes = frozenset(c for c in (codes_text or "").split(",") if c)
            methods.append(MethodDays(number, codes, bool(is_default), low, high))
        elif number is not None:
            dispatch = number
    closures.sort(key=_start)
    return Schedule(
        today=today,
        closures=tuple(closures),
        dispatch_days=DEFAULT_DISPATCH_DAYS if dispatch is None else dispatch,
        methods=tuple(methods),
    )


def _date(value: datetime.date | str) -> datetime.date:
    # SQLite's cursor gives ISO strings, PostgreSQL's dates.
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


# The product page is cached per language and currency, not per visitor, so its estimate is
# for the country a reader of that language most likely ships to, else for the default
# ("rest of the world") zone; the cart and checkout give the chosen destination's.
LANGUAGE_COUNTRIES = {"vi": "VN", "de": "DE", "fr": "FR", "ja": "JP", "ko": "KR", "zh": "CN"}


@dataclass(frozen=True)
class ProductEstimate:
    country: str
    estimate: Estimate

    @property
    def country_name(self) -> str:
        return countries.name(self.country) if self.country else ""


def product_estimate(
    *, cooperative_id: int, language: str, now: datetime.datetime | None = None
) -> ProductEstimate | None:
    """The product page's estimate (see above): one query."""
    schedule = read_schedule(cooperative_ids=[cooperative_id], now=now)
    country = LANGUAGE_COUNTRIES.get((language or "")[:2], "")
    found = for_country(schedule, country)
    if found is None:
        return None
    if country and not any(country in m.countries for m in schedule.methods):
        country = ""
    return ProductEstimate(country, found)
