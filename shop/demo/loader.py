"""Loads the demo shop: cooperatives, products, variants, batches, pictures and two logins.

Idempotent. Rows are matched by slug, SKU and lot code and brought back to the data (a row
already equal to it is not written at all); a batch that exists is never received again,
so the stock ledger only grows the first time. Dates are relative to the day of the first
load: certificates and batches keep the dates they were created with.
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from vietnam_provinces import Ward

from shop import inventory
from shop.demo import pictures, timelines
from shop.demo.accounts import Login, ensure_login
from shop.demo.cooperatives import BRANDS
from shop.demo.currencies import load_currency_rates
from shop.demo.data import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    CATALOGUE,
    COOPERATIVES,
    STAFF_COOPERATIVE,
    STAFF_EMAIL,
    STAFF_PASSWORD,
)
from shop.demo.destination_rules import load_destination_rules
from shop.demo.gift_sets import (
    assemble_gift_boxes,
    load_gift_set_components,
    plan_gift_boxes,
    transfers_by_lot,
)
from shop.demo.shipping import load_shipping
from shop.demo.specs import CooperativeSpec, ProductSpec, VariantSpec, VillageSpec
from shop.demo.stock import plan_batches
from shop.demo.taxes import load_taxes
from shop.message_codes import coded
from shop.models import Batch, Cooperative, MovementKind, Product, Variant
from shop.models.catalogue import OCOP_CERTIFICATE_MONTHS, add_months
from traceability import locations, receipts
from traceability.gs1 import check_digit
from traceability.models import EventKind, Province, Village

SALES_REASON = coded("demo_sold_before")
RECEIVED_REASON = coded("demo_opening_stock")


class DemoDataError(Exception):
    """The database cannot take the demo data (provinces missing: migrate first; or a row
    of the data clashes with one already there). Nothing was written."""


@dataclass(frozen=True)
class DemoSummary:
    cooperatives: int
    provinces: int
    products: int
    gift_sets: int
    variants: int
    batches: int
    batches_received: int
    logins: tuple[Login, ...]


def load_demo(*, today: datetime.date | None = None, reset_passwords: bool = False) -> DemoSummary:
    """Write the demo catalogue, stock and logins in one transaction.

    New batches are received through traceability.receipts.receive_lot (one `received`
    movement and the harvest event each) and the units sold before the demo are recorded as
    `sold` movements, under the batch locks; each gets the rest of its timeline, three to six
    events with photos (shop.demo.timelines). Gift sets' box lots are assembled from
    component lots (shop.fulfilment.assembly), then packed and shipped.
    Picture files are written to the default storage before their rows point at them.
    Raises DemoDataError when a province or commune of the data is unknown.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        cooperatives = {spec.slug: _load_cooperative(spec) for spec in COOPERATIVES}
        gs1_prefixes = {spec.slug: spec.gs1_prefix for spec in COOPERATIVES}
        opened: list[Batch] = []
        for spec in CATALOGUE:
            cooperative = cooperatives[spec.cooperative]
            product = _load_product(spec, cooperative, today)
            second_village = (
                _load_village(spec.second_village, cooperative.province)
                if spec.second_village
                else cooperative.village
            )
            villages = (cooperative.village, second_village)
            net_weights = dict(zip(spec.variants, spec.net_weights, strict=False))
            for variant_spec in spec.variants:
                variant = _load_variant(
                    variant_spec,
                    product,
                    gs1_prefixes[spec.cooperative],
                    net_weight_grams=net_weights.get(variant_spec),
                )
                if not spec.is_gift_set:  # gift sets get box lots, assembled below
                    opened += _receive_batches(spec, variant_spec, variant, villages, today)
        load_gift_set_components()
        runs = plan_gift_boxes()
        _write_timelines(opened, transfers=transfers_by_lot(runs), now=now)
        received = len(opened) + assemble_gift_boxes(runs, now=now)
        _backfill_timelines(now=now)
        load_shipping()
        load_taxes()
        load_currency_rates()
        load_destination_rules()
        logins = (
            ensure_login(
                role="admin",
                email=ADMIN_EMAIL,
                password=ADMIN_PASSWORD,
                superuser=True,
                cooperative=None,
                reset_password=reset_passwords,
            ),
            ensure_login(
                role="cooperative staff",
                email=STAFF_EMAIL,
                password=STAFF_PASSWORD,
                superuser=False,
                cooperative=cooperatives[STAFF_COOPERATIVE.slug],
                reset_password=reset_passwords,
            ),
        )
    demo_products = Product.objects.filter(slug__in=[spec.slug for spec in CATALOGUE])
    return DemoSummary(
        cooperatives=len(cooperatives),
        provinces=len({c.province_id for c in cooperatives.values()}),
        products=demo_products.filter(is_gift_set=False).count(),
        gift_sets=demo_products.filter(is_gift_set=True).count(),
        variants=Variant.objects.filter(product__in=demo_products).count(),
        batches=Batch.objects.filter(variant__product__in=demo_products).count(),
        batches_received=received,
        logins=logins,
    )


