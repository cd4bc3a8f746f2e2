"""The shapes of the demo catalogue: frozen records the data modules fill in."""

import enum
from dataclasses import dataclass


class Stock(enum.Enum):
    """How a variant's stock looks after loading, so every page state has an example."""

    NORMAL = "normal"
    # The batch sold first (FEFO) has 2 or 3 units left.
    NEARLY_SOLD_OUT = "nearly_sold_out"
    # The oldest batch is sold out; the next one is on sale.
    SOLD_OUT_BATCH = "sold_out_batch"
    # An extra, older batch is past its best-before date with a few units not yet written off.
    EXPIRED_BATCH = "expired_batch"


@dataclass(frozen=True)
class VillageSpec:
    name: str
    commune: str  # an official ward/commune name from vietnam-provinces (2025)
    latitude: str
    longitude: str


@dataclass(frozen=True)
class CooperativeSpec:
    slug: str
    name: str
    province: str  # traceability.Province.codename
    village: VillageSpec
    address: str
    story_en: str
    story_vi: str
    email: str
    phone: str
    gs1_prefix: str  # 893 + a 4-digit company number: 7 digits


@dataclass(frozen=True)
class VariantSpec:
    sku: str  # also the stem of the lot codes, so at most 16 characters
    name_en: str
    name_vi: str
    weight_grams: int
    price_vnd: str
    price_usd: str
    price_eur: str
    item: int  # GS1 item reference under the cooperative's prefix (5 digits)
    batches: int = 2
    received: int = 48
    stock: Stock = Stock.NORMAL


@dataclass(frozen=True)
class ProductSpec:
    slug: str
    cooperative: str  # CooperativeSpec.slug
    group: str  # shop.models.ProductGroup value
    ocop_stars: int
    ocop_decision_number: str
    certified_days_ago: int
    hs_code: str
    shelf_life_days: int
    name_en: str
    name_vi: str
    description_en: str
    description_vi: str
    story_en: str
    story_vi: str
    variants: tuple[VariantSpec, ...]
    is_gift_set: bool = False
    packing_days: int = 7
    # Every other batch comes from this second village of the same province.
    second_village: VillageSpec | None = None
    # shop.models.TaxCategory value: destinations tax crafts at their standard rate.
    tax_category: str = "food"
    # In English, for the customs declaration (shop.fulfilment.customs).
    customs_description: str = ""
    # Net weight in grams of each variant (contents without packaging), in variant order.
    net_weights: tuple[int, ...] = ()
