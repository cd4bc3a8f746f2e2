"""Customs papers of a shipment abroad: what a CN22 or CN23 declares (a selector).

UPU Letter/Parcel Post Regulations: a postal item of goods leaving Vietnam carries a CN22
when its contents are worth at most 300 SDR and it weighs at most 2 kg (the letter-post
small-packet limit), else a CN23. The declaration lists each article with its English
customs description, HS code, quantity, net weight, value (in the order's currency, what
the buyer paid for the goods, shipping apart), origin (Vietnam, where every OCOP product is
made) and lot codes; the sender is the cooperative that packs the parcel, the addressee the
order's shipping address, and the category "Gift" for a gift order, else "Sale of goods".

Gift boxes: customs must be told what is inside, not just "gift box" (UPU asks for a
detailed description of each article, and the components are what destination rules and
duties look at). So a gift-box line is declared as its components: each with its own
description, HS code and net weight, its quantity (units per box × boxes), a share of the
box's price in proportion to the components' own prices (the remainder of rounding on the
last one, so the shares add up to the line), the component lots its box lots were
assembled from, and the box lot codes, so a recall of either finds the parcel's paper.

Net weight is Variant.net_weight_grams; a variant without one is declared at its shipping
weight (heavier, never lighter, than the truth). The gross weight of the parcel is the sum
of the lines' shipping weights (Variant.weight_grams).
"""

import dataclasses
from decimal import Decimal

from django.db.models import Prefetch

from shop import currency_rates
from shop.models import (
    AllocationState,
    AssemblyInput,
    GiftSetComponent,
    OrderLine,
    OrderLineBatch,
    Shipment,
    Variant,
)
from shop.money import quantize

DOMESTIC = "VN"
ORIGIN = "VN"
CN22 = "CN22"
CN23 = "CN23"
CN22_MAX_GRAMS = 2000
CN22_MAX_SDR = Decimal(300)
# 1 SDR in each shop currency. USD and EUR: IMF "Currency units per SDR", 20 October 2025
# (1.36568 USD, 1.17176 EUR). VND (the IMF does not quote it): 1.36568 USD × about 26,300
# VND per USD (Vietcombank's selling rate, October 2025). Refresh them with the date when
# they drift: a parcel close to the limit is the only thing they change.
SDR_RATES_ON = "2025-10-20"
SDR_RATES: dict[str, Decimal] = {
    "USD": Decimal("1.36568"),
    "EUR": Decimal("1.17176"),
    "VND": Decimal("35900"),
}


def sdr_rate(currency: str) -> Decimal:
    """1 SDR in `currency`; JPY and KRW through USD at the shop's own rate
    (shop.currency_rates), the rate their prices were converted at."""
    if currency in SDR_RATES:
        return SDR_RATES[currency]
    return SDR_RATES["USD"] * currency_rates.rate(currency)


CATEGORY_GIFT = "Gift"
CATEGORY_SALE = "Sale of goods"
LIVE_STATES = (AllocationState.ALLOCATED, AllocationState.SOLD)


class CustomsError(Exception):
    pass


class DomesticShipment(CustomsError):
    """The parcel stays in Vietnam: it needs no customs declaration."""


@dataclasses.dataclass(frozen=True)
class Party:
    name: str
    lines: tuple[str, ...]
    phone: str = ""
    email: str = ""


@dataclasses.dataclass(frozen=True)
class DeclaredItem:
    description: str
    hs_code: str
    quantity: int
    net_weight_grams: int
    value: Decimal
    lots: tuple[str, ...]
    # The order line's name in the order's language (Vietnamese names keep their marks).
    name: str = ""
    # For a gift box's component: the box lots it travels in.
    box_lots: tuple[str, ...] = ()
    origin: str = ORIGIN


@dataclasses.dataclass(frozen=True)
class Declaration:
    form: str
    order_number: str
    currency: str
    category: str
    sender: Party
    addressee: Party
    items: tuple[DeclaredItem, ...]
    gross_weight_grams: int
    # The order's shipping charge, when this parcel carries the whole order.
    postal_charges: Decimal | None = None

    @property
    def total_value(self) -> Decimal:
        return quantize(sum((i.value for i in self.items), Decimal(0)), self.currency)

    @property
    def net_weight_grams(self) -> int:
        return sum(item.net_weight_grams for item in self.items)

    @property
    def total_value_sdr(self) -> Decimal:
        return (self.total_value / sdr_rate(self.currency)).quantize(Decimal("0.01"))


def form_for(*, value: Decimal, currency: str, gross_weight_grams: int) -> str:
    """CN22 up to 300 SDR and 2 kg (both limits included), else CN23."""
    limit = CN22_MAX_SDR * sdr_rate(currency)
    if value <= limit and gross_weight_grams <= CN22_MAX_GRAMS:
        return CN22
    return CN23


