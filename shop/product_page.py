"""The product page's read: a published product, its variants with the lot a buyer would
receive now and the other lots, a gift set's contents, and the gallery.

Written out as SQL (shop.joined_rows: rows turned into linked model instances, nothing
compiled, prepared once per connection on PostgreSQL): the ORM's building of three joined
and prefetched queries cost four times what running them did, and the page asks on every
render (issue 13). Three queries however many variants and lots: the product with its
variants and their lots (a row per lot), a gift set's components and the photos.
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
    price_field(currency)  # ValueError before any query for a currency the shop does not sell
    product = _product_with_lots(slug, now=now)
    components = _gift_components(product)
    # One query for the gallery and the gift set's component photos.
    component_ids = {c.component.product_id for c in components} - {product.pk}
    pictures = photos.product_pictures([product.pk, *sorted(component_ids)])
    offers = []
    for variant in product.variant_list:
        # One read of the batches, FEFO-ordered: the first a shopper can buy is the current one.
        current = next((b for b in variant.batch_list if availability.is_buyable(b)), None)
        others = [b for b in variant.batch_list if current is None or b.pk != current.pk]
        offers.append(VariantOffer(variant, variant.price(currency), current, others))
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
# A variant without lots, a product without variants: the LEFT JOINs leave these NULL.
_VARIANT = Joined([Part(Variant, "v", optional=True)])
_BATCH = Joined(
    [
        Part(Batch, "b", optional=True),
        Part(Village, "vi", "b", "village", optional=True),
        Part(Province, "bpr", "vi", "province", optional=True),
    ]
)


def _product_with_lots(slug: str, *, now: datetime.datetime | None) -> Product:
    """The published product with its cooperative and province, its variants (lightest
    first) as `variant_list`, and each variant's batches as `batch_list`, FEFO, each with
    `available`, its village and province: one query, a row per lot (or per variant
    without lots)."""
    available, params = availability.available_sql(batch="b", now=now)
    sql = (
        f"SELECT {_PRODUCT.columns}, {_VARIANT.columns}, {_BATCH.columns}, {available} "
        f"FROM {Product._meta.db_table} p "
        f"INNER JOIN {Cooperative._meta.db_table} c ON c.id = p.cooperative_id "
        f"INNER JOIN {Province._meta.db_table} pr ON pr.id = c.province_id "
        f"LEFT JOIN {Variant._meta.db_table} v ON v.product_id = p.id "
        f"LEFT JOIN {Batch._meta.db_table} b ON b.variant_id = v.id "
        f"LEFT JOIN {Village._meta.db_table} vi ON vi.id = b.village_id "
        f"LEFT JOIN {Province._meta.db_table} bpr ON bpr.id = vi.province_id "
        "WHERE p.slug = %s AND p.is_published "
        "ORDER BY v.weight_grams, v.id, b.best_before, b.harvest_date, b.id"
    )
    with joined_rows.prepared_cursor() as cursor:
        cursor.execute(sql, [*params, slug])
        rows = cursor.fetchall()
    if not rows:
        raise Product.DoesNotExist(slug)
    known: dict = {}  # one instance per village and province, however many lots share it
    product = _PRODUCT.instances(rows[0], known)["p"]
    product.variant_list = []
    variant_at, batch_at = _PRODUCT.width, _PRODUCT.width + _VARIANT.width
    variant = None
    for row in rows:
        if row[variant_at] is None:
            continue
        if variant is None or variant.pk != row[variant_at]:
            variant = _VARIANT.instances(row[variant_at:], known)["v"]
            Variant.product.field.set_cached_value(variant, product)
            variant.batch_list = []
            product.variant_list.append(variant)
        batch = _BATCH.instances(row[batch_at:], known)["b"]
        if batch is not None:
            batch.available = row[-1]
            Batch.variant.field.set_cached_value(batch, variant)
            variant.batch_list.append(batch)
    return product


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