def gtin_13(prefix: str, item: int) -> str:
    """A GTIN-13 under a GS1 Vietnam (893) company prefix, with its check digit."""
    body = f"{prefix}{item:0{12 - len(prefix)}d}"
    return f"{body}{check_digit(body)}"


def _upsert(
    model: type[models.Model], *, lookup: dict, values: dict, create_values: dict | None = None
):
    """Find the row by `lookup`; write it only if it is new or differs from `values`.

    `create_values` are set on a new row only (dates relative to the first load). A row the
    model refuses (say, another product already holds a demo GTIN) raises DemoDataError.
    """
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values, **(create_values or {}))
    else:
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if not changed:
            return instance
        for name in changed:
            setattr(instance, name, values[name])
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise DemoDataError(f"{model.__name__} {lookup}: {exc.messages}") from exc
    instance.save()
    return instance


def _province(codename: str) -> Province:
    try:
        return Province.objects.get(codename=codename)
    except Province.DoesNotExist as exc:
        raise DemoDataError(
            f"Province {codename!r} is missing: run `manage.py migrate` first."
        ) from exc


def _ward_code(province: Province, commune: str) -> int:
    for ward in Ward.iter_by_province(province.code):
        if ward.name == commune:
            return int(ward.code)
    raise DemoDataError(f"{commune!r} is not a commune of {province.name}.")


def _load_village(spec: VillageSpec, province: Province) -> Village:
    """The village, numbered with a GLN (its location trace code) if it has none yet."""
    village = _upsert(
        Village,
        lookup={"province": province, "name": spec.name},
        values={
            "commune": spec.commune,
            "ward_code": _ward_code(province, spec.commune),
            "latitude": Decimal(spec.latitude),
            "longitude": Decimal(spec.longitude),
        },
    )
    locations.assign_village_gln(village=village)
    return village


def cooperative_gln(gs1_prefix: str) -> str:
    """The cooperative's own GLN: location reference 0 under its GS1 company prefix."""
    body = gs1_prefix.ljust(12, "0")
    return f"{body}{check_digit(body)}"


def _load_cooperative(spec: CooperativeSpec) -> Cooperative:
    province = _province(spec.province)
    village = _load_village(spec.village, province)
    svg = pictures.label_svg(
        slug=spec.slug,
        motif="cooperative",
        title=spec.name,
        subtitle=f"{village.name} · {province.name}",
        # "HTX" (hợp tác xã, cooperative) starts every name; the trade after it tells them apart.
        initial=spec.name.removeprefix("HTX "),
    )
    return _upsert(
        Cooperative,
        lookup={"slug": spec.slug},
        values={
            "name": spec.name,
            "province": province,
            "village": village,
            "address": spec.address,
            "story_en": spec.story_en,
            "story_vi": spec.story_vi,
            "contact_email": spec.email,
            "contact_phone": spec.phone,
            "gln": cooperative_gln(spec.gs1_prefix),
            "photo": pictures.store(name=f"cooperatives/{spec.slug}.svg", content=svg),
        },
    )


