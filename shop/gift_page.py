"""The gift page's reads (/gift/<token>/), and its cache.

What the receiver may see: the giver's message and signature, and for each item in the box
(each component of a gift box) its public story, village, dates, care notes and trace link.
Never the order's number, prices, currency, address or the buyer's email or name: the order
is read only for its id, and the page's cache keys name the gift by a hash of its token.

Reads, whatever the number of items: the gift (with the last delivery and whether it was
thanked for), the lots the order took, the components of its box lots, the products'
pictures and the cooperatives' published visits: five queries.

Cached like the trace page: the HTML is kept under a key of the token's hash, the gift's
version (bumped when the giver revokes it), the recalled lots among the gift's (one query,
so a recall shows at once), whether it was thanked for, the language and the day, and the
storefront pages' shop-wide version (shop.pagecache), which an edit of a cooperative's visit,
a product's story or care notes renews, so those show at once too. The visitor's CSRF token
is stored as a placeholder and put back on every hit.
"""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from shop import cache_outage, gifts, pagecache, photos
from shop.models import AssemblyInput, Batch, BatchStatus, OrderLineBatch, Product
from shop.models.gifts import CooperativeVisit, Gift, GiftThankYou
from shop.models.orders import AllocationState
from traceability import vietnam_map
from traceability.links import digital_link_path
from traceability.models import Recall

PAGE_SECONDS = getattr(settings, "GIFT_PAGE_CACHE_SECONDS", 60 * 60)
_PAGE_KEY = "gift:page:{token_hash}:{version}:{pages}:{recalled}:{thanked}:{language}:{day}"
CSRF_PLACEHOLDER = "<!--giftpage:csrf-token-->"
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"<>]+)"')
# Units still in the box: not released before shipping, not taken back (refund, recall).
_IN_THE_BOX = (AllocationState.ALLOCATED, AllocationState.SOLD)


@dataclass(frozen=True)
class Found:
    """A gift looked up by its token, with what decides whether its page still opens."""

    gift: Gift
    state: gifts.LinkState
    thanked: bool


@dataclass
class Item:
    """One lot in the box, as the receiver reads it."""

    batch: Batch
    quantity: int
    picture_url: str = ""
    pin: vietnam_map.Pin | None = None

    @property
    def product(self) -> Product:
        return self.batch.variant.product

    @property
    def village(self):
        return self.batch.village

    @property
    def trace_path(self) -> str:
        return digital_link_path(gtin=self.batch.variant.gtin, lot=self.batch.lot_code)

    @property
    def recall(self) -> Recall | None:
        if self.batch.status != BatchStatus.RECALLED:
            return None
        try:
            return self.batch.recall
        except ObjectDoesNotExist:
            return None

    @property
    def recalled(self) -> bool:
        return self.batch.status == BatchStatus.RECALLED


@dataclass
class Entry:
    """A line of the box: a product, or a gift box with its components."""

    item: Item
    components: list[Item] = field(default_factory=list)

    @property
    def items(self) -> list[Item]:
        """What the receiver holds: the components of a box, else the product itself."""
        return self.components or [self.item]


@dataclass
class GiftPage:
    gift: Gift
    entries: list[Entry]
    visits: list[CooperativeVisit]

    @property
    def items(self) -> list[Item]:
        return [item for entry in self.entries for item in entry.items]

    @property
    def recalled(self) -> list[Item]:
        """Recalled lots in the box (a recalled component, or a recalled box lot itself)."""
        found = [item for entry in self.entries for item in [entry.item, *entry.components]]
        return [item for item in found if item.recalled]

    @property
    def places(self) -> list[Item]:
        """One item per village, in box order: the map's pins and its caption."""
        seen, places = set(), []
        for item in self.items:
            if item.village.pk not in seen:
                seen.add(item.village.pk)
                places.append(item)
        return places

    @property
    def contact_email(self) -> str:
        return settings.SHOP_CONTACT_EMAIL


