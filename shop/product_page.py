"""The product page's read: a published product, its variants with the lot a buyer would
receive now and the other lots, a gift set's contents, and the gallery.

Written out as SQL (shop.joined_rows: rows turned into linked model instances, nothing
compiled, prepared once per connection on PostgreSQL): the ORM's building of three joined
and prefetched queries cost four times what running them did, and the page asks on every
render (issue 13). Five queries however many variants and lots: the product, its variants,
their lots, a gift set's components and the photos.
"""

import datetime
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.conf import settings

from shop import availability, joined_rows, photos
from shop.catalogue_filters import price_field
from shop.joined_rows import Joined, Part
from shop.models import Batch, BatchStatus, Cooperative, GiftSetComponent, Product, Variant
from shop.thumbnails import Picture
from traceability.models import Province, Village


@dataclass(frozen=True)
class BatchRow:
    """A batch as a shopper sees it in a list: its status counts what is left to buy."""

    batch: Batch
    status: str

    @property
    def status_label(self) -> str:
        return BatchStatus(self.status).label


@dataclass
class VariantOffer:
    """A variant as the product page offers it: its price and the batch a buyer gets now."""

    variant: Variant
    price: Decimal
    current_batch: Batch | None
    other_batches: list[Batch] = field(default_factory=list)

    @property
    def in_stock(self) -> bool:
        # A gift set too: its batches are its box lots, made by assembly runs.
        return self.current_batch is not None

    @property
    def available(self) -> int:
        return availability.available_for_batch(self.current_batch) if self.current_batch else 0

    @property
    def only_left(self) -> int | None:
        """Units left in the current batch when few remain (the "only N left" notice)."""
        if self.current_batch and self.available <= settings.LOW_STOCK_THRESHOLD:
            return self.available
        return None

    @property
    def other_rows(self) -> list[BatchRow]:
        return [BatchRow(b, availability.shopper_status(b)) for b in self.other_batches]


@dataclass(frozen=True)
class ComponentOffer:
    """One component of a gift set (what each box holds; the box lots say which lots)."""

    gift_set_id: int
    component: Variant
    quantity: int
    # The component product's first gallery photo (shop.photos), if it has one.
    picture: Picture | None = None


@dataclass
class ProductPage:
    product: Product
    offers: list[VariantOffer]
    components: list[ComponentOffer]
    # The gallery (shop.photos).
    pictures: list[Picture] = field(default_factory=list)


def product_page(*, slug: str, currency: str, now: datetime.datetime | None = None) -> ProductPage:
    """A published product with its variants and, per variant, the FEFO batch a buyer would
    receive now (earliest best-before among buyable batches) and its other batches.

    Raises Product.DoesNotExist for an unknown or unpublished slug.
    """
    price = price_field(currency)
    product = _product(slug)
    product.variant_list = _variants(product.pk)
    by_variant: dict[int, list[Batch]] = {variant.pk: [] for variant in product.variant_list}
    for batch in _offered_batches(product.pk, now=now):
        by_variant[batch.variant_id].append(batch)
    for variant in product.variant_list:
        variant.batch_list = by_variant[variant.pk]
        for batch in variant.batch_list:
            Batch.variant.field.set_cached_value(batch, variant)
    components = _gift_components(product)
    # One query for the gallery and the gift set's component photos.
    component_ids = {c.component.product_id for c in components} - {product.pk}
    pictures = photos.product_pictures([product.pk, *sorted(component_ids)])
    offers = []
    for variant in product.variant_list:
        # One read of the batches, FEFO-ordered: the first a shopper can buy is the current one.
        current = next((b for b in variant.batch_list if availability.is_buyable(b)), None)
        others = [b for b in variant.batch_list if current is None or b.pk != current.pk]
        offers.append(VariantOffer(variant, getattr(variant, price), current, others))
    components = [
        replace(c, picture=pictures[c.component.product_id][0])
        if c.component.product_id in component_ids and c.component.product_id in pictures
        else c
        for c in components
    ]
    return ProductPage(product, offers, components, pictures=pictures.get(product.pk, []))


_PRODUCT = Joined(
    [
        Part(Product, "p"),
        Part(Cooperative, "c", "p", "cooperative"),
        Part(Province, "pr", "c", "province"),
    ]
)
_VARIANT = Joined([Part(Variant, "v")])
_BATCH = Joined(
    [Part(Batch, "b"), Part(Village, "vi", "b", "village"), Part(Province, "pr", "vi", "province")]
)


def _product(slug: str) -> Product:
    """The published product with its cooperative and the cooperative's province."""
    sql = (
        f"SELECT {_PRODUCT.columns} FROM {Product._meta.db_table} p "
        f"INNER JOIN {Cooperative._meta.db_table} c ON c.id = p.cooperative_id "
        f"INNER JOIN {Province._meta.db_table} pr ON pr.id = c.province_id "
        "WHERE p.slug = %s AND p.is_published"
    )
    with joined_rows.prepared_cursor() as cursor:
        cursor.execute(sql, [slug])
        row = cursor.fetchone()
    if row is None:
        raise Product.DoesNotExist(slug)
    return _PRODUCT.instances(row)["p"]


def _variants(product_id: int) -> list[Variant]:
    sql = (
        f"SELECT {_VARIANT.columns} FROM {Variant._meta.db_table} v WHERE v.product_id = %s "
        "ORDER BY v.weight_grams, v.id"
    )
    with joined_rows.prepared_cursor() as cursor:
        cursor.execute(sql, [product_id])
        return [_VARIANT.instances(row)["v"] for row in cursor.fetchall()]


def _offered_batches(product_id: int, *, now: datetime.datetime | None) -> list[Batch]:
    """The product's batches, FEFO, each with `available`, its village and province."""
    available, params = availability.available_sql(batch="b", now=now)
    sql = (
        f"SELECT {_BATCH.columns}, {available} AS available FROM {Batch._meta.db_table} b "
        f"INNER JOIN {Village._meta.db_table} vi ON vi.id = b.village_id "
        f"INNER JOIN {Province._meta.db_table} pr ON pr.id = vi.province_id "
        f"WHERE b.variant_id IN (SELECT id FROM {Variant._meta.db_table} WHERE product_id = %s) "
        "ORDER BY b.best_before, b.harvest_date, b.id"
    )
    batches = []
    with joined_rows.prepared_cursor() as cursor:
        cursor.execute(sql, [*params, product_id])
        for row in cursor.fetchall():
            batch = _BATCH.instances(row)["b"]
            batch.available = row[-1]
            batches.append(batch)
    return batches


def _gift_components(product: Product) -> list[ComponentOffer]:
    if not product.is_gift_set:
        return []
    variant_ids = [variant.pk for variant in product.variant_list]
    components = (
        GiftSetComponent.objects.filter(gift_set__in=variant_ids)
        .select_related("component__product")
        .order_by("gift_set", "pk")
    )
    return [ComponentOffer(c.gift_set_id, c.component, c.quantity) for c in components]
