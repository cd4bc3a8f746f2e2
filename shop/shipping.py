"""Reads for shipping: which methods reach a country, how a cart goes as parcels, and what
that costs.

Zones. A country belongs to the zone that lists it, else to the default ("rest of the
world") zone.

Parcels. A method's heaviest weight band is the most one parcel may weigh. A cart heavier
than that goes as several parcels, packed by unit so a jar or a pouch is never cut in two:
first-fit decreasing (the units, heaviest first, each go into the first parcel with room,
else into a new one). That is what a packer does by hand, and never needs more than
11/9 of the fewest possible parcels plus one; for the shop's carts of a few unit weights it
finds the fewest. A method takes the cart when the packing needs at most its max_parcels,
and costs the sum of each parcel's band price (a parcel's band is the lightest that fits
it). A unit heavier than the heaviest band cannot go by that method at all.

Free shipping. When the goods' subtotal reaches the zone's free_over_<currency>, the
cheapest option ships free (`is_free`, price 0); faster methods keep their price.

Refusal. When no method takes the cart, `quote` says so with an Unshippable: the most the
zone's best method takes (heaviest band x max_parcels) and how much weight to take out.

Three queries whatever the number of zones, methods and rates.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from babel.numbers import format_decimal
from django.db.models import Prefetch
from django.utils.translation import get_language, gettext, ngettext
from django_countries import countries

from shop.models import ShippingMethod, ShippingRate, ShippingZone
from shop.money import column_price, quantize

# (weight of one unit in grams, how many units)
Item = tuple[int, int]


@dataclass(frozen=True)
class ShippingOption:
    """A method the cart can go by, as `parcels` parcels, and its price in the currency."""

    method: ShippingMethod
    price: Decimal
    currency: str
    parcels: int = 1
    # The zone's free-shipping threshold was reached: the page says "Free shipping".
    is_free: bool = False

    @property
    def pk(self) -> int:
        return self.method.pk


@dataclass(frozen=True)
class Unshippable:
    """Why no method takes the cart to `country`: `limit_grams` is the most the zone's best
    method takes in all (0 when nothing reaches the country, or a single unit is heavier
    than any parcel may be)."""

    country: str
    weight_grams: int
    limit_grams: int = 0
    parcel_grams: int = 0
    max_parcels: int = 0

    @property
    def excess_grams(self) -> int:
        """At least this much weight must come out of the cart (one unit's worth when the
        total fits but the units do not pack into the parcels allowed)."""
        return max(self.weight_grams - self.limit_grams, 0)

    @property
    def message(self) -> str:
        """The answer shown in the cart and at checkout, in the active language."""
        name = countries.name(self.country) or self.country
        if not self.limit_grams:
            return gettext("We cannot ship this parcel to %(country)s yet.") % {"country": name}
        values = {
            "country": name,
            "limit": format_weight(self.limit_grams),
            "parcels": self.max_parcels,
            "parcel": format_weight(self.parcel_grams),
            "weight": format_weight(self.weight_grams),
            "excess": format_weight(self.excess_grams),
        }
        if not self.excess_grams:
            return (
                gettext(
                    "Parcels to %(country)s can weigh at most %(limit)s in all (%(parcels)d "
                    "parcels of %(parcel)s), and your items do not pack into them: remove "
                    "one or two items to ship your cart."
                )
                % values
            )
        return (
            ngettext(
                "Parcels to %(country)s can weigh at most %(limit)s in all (%(parcels)d parcel "
                "of %(parcel)s). Your cart weighs %(weight)s: remove at least %(excess)s to "
                "ship it.",
                "Parcels to %(country)s can weigh at most %(limit)s in all (%(parcels)d "
                "parcels of %(parcel)s). Your cart weighs %(weight)s: remove at least "
                "%(excess)s to ship it.",
                self.max_parcels,
            )
            % values
        )


@dataclass(frozen=True)
class ShippingQuote:
    """Every option for the cart, cheapest first, or why there is none."""

    options: list[ShippingOption] = field(default_factory=list)
    unshippable: Unshippable | None = None
    # The zone's free-shipping threshold in the currency (None: never free).
    free_over: Decimal | None = None

    @property
    def cheapest(self) -> ShippingOption | None:
        return self.options[0] if self.options else None


def format_weight(grams: int) -> str:
    """'3.6 kg' / '3,6 kg' / '850 g' in the active language."""
    language = (get_language() or "en")[:2]
    if grams < 1000:
        return f"{format_decimal(grams, locale=_locale(language))} g"
    kilograms = Decimal(grams) / 1000
    return f"{format_decimal(kilograms, format='#,##0.##', locale=_locale(language))} kg"


def _locale(language: str) -> str:
    return {"vi": "vi_VN", "de": "de_DE"}.get(language, "en_GB")


def items_of(rows: Iterable) -> list[Item]:
    """(unit weight, quantity) of cart rows (anything with `.variant` and `.quantity`)."""
    return [(row.variant.weight_grams, row.quantity) for row in rows]


def _zones() -> list[ShippingZone]:
    active = ShippingMethod.objects.filter(is_active=True).prefetch_related(
        Prefetch("rates", queryset=ShippingRate.objects.order_by("max_weight_grams"))
    )
    return list(
        ShippingZone.objects.prefetch_related(
            Prefetch("methods", queryset=active.order_by("pk"), to_attr="active_methods")
        )
    )


def zone_for(zones: list[ShippingZone], country: str) -> ShippingZone | None:
    """The zone that lists `country`, else the default zone (None when there is neither)."""
    code = str(country).upper()
    for zone in zones:
        if code in {str(c.code) for c in zone.countries}:
            return zone
    return next((zone for zone in zones if zone.is_default), None)


def rate_for(method: ShippingMethod, weight_grams: int) -> ShippingRate | None:
    """The lightest band of a prefetched method that takes the parcel."""
    return next((r for r in method.rates.all() if r.max_weight_grams >= weight_grams), None)


def pack(items: Iterable[Item], *, capacity: int, limit: int) -> list[int] | None:
    """The weights of the parcels the units go in, first-fit decreasing, each at most
    `capacity` grams; None when a unit is heavier than `capacity` or more than `limit`
    parcels would be needed."""
    parcels: list[int] = []
    for unit, quantity in sorted(items, key=lambda item: -item[0]):
        if unit > capacity:
            return None
        for _ in range(quantity):
            at = next((i for i, weight in enumerate(parcels) if weight + unit <= capacity), None)
            if at is None:
                if len(parcels) == limit:
                    return None
                parcels.append(unit)
            else:
                parcels[at] += unit
    return parcels or [0]


def _option(method: ShippingMethod, items: Sequence[Item], currency: str) -> ShippingOption | None:
    bands = list(method.rates.all())
    if not bands:
        return None
    parcels = pack(items, capacity=bands[-1].max_weight_grams, limit=method.max_parcels)
    if parcels is None:
        return None
    price = sum((rate_for(method, weight).price(currency) for weight in parcels), Decimal(0))
    return ShippingOption(method, quantize(price, currency), currency, parcels=len(parcels))


def _threshold(zone: ShippingZone, currency: str) -> Decimal | None:
    # JPY/KRW thresholds are the zone's USD threshold converted (shop.currencies).
    return column_price(zone, "free_over", currency)


def quote(
    *,
    country: str,
    currency: str,
    items: Sequence[Item],
    subtotal: Decimal | None = None,
) -> ShippingQuote:
    """The active methods that take these units to `country`, cheapest first (the cheapest
    free when `subtotal` reaches the zone's threshold), or an Unshippable saying why none
    does. Three queries."""
    items = [(int(unit), int(quantity)) for unit, quantity in items if quantity > 0]
    weight = sum(unit * quantity for unit, quantity in items)
    zone = zone_for(_zones(), country)
    if zone is None:
        return ShippingQuote(unshippable=Unshippable(str(country).upper(), weight))
    options = [
        option
        for option in (_option(method, items, currency) for method in zone.active_methods)
        if option is not None
    ]
    options.sort(key=lambda o: (o.price, o.method.delivery_days_max, o.method.pk))
    threshold = _threshold(zone, currency)
    if options and subtotal is not None and threshold is not None and subtotal >= threshold:
        options[0] = replace(options[0], price=quantize(0, currency), is_free=True)
    if options:
        return ShippingQuote(options=options, free_over=threshold)
    return ShippingQuote(unshippable=_refusal(zone, str(country).upper(), items, weight))


def _refusal(zone: ShippingZone, country: str, items: list[Item], weight: int) -> Unshippable:
    heaviest_unit = max((unit for unit, _ in items), default=0)
    best = None
    for method in zone.active_methods:
        bands = list(method.rates.all())
        if bands and bands[-1].max_weight_grams >= heaviest_unit:
            capacity = bands[-1].max_weight_grams
            if best is None or capacity * method.max_parcels > best[0] * best[1]:
                best = (capacity, method.max_parcels)
    if best is None:
        return Unshippable(country, weight)
    capacity, max_parcels = best
    return Unshippable(country, weight, capacity * max_parcels, capacity, max_parcels)


def options_for(
    *,
    country: str,
    currency: str,
    items: Sequence[Item] | None = None,
    weight_grams: int | None = None,
    subtotal: Decimal | None = None,
) -> list[ShippingOption]:
    """Active methods that reach `country` with these units, cheapest first (see `quote`).
    `weight_grams` alone stands for one unit that cannot be split."""
    if items is None:
        items = [(weight_grams or 0, 1)]
    return quote(country=country, currency=currency, items=items, subtotal=subtotal).options


def option_for(
    *,
    method_id: int | None,
    country: str,
    currency: str,
    items: Sequence[Item] | None = None,
    weight_grams: int | None = None,
    subtotal: Decimal | None = None,
) -> ShippingOption | None:
    """The option for one method, or None when it does not reach the country with these
    units (another zone's method, inactive, too heavy or too many parcels)."""
    options = options_for(
        country=country,
        currency=currency,
        items=items,
        weight_grams=weight_grams,
        subtotal=subtotal,
    )
    return next((o for o in options if o.pk == method_id), None)
