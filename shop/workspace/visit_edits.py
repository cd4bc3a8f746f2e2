"""The workspace's writes of what a cooperative tells visitors and receivers: its village
visit (issue 16, part 4) and each of its products' care and use notes, in Vietnamese and
English. Reads for those pages are here too, every one scoped to the staff's cooperative.

Both services write under the row's lock and, after the commit, give the storefront pages
(shop.pagecache) and the cooperative's trace pages (traceability.cache) new versions, so the
cooperative page, a scanned lot and a gift page (its key carries the storefront version)
show the change at once.
"""

import functools

from django.db import transaction
from django.utils import timezone

from shop import pagecache
from shop.models import Product
from shop.models.gifts import CooperativeVisit
from traceability import cache as trace_cache

VISIT_FIELDS = (
    "published",
    "activities_vi",
    "activities_en",
    "best_months",
    "nearest_city_vi",
    "nearest_city_en",
    "getting_there_vi",
    "getting_there_en",
    "travel_minutes",
    "contact_name",
    "contact_phone",
    "contact_email",
)
CARE_FIELDS = ("care_notes_vi", "care_notes_en")


def visit(*, cooperative_id: int) -> CooperativeVisit:
    """The cooperative's visit, or an unsaved blank one (nothing is written by reading)."""
    found = CooperativeVisit.objects.filter(cooperative_id=cooperative_id).first()
    return found or CooperativeVisit(cooperative_id=cooperative_id)


def products(*, cooperative_id: int):
    """The cooperative's products, by name, with their care notes."""
    return Product.objects.filter(cooperative_id=cooperative_id).order_by("name", "pk")


def product(*, cooperative_id: int, product_id: int) -> Product:
    """One of the cooperative's products (Product.DoesNotExist for anyone else's)."""
    return Product.objects.get(pk=product_id, cooperative_id=cooperative_id)


def _refresh_pages(cooperative_id: int) -> None:
    transaction.on_commit(pagecache.invalidate)
    transaction.on_commit(
        functools.partial(trace_cache.invalidate_cooperative, cooperative_id=cooperative_id)
    )


def save_visit(*, cooperative_id: int, values: dict) -> CooperativeVisit:
    """Write the cooperative's visit (created on first save) from `values`, already
    validated (the workspace's VisitForm); keys outside VISIT_FIELDS are ignored, so a
    posted `cooperative` can never move it to another cooperative.

    Side effects: the CooperativeVisit row, locked while written; after the commit, new
    versions of the storefront pages and of the cooperative's trace pages."""
    with transaction.atomic():
        row, _created = CooperativeVisit.objects.select_for_update().get_or_create(
            cooperative_id=cooperative_id
        )
        for name in VISIT_FIELDS:
            if name in values:
                setattr(row, name, values[name])
        row.best_months = sorted({int(month) for month in row.best_months or []})
        row.updated_at = timezone.now()
        row.save()
        _refresh_pages(cooperative_id)
    return row


def save_care_notes(
    *, cooperative_id: int, product_id: int, care_notes_vi: str, care_notes_en: str
) -> Product:
    """Write one of the cooperative's products' care and use notes in both languages.

    Raises Product.DoesNotExist for a product of another cooperative (nothing written).
    Side effects: the Product row's two columns; after the commit, new page versions."""
    with transaction.atomic():
        found = Product.objects.select_for_update().get(
            pk=product_id, cooperative_id=cooperative_id
        )
        found.care_notes_vi = care_notes_vi.strip()
        found.care_notes_en = care_notes_en.strip()
        found.save(update_fields=["care_notes_vi", "care_notes_en"])
        _refresh_pages(cooperative_id)
    return found