def _load_product(spec: ProductSpec, cooperative: Cooperative, today: datetime.date) -> Product:
    certified = today - datetime.timedelta(days=spec.certified_days_ago)
    svg = pictures.label_svg(
        slug=spec.slug,
        motif=spec.group,
        title=spec.name_vi,
        subtitle=spec.name_en,
        stars=spec.ocop_stars,
    )
    return _upsert(
        Product,
        lookup={"slug": spec.slug},
        values={
            "cooperative": cooperative,
            "group": spec.group,
            "is_gift_set": spec.is_gift_set,
            "name_en": spec.name_en,
            "name_vi": spec.name_vi,
            "description_en": spec.description_en,
            "description_vi": spec.description_vi,
            "story_en": spec.story_en,
            "story_vi": spec.story_vi,
            "hs_code": spec.hs_code,
            "customs_description": spec.customs_description,
            "tax_category": spec.tax_category,
            "brand": BRANDS[spec.cooperative],
            "ocop_stars": spec.ocop_stars,
            "ocop_decision_number": spec.ocop_decision_number,
            "is_published": True,
            "photo": pictures.store(name=f"products/{spec.slug}.svg", content=svg),
        },
        create_values={
            "ocop_certified_on": certified,
            "ocop_valid_until": add_months(certified, OCOP_CERTIFICATE_MONTHS),
        },
    )


def _load_variant(
    spec: VariantSpec, product: Product, gs1_prefix: str, *, net_weight_grams: int | None = None
) -> Variant:
    return _upsert(
        Variant,
        lookup={"sku": spec.sku},
        values={
            "product": product,
            "name_en": spec.name_en,
            "name_vi": spec.name_vi,
            "gtin": gtin_13(gs1_prefix, spec.item).zfill(14),
            "weight_grams": spec.weight_grams,
            "net_weight_grams": net_weight_grams,
            "price_vnd": Decimal(spec.price_vnd),
            "price_usd": Decimal(spec.price_usd),
            "price_eur": Decimal(spec.price_eur),
        },
    )


def _receive_batches(
    product: ProductSpec,
    spec: VariantSpec,
    variant: Variant,
    villages: tuple[Village, Village],
    today: datetime.date,
) -> list[Batch]:
    """Receive the planned batches this variant does not have yet (through
    traceability.receipts.receive_lot, which opens each trace record with its harvest);
    returns them.

    `villages` are the cooperative's own and the product's second village of origin.
    """
    existing = set(Batch.objects.filter(variant=variant).values_list("lot_code", flat=True))
    received = []
    for plan in plan_batches(product=product, variant=spec, today=today):
        if plan.lot_code in existing:
            continue
        batch = receipts.receive_lot(
            variant=variant,
            lot_code=plan.lot_code,
            harvest_date=plan.harvest_date,
            packing_date=plan.packing_date,
            best_before=plan.best_before,
            village=villages[1] if plan.from_second_village else villages[0],
            quantity=plan.quantity,
            reason=RECEIVED_REASON,
            **timelines.harvest_details(product.slug, product.group),
        )
        if plan.sold:
            inventory.record_movement(
                batch_id=batch.pk, kind=MovementKind.SOLD, quantity=-plan.sold, reason=SALES_REASON
            )
        received.append(batch)
    return received


def _write_timelines(
    batches: list[Batch], *, transfers: Counter[int], now: datetime.datetime
) -> None:
    """The stages after the harvest of each newly received batch (shop.demo.timelines)."""
    for batch in batches:
        product = batch.variant.product
        timelines.write_timeline(
            batch=batch,
            slug=product.slug,
            group=product.group,
            cooperative=product.cooperative,
            now=now,
            transfers=transfers[batch.pk],
        )


def _backfill_timelines(*, now: datetime.datetime) -> None:
    """Timelines for demo lots loaded before the demo wrote them: a lot with no event gets
    its whole timeline, a box lot with only its assembly gets packing and shipping. Once
    written, a lot has events, so a later load finds nothing to do here."""
    demo = Batch.objects.filter(variant__sku__in=[v.sku for p in CATALOGUE for v in p.variants])
    untold = (
        demo.annotate(
            events=Count("trace_events"),
            assemblies=Count("trace_events", filter=Q(trace_events__kind=EventKind.TRANSFORMATION)),
            last=Max("trace_events__occurred_at"),
        )
        .filter(Q(events=0) | Q(events=1, assemblies=1))
        .select_related("variant__product__cooperative__village", "village__province")
    )
    for batch in untold:
        product = batch.variant.product
        if product.is_gift_set:
            timelines.append_gift_box_stages(
                batch=batch, cooperative=product.cooperative, assembled=batch.last, now=now
            )
        elif batch.events == 0:
            timelines.write_timeline(
                batch=batch,
                slug=product.slug,
                group=product.group,
                cooperative=product.cooperative,
                now=now,
                with_harvest=True,
            )