def declaration(*, shipment_id: int) -> Declaration:
    """What the customs form of one shipment declares. Raises Shipment.DoesNotExist, or
    DomesticShipment for a parcel to a Vietnamese address. Reads only, in six queries
    however many lines: the shipment, its lines, their lots, the gift sets' components,
    the box lots' component lots, whether other parcels share the order."""
    shipment = Shipment.objects.select_related(
        "order__shipping_address", "cooperative__province", "cooperative__village"
    ).get(pk=shipment_id)
    order = shipment.order
    address = order.shipping_address
    if str(address.country) == DOMESTIC:
        raise DomesticShipment(order.number)
    allocations = OrderLineBatch.objects.filter(state__in=LIVE_STATES).select_related("batch")
    lines = list(
        OrderLine.objects.filter(shipment=shipment)
        .select_related("variant__product")
        .prefetch_related(Prefetch("batches", queryset=allocations, to_attr="live_batches"))
        .order_by("pk")
    )
    set_ids = [line.variant_id for line in lines if line.is_gift_set and line.variant_id]
    recipes: dict[int, list[GiftSetComponent]] = {}
    for part in GiftSetComponent.objects.filter(gift_set_id__in=set_ids).select_related(
        "component__product"
    ):
        recipes.setdefault(part.gift_set_id, []).append(part)
    box_ids = [a.batch_id for line in lines if line.is_gift_set for a in line.live_batches]
    component_lots = _component_lots(box_ids) if box_ids else {}
    items: list[DeclaredItem] = []
    for line in lines:
        lots = tuple(sorted({a.batch.lot_code for a in line.live_batches}))
        if line.is_gift_set and recipes.get(line.variant_id):
            box_ids_of_line = [a.batch_id for a in line.live_batches]
            items.extend(
                _components(line, recipes[line.variant_id], lots, box_ids_of_line, component_lots)
            )
        else:
            items.append(_item(line, lots))
    gross = sum(
        (line.variant.weight_grams if line.variant else 0) * line.quantity for line in lines
    )
    value = quantize(sum((line.line_total for line in lines), Decimal(0)), order.currency)
    whole_order = not OrderLine.objects.filter(order=order).exclude(shipment=shipment).exists()
    return Declaration(
        form=form_for(value=value, currency=order.currency, gross_weight_grams=gross),
        order_number=order.number,
        currency=order.currency,
        category=CATEGORY_GIFT if order.is_gift else CATEGORY_SALE,
        sender=_sender(shipment),
        addressee=Party(
            name=address.full_name,
            lines=tuple(address.as_lines(name=False)),
            phone=address.phone,
            email=order.email,
        ),
        items=tuple(items),
        gross_weight_grams=gross,
        postal_charges=order.shipping_total if whole_order else None,
    )


def _component_lots(box_ids: list[int]) -> dict[tuple[int, int], tuple[str, ...]]:
    """(box lot id, component variant id) -> the component lot codes that went into it."""
    found: dict[tuple[int, int], set[str]] = {}
    rows = AssemblyInput.objects.filter(run__box_batch_id__in=box_ids).values_list(
        "run__box_batch_id", "batch__variant_id", "batch__lot_code"
    )
    for box_id, variant_id, lot_code in rows:
        found.setdefault((box_id, variant_id), set()).add(lot_code)
    return {key: tuple(sorted(codes)) for key, codes in found.items()}


def _sender(shipment: Shipment) -> Party:
    cooperative = shipment.cooperative
    lines = [cooperative.address]
    for place in (cooperative.village.name, cooperative.province.name):
        if place and place not in cooperative.address:
            lines.append(place)
    lines.append("Viet Nam")
    return Party(
        name=cooperative.name,
        lines=tuple(lines),
        phone=cooperative.contact_phone,
        email=cooperative.contact_email,
    )


def _net(variant: Variant | None) -> int:
    if variant is None:
        return 0
    return variant.net_weight_grams or variant.weight_grams


def _describe(variant: Variant | None, fallback: str) -> tuple[str, str]:
    if variant is None:
        return fallback, ""
    product = variant.product
    description = product.customs_description or getattr(product, "name_en", "") or fallback
    return description, product.hs_code


def _item(line: OrderLine, lots: tuple[str, ...]) -> DeclaredItem:
    description, hs_code = _describe(line.variant, line.product_name)
    return DeclaredItem(
        description=description,
        hs_code=hs_code,
        quantity=line.quantity,
        net_weight_grams=_net(line.variant) * line.quantity,
        value=quantize(line.line_total, line.currency),
        lots=lots,
        name=f"{line.product_name} ({line.variant_name})",
    )


def _components(
    line: OrderLine,
    recipe: list[GiftSetComponent],
    box_lots: tuple[str, ...],
    box_ids: list[int],
    component_lots: dict[tuple[int, int], tuple[str, ...]],
) -> list[DeclaredItem]:
    currency = line.currency
    weights = [part.component.price(currency) * part.quantity for part in recipe]
    whole = sum(weights, Decimal(0)) or Decimal(1)
    items, given = [], Decimal(0)
    for index, (part, weight) in enumerate(zip(recipe, weights, strict=True)):
        if index == len(recipe) - 1:
            share = line.line_total - given
        else:
            share = quantize(line.line_total * weight / whole, currency)
            given += share
        description, hs_code = _describe(part.component, part.component.product.name)
        lots = sorted(
            {code for box in box_ids for code in component_lots.get((box, part.component_id), ())}
        )
        units = part.quantity * line.quantity
        items.append(
            DeclaredItem(
                description=description,
                hs_code=hs_code,
                quantity=units,
                net_weight_grams=_net(part.component) * units,
                value=quantize(share, currency),
                lots=tuple(lots),
                name=f"{line.product_name}: {part.component.product.name}",
                box_lots=box_lots,
            )
        )
    return items
