"""Reads for shipping: which methods reach a country, and what a parcel of a weight costs.

A country belongs to the zone that lists it, else to the default ("rest of the world") zone.
A method's price is its lightest weight band that fits the parcel; a parcel heavier than
every band cannot go by that method. Three queries whatever the number of zones and rates.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from shop.models import ShippingMethod, ShippingRate, ShippingZone


@dataclass(frozen=True)
class ShippingOption:
    """A method a parcel can go by, and its price in the asked currency."""

    method: ShippingMethod
    price: Decimal
    currency: str

    @property
    def pk(self) -> int:
        return self.method.pk


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


def options_for(*, country: str, weight_grams: int, currency: str) -> list[ShippingOption]:
    """Active methods that reach `country` with a parcel of `weight_grams`, cheapest first."""
    zone = zone_for(_zones(), country)
    if zone is None:
        return []
    options = []
    for method in zone.active_methods:
        rate = rate_for(method, weight_grams)
        if rate is not None:
            options.append(ShippingOption(method, rate.price(currency), currency))
    return sorted(options, key=lambda o: (o.price, o.method.delivery_days_max, o.method.pk))


def option_for(
    *, method_id: int | None, country: str, weight_grams: int, currency: str
) -> ShippingOption | None:
    """The option for one method, or None when it does not reach the country with that
    parcel (another zone's method, inactive, or too heavy)."""
    return next(
        (
            o
            for o in options_for(country=country, weight_grams=weight_grams, currency=currency)
            if o.pk == method_id
        ),
        None,
    )
