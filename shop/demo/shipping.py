"""Demo shipping: five zones, two methods each, priced by weight band. Idempotent: zones are
matched by name, methods by zone and name, rates by method and band, and brought back to
the data below."""

from decimal import Decimal

from django.db import transaction

from shop.models import ShippingMethod, ShippingRate, ShippingZone

# Weight bands (up to, in grams) and how much of the zone's 1 kg price each band costs.
BANDS = (
    (500, Decimal("0.8")),
    (1000, Decimal(1)),
    (2000, Decimal("1.6")),
    (5000, Decimal(3)),
    (10000, Decimal("5")),
)
# USD per euro and dong per USD, rounded: demo prices, not a rate feed.
EUR_PER_USD = Decimal("0.92")
VND_PER_USD = Decimal(25000)

# name, countries, is_default, (standard 1 kg USD, days), (express 1 kg USD, days)
ZONES = (
    ("Vietnam", ["VN"], False, (Decimal("2.00"), (2, 5)), (Decimal("4.00"), (1, 2))),
    (
        "Asia",
        [
            "JP",
            "KR",
            "CN",
            "TW",
            "HK",
            "MO",
            "SG",
            "TH",
            "MY",
            "ID",
            "PH",
            "KH",
            "LA",
            "MM",
            "BN",
            "IN",
            "MN",
        ],
        False,
        (Decimal("12.00"), (5, 10)),
        (Decimal("28.00"), (2, 4)),
    ),
    (
        "Europe",
        [
            "DE",
            "FR",
            "GB",
            "NL",
            "BE",
            "LU",
            "IT",
            "ES",
            "PT",
            "AT",
            "CH",
            "IE",
            "SE",
            "NO",
            "DK",
            "FI",
            "PL",
            "CZ",
            "SK",
            "HU",
            "GR",
            "SI",
            "HR",
            "RO",
            "BG",
            "EE",
            "LV",
            "LT",
        ],
        False,
        (Decimal("16.00"), (7, 14)),
        (Decimal("36.00"), (3, 5)),
    ),
    (
        "North America",
        ["US", "CA", "MX"],
        False,
        (Decimal("18.00"), (8, 15)),
        (Decimal("40.00"), (3, 6)),
    ),
    ("Rest of the world", [], True, (Decimal("22.00"), (10, 21)), (Decimal("48.00"), (4, 8))),
)
STANDARD = ("Airmail", "VNPost EMS")
EXPRESS = ("Express courier", "DHL Express")
NAMES_VI = {"Airmail": "Gửi đường hàng không", "Express courier": "Chuyển phát nhanh"}


def load_shipping() -> int:
    """Write the demo zones, methods and rates; returns how many rates there are."""
    rates = 0
    with transaction.atomic():
        for name, countries, is_default, standard, express in ZONES:
            zone, _ = ShippingZone.objects.update_or_create(
                name=name, defaults={"countries": countries, "is_default": is_default}
            )
            for (method_name, carrier), (price, (low, high)) in (
                (STANDARD, standard),
                (EXPRESS, express),
            ):
                method, _ = ShippingMethod.objects.update_or_create(
                    zone=zone,
                    name=method_name,
                    defaults={
                        "name_vi": NAMES_VI[method_name],
                        "carrier": carrier,
                        "delivery_days_min": low,
                        "delivery_days_max": high,
                        "is_active": True,
                    },
                )
                for max_grams, factor in BANDS:
                    usd = (price * factor).quantize(Decimal("0.01"))
                    ShippingRate.objects.update_or_create(
                        method=method,
                        max_weight_grams=max_grams,
                        defaults={
                            "price_usd": usd,
                            "price_eur": (usd * EUR_PER_USD).quantize(Decimal("0.01")),
                            "price_vnd": (usd * VND_PER_USD).quantize(Decimal(1)),
                        },
                    )
                    rates += 1
    return rates
