"""What may not be posted where (selectors): honey or seeds to Australia, meat to the US.

A DestinationRule of a country refuses a product when every criterion it sets matches
(criteria are ANDed, so "group food and HS 0409" means food honey, not all food):
- `product`: that very product;
- `group`: the product's OCOP group;
- `hs_prefix`: the start of the product's HS code (dots and spaces ignored).

A gift set is refused when the set's own product matches, or when any component does; the
refusal names the component, since that is what the shopper must know ("the Tết box holds
honey"). Vietnam (domestic) and an unknown destination refuse nothing.

Queries: none without a destination; one for the country's rules; one more for the gift
sets' components, only when the cart holds a set and the country has rules. Never per line.
"""

import dataclasses
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django_countries import countries

from shop.models import DestinationRule, GiftSetComponent, Product, Variant

DOMESTIC = "VN"


@dataclasses.dataclass(frozen=True)
class Refusal:
    """A variant that may not go to `country`, the rule that says so, and the component of a
    gift set that the rule matched (None when the variant's own product did)."""

    variant: Variant
    rule: DestinationRule
    country: str
    component: Variant | None = None

    @property
    def message(self) -> str:
        """Why, in the active language (the rule's reason is translated)."""
        values = {
            "name": f"{self.variant.product.name} ({self.variant.name})",
            "country": countries.name(self.country) or self.country,
            "reason": self.rule.reason,
        }
        if self.component is not None:
            values["component"] = self.component.product.name
            return (
                _("%(name)s cannot be sent to %(country)s: it holds %(component)s. %(reason)s")
                % values
            )
        return _("%(name)s cannot be sent to %(country)s. %(reason)s") % values


def _digits(code: str) -> str:
    return "".join(ch for ch in code or "" if ch.isdigit())


def rule_matches(rule: DestinationRule, product: Product) -> bool:
    if rule.product_id is not None and rule.product_id != product.pk:
        return False
    if rule.group and rule.group != product.group:
        return False
    prefix = _digits(rule.hs_prefix)
    return not (prefix and not _digits(product.hs_code).startswith(prefix))


def _first_match(rules: list[DestinationRule], product: Product) -> DestinationRule | None:
    return next((rule for rule in rules if rule_matches(rule, product)), None)


def country_rules(country: str) -> list[DestinationRule]:
    code = (country or "").strip().upper()
    if not code or code == DOMESTIC:
        return []
    return list(DestinationRule.objects.filter(country=code).order_by("pk"))


def refused_lines(lines: Iterable, country: str) -> list[Refusal]:
    """The refused variants among `lines` for `country`, in the lines' order.

    `lines` are variants (with their product loaded) or anything with a `.variant`
    (carts.CartRow, OrderLine). Queries: see the module docstring.
    """
    variants = [getattr(line, "variant", line) for line in lines]
    variants = [v for v in variants if v is not None]
    if not variants:
        return []
    rules = country_rules(country)
    if not rules:
        return []
    code = country.strip().upper()
    sets = [v.pk for v in variants if v.product.is_gift_set]
    parts: dict[int, list[Variant]] = {}
    if sets:
        for part in GiftSetComponent.objects.filter(gift_set_id__in=sets).select_related(
            "component__product"
        ):
            parts.setdefault(part.gift_set_id, []).append(part.component)
    found = []
    for variant in variants:
        rule = _first_match(rules, variant.product)
        if rule is not None:
            found.append(Refusal(variant=variant, rule=rule, country=code))
            continue
        for component in parts.get(variant.pk, []):
            rule = _first_match(rules, component.product)
            if rule is not None:
                found.append(Refusal(variant=variant, rule=rule, country=code, component=component))
                break
    return found
