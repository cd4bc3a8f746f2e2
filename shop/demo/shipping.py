"""Demo shipping: five zones, two methods each, priced by weight band, free over a threshold
per zone, and the days the cooperatives send nothing (Tết, national holidays). Idempotent:
zones are matched by name, methods by zone and name, rates by method and band (bands no
longer in the data are removed), closures by English name and first day, and brought back
to the data below."""

import datetime
from decimal import Decimal

from django.db import transaction

from shop.models import DispatchClosure, ShippingMethod, ShippingRate, ShippingZone

# Weight bands (up to, in grams) and how much of the zone's 1 kg price each band costs.
BANDS = (
    (500, Decimal("0.8")),
    (1000, Decimal(1)),
    (2000, Decimal("1.6")),
    (5000, Decimal(3)),
    (10000, Decimal("5")),
)
# Airmail small packets stop at 2 kg (a heavier cart goes as up to 5 of them: 30 pouches of
# tea to Germany are two); the courier takes 10 kg a parcel, 3 parcels an order.
AIRMAIL_BANDS = BANDS[:3]
MAX_PARCELS = {"Airmail": 5, "Express courier": 3}
# Goods from this much (VND, USD, EUR) ship free by the zone's cheapest method.
FREE_OVER = {
    "Vietnam": (Decimal(500000), Decimal("20.00"), Decimal("18.00")),
    "Asia": (Decimal(2250000), Decimal("90.00"), Decimal("85.00")),
    "Europe": (Decimal(2500000), Decimal("100.00"), Decimal("95.00")),
    "North America": (Decimal(3000000), Decimal("120.00"), Decimal("110.00")),
}
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
            free_vnd, free_usd, free_eur = FREE_OVER.get(name, (None, None, None))
            zone, _ = ShippingZone.objects.update_or_create(
                name=name,
                defaults={
                    "countries": countries,
                    "is_default": is_default,
                    "free_over_vnd": free_vnd,
                    "free_over_usd": free_usd,
                    "free_over_eur": free_eur,
                },
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
                        "max_parcels": MAX_PARCELS[method_name],
                    },
                )
                bands = AIRMAIL_BANDS if method_name == "Airmail" else BANDS
                method.rates.exclude(max_weight_grams__in=[b for b, _ in bands]).delete()
                for max_grams, factor in bands:
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
        load_closures()
    return rates


# (English name, Vietnamese name, first day, last day, is Tết). Lunar New Year is 6 February
# 2027 and 26 January 2028; Hùng Kings' day is the 10th of the third lunar month.
CLOSURES = (
    ("New Year's Day", "Tết Dương lịch", (2027, 1, 1), (2027, 1, 1), False),
    ("Lunar New Year (Tết)", "Tết Nguyên đán", (2027, 2, 3), (2027, 2, 12), True),
    ("Hùng Kings' Commemoration", "Giỗ Tổ Hùng Vương", (2027, 4, 16), (2027, 4, 16), False),
    (
        "Reunification Day and Labour Day",
        "Ngày Giải phóng miền Nam và Quốc tế Lao động",
        (2027, 4, 30),
        (2027, 5, 1),
        False,
    ),
    ("National Day", "Quốc khánh", (2027, 9, 2), (2027, 9, 3), False),
    ("New Year's Day", "Tết Dương lịch", (2028, 1, 1), (2028, 1, 1), False),
    ("Lunar New Year (Tết)", "Tết Nguyên đán", (2028, 1, 22), (2028, 1, 31), True),
    ("Hùng Kings' Commemoration", "Giỗ Tổ Hùng Vương", (2028, 4, 4), (2028, 4, 4), False),
    (
        "Reunification Day and Labour Day",
        "Ngày Giải phóng miền Nam và Quốc tế Lao động",
        (2028, 4, 30),
        (2028, 5, 1),
        False,
    ),
    ("National Day", "Quốc khánh", (2028, 9, 1), (2028, 9, 2), False),
)


def load_closures() -> int:
    """Write the demo dispatch closures; returns how many there are."""
    with transaction.atomic():
        for name_en, name_vi, starts, ends, is_tet in CLOSURES:
            DispatchClosure.objects.update_or_create(
                name_en=name_en,
                starts_on=datetime.date(*starts),
                defaults={
                    "name": name_en,
                    "name_vi": name_vi,
                    "ends_on": datetime.date(*ends),
                    "is_tet": is_tet,
                },
            )
    return len(CLOSURES)