def find(*, token: str) -> Found | None:
    """The gift with this token and the state of its link (one query), or None."""
    if not token or len(token) > 64:
        return None
    gift = (
        Gift.objects.filter(token=token)
        .annotate(
            last_delivered=Max("order__shipments__delivered_at"),
            thanked=Exists(GiftThankYou.objects.filter(gift_id=OuterRef("pk"))),
        )
        .first()
    )
    if gift is None:
        return None
    state = gifts.link_state(gift=gift, delivered_at=gift.last_delivered)
    return Found(gift=gift, state=state, thanked=gift.thanked)


_LOT_RELATIONS = ("variant__product__cooperative", "village__province", "recall")


def gift_page(*, gift: Gift) -> GiftPage:
    """Everything the gift page shows, in four queries after `find`."""
    allocations = list(
        OrderLineBatch.objects.filter(line__order_id=gift.order_id, state__in=_IN_THE_BOX)
        .select_related(*(f"batch__{name}" for name in _LOT_RELATIONS))
        .order_by("line_id", "pk")
    )
    entries: dict[int, Entry] = {}
    for allocation in allocations:
        entry = entries.get(allocation.batch_id)
        if entry is None:
            entries[allocation.batch_id] = Entry(Item(allocation.batch, allocation.quantity))
        else:
            entry.item.quantity += allocation.quantity
    boxes = [pk for pk, e in entries.items() if e.item.product.is_gift_set]
    if boxes:
        inputs = (
            AssemblyInput.objects.filter(run__box_batch_id__in=boxes)
            .select_related("run", *(f"batch__{name}" for name in _LOT_RELATIONS))
            .order_by("pk")
        )
        for component in inputs:
            box = entries[component.run.box_batch_id]
            # The box recipe's units per box: the run's units over its boxes.
            per_box = max(1, component.quantity // max(1, component.run.boxes))
            box.components.append(Item(component.batch, per_box * box.item.quantity))
    page = GiftPage(gift=gift, entries=list(entries.values()), visits=[])
    everything = [i for e in page.entries for i in [e.item, *e.components]]
    urls = photos.picture_urls([i.product for i in everything])
    for item in everything:
        item.picture_url = urls[item.product.pk]
        item.pin = vietnam_map.pin(item.village.latitude, item.village.longitude)
    cooperative_ids = {item.product.cooperative_id for item in page.items}
    page.visits = list(
        CooperativeVisit.objects.filter(cooperative_id__in=cooperative_ids, published=True)
        .select_related("cooperative__village__province")
        .order_by("cooperative__name")
    )
    return page


# The cache: like the trace page's, keyed by a version, the state of what a recall changes,
# the language and the day; a revoke bumps the version (shop.gifts.revoke).


def recalled_lot_ids(*, gift: Gift) -> list[int]:
    """The recalled lots among the gift's (box lots and their components), in one query:
    what a recall changes on the page, so part of its cache key."""
    in_the_box = OrderLineBatch.objects.filter(
        line__order_id=gift.order_id, state__in=_IN_THE_BOX
    ).values("batch_id")
    components = AssemblyInput.objects.filter(run__box_batch_id__in=in_the_box).values("batch_id")
    return sorted(
        Recall.objects.filter(Q(batch_id__in=in_the_box) | Q(batch_id__in=components))
        .values_list("batch_id", flat=True)
        .distinct()
    )


def page_key(*, found: Found, language: str) -> str:
    """The cache key of the page: no order number, no token, only hashes."""
    gift = found.gift
    recalled = recalled_lot_ids(gift=gift)
    return _PAGE_KEY.format(
        token_hash=gifts.token_hash(gift.token),
        version=gifts.version(token=gift.token),
        pages=pagecache.version(),
        recalled=hashlib.sha256(repr(recalled).encode()).hexdigest()[:16],
        thanked=int(found.thanked),
        language=language,
        day=timezone.localdate().isoformat(),
    )


def cached_html(*, key: str, render: Callable[[], str]) -> tuple[str, bool]:
    """(HTML with the CSRF token as a placeholder, whether it came from the cache)."""
    html = cache_outage.get(key)
    if html is not None:
        return html, True
    html = render()
    stored = html
    for token in set(_CSRF_INPUT.findall(html)):
        stored = stored.replace(token, CSRF_PLACEHOLDER)
    cache_outage.set(key, stored, PAGE_SECONDS)
    return html, False
