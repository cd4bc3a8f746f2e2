"""Product and cooperative galleries: storing and removing photos, and reading them for pages.

Writes: every photo is re-encoded (shop.uploads) before it is stored, measured, and its WebP
thumbnails are made at once, in the same transaction (shop.thumbnails), so no page ever
draws one. Adds take a product or cooperative the door has already scoped to the staff's
own; removals take the staff's `cooperative_id` and find nothing of anyone else's.

Reads: a page reads a product's photos (and its gift set's component photos) in one query
and builds `src`/`srcset` from names alone. Where one picture stands for a product (cards,
cart lines, emails) it is the gallery's first photo's thumbnail, else `Product.photo`
(an upload or the demo's drawing), else the placeholder: the generated pictures stay the
fallback. Catalogue cards read the first photo's name in the cards' own statement
(shop.card_query), never per card.
"""

import functools
from collections.abc import Iterable

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Max
from django.templatetags.static import static
from django.utils.translation import get_language
from PIL import Image

from shop import joined_rows, pagecache, thumbnails, uploads
from shop.models import Cooperative, CooperativePhoto, Product, ProductPhoto
from shop.models.media import GalleryPhoto
from shop.thumbnails import Picture

PLACEHOLDER = "shop/placeholder.svg"
MAX_PHOTOS = 12


class PhotoNotFound(Exception):
    """No such photo among the cooperative's own (another cooperative's answers the same)."""


class GalleryFull(Exception):
    """The product or cooperative already has MAX_PHOTOS photos."""


def _measure(file) -> tuple[int, int]:
    file.seek(0)
    with Image.open(file) as image:
        size = image.size
    file.seek(0)
    return size


def save_photo(*, photo: GalleryPhoto) -> GalleryPhoto:
    """Store a photo row a form has changed (the admin's inline). A new picture (a
    PhotoField form's CleanImage; anything else is re-encoded here) is measured, stored
    and its thumbnails made; a picture it replaces loses its files after the commit.
    Side effects: media files; the storefront's page cache's version bumped on commit."""
    new_image = not photo.image._committed
    replaced = None
    if new_image:
        if photo.pk:
            replaced = type(photo).objects.filter(pk=photo.pk).values_list("image", flat=True)
            replaced = replaced.first()
        clean = uploads.reencode_image(photo.image.file)
        photo.width, photo.height = _measure(clean)
        photo.image.save(clean.name, clean, save=False)
    with transaction.atomic():
        photo.save()
        if new_image:
            thumbnails.make(photo.image)
        if replaced:
            transaction.on_commit(functools.partial(_delete_files, replaced))
        transaction.on_commit(pagecache.invalidate)
    return photo


def _add(photo: GalleryPhoto, *, owner_filter: dict, image: File) -> GalleryPhoto:
    model = type(photo)
    clean = uploads.reencode_image(image)
    photo.width, photo.height = _measure(clean)
    with transaction.atomic():
        gallery = model.objects.filter(**owner_filter)
        taken = gallery.aggregate(last=Max("position"), count=Count("id"))
        if taken["count"] >= MAX_PHOTOS:
            raise GalleryFull
        photo.position = (taken["last"] or 0) + 1
        photo.image.save(clean.name, clean, save=False)
        photo.save()
        # In the transaction: a photo whose thumbnails cannot be made is not added.
        thumbnails.make(photo.image)
        transaction.on_commit(pagecache.invalidate)
    return photo


def add_product_photo(
    *, product: Product, image: File, alt_en: str = "", alt_vi: str = ""
) -> ProductPhoto:
    """Add a photo at the end of `product`'s gallery.

    Rule: a JPEG, PNG or WebP within shop.uploads' limits (ValidationError otherwise), at
    most MAX_PHOTOS a product (GalleryFull). Side effects: the re-encoded file and its WebP
    thumbnails stored; the page cache's version bumped on commit."""
    photo = ProductPhoto(product=product, alt_en=alt_en, alt_vi=alt_vi)
    return _add(photo, owner_filter={"product": product}, image=image)


def add_cooperative_photo(
    *, cooperative: Cooperative, image: File, alt_en: str = "", alt_vi: str = ""
) -> CooperativePhoto:
    """Add a photo at the end of `cooperative`'s gallery; rules and side effects as
    add_product_photo."""
    photo = CooperativePhoto(cooperative=cooperative, alt_en=alt_en, alt_vi=alt_vi)
    return _add(photo, owner_filter={"cooperative": cooperative}, image=image)


def _delete_files(name: str) -> None:
    default_storage.delete(name)
    thumbnails.delete(name)


def delete_photo(*, photo: GalleryPhoto) -> None:
    """Delete a photo row; its file and thumbnails go after the commit (a rolled-back
    delete keeps them). Side effects: the page cache's version bumped on commit."""
    with transaction.atomic():
        name = photo.image.name
        photo.delete()
        transaction.on_commit(functools.partial(_delete_files, name))
        transaction.on_commit(pagecache.invalidate)


def remove_product_photo(*, photo_id: int, cooperative_id: int) -> None:
    """Remove a photo of one of the cooperative's own products (PhotoNotFound otherwise:
    nothing is removed)."""
    with transaction.atomic():
        photo = (
            ProductPhoto.objects.select_for_update()
            .filter(pk=photo_id, product__cooperative_id=cooperative_id)
            .first()
        )
        if photo is None:
            raise PhotoNotFound(photo_id)
        delete_photo(photo=photo)


def remove_cooperative_photo(*, photo_id: int, cooperative_id: int) -> None:
    """Remove one of the cooperative's own photos (PhotoNotFound otherwise)."""
    with transaction.atomic():
        photo = (
            CooperativePhoto.objects.select_for_update()
            .filter(pk=photo_id, cooperative_id=cooperative_id)
            .first()
        )
        if photo is None:
            raise PhotoNotFound(photo_id)
        delete_photo(photo=photo)


# Reads


def _alt(alt_en: str | None, alt_vi: str | None) -> str:
    if (get_language() or "en")[:2] == "vi":
        return alt_vi or alt_en or ""
    return alt_en or alt_vi or ""


def _rows(table: str, owner: str, ids: list[int]) -> list[tuple]:
    if not ids:
        return []
    marks = ", ".join(["%s"] * len(ids))
    # Prepared on PostgreSQL: product and cart pages ask on every render (issue 13).
    with joined_rows.prepared_cursor() as cursor:
        cursor.execute(
            f"SELECT {owner}, image, width, height, alt_en, alt_vi FROM {table} "
            f"WHERE {owner} IN ({marks}) ORDER BY {owner}, position, id",
            ids,
        )
        return cursor.fetchall()


def product_pictures(product_ids: Iterable[int]) -> dict[int, list[Picture]]:
    """Each product's gallery as Pictures, in gallery order (alt in the active language),
    in one query; a product without photos is absent."""
    found: dict[int, list[Picture]] = {}
    for owner, name, width, height, alt_en, alt_vi in _rows(
        ProductPhoto._meta.db_table, "product_id", list(product_ids)
    ):
        found.setdefault(owner, []).append(
            thumbnails.picture(name=name, width=width, height=height, alt=_alt(alt_en, alt_vi))
        )
    return found


def cooperative_pictures(cooperative_id: int) -> list[Picture]:
    """The cooperative's gallery as Pictures, in one query."""
    return [
        thumbnails.picture(name=name, width=width, height=height, alt=_alt(alt_en, alt_vi))
        for _, name, width, height, alt_en, alt_vi in _rows(
            CooperativePhoto._meta.db_table, "cooperative_id", [cooperative_id]
        )
    ]


def fallback_url(product: Product) -> str:
    """The product's own picture (an upload or the demo's drawing), else the placeholder."""
    return product.photo.url if product.photo else static(PLACEHOLDER)


def picture_urls(products: Iterable[Product], *, width: int = 320) -> dict[int, str]:
    """For each product: its gallery's first photo's WebP `width` pixels wide (one of
    shop.thumbnails.WIDTHS), else fallback_url. One query for all of them (cart lines,
    email lines, gift-box contents)."""
    products = list(products)
    first: dict[int, str] = {}
    for owner, name, *_ in _rows(
        ProductPhoto._meta.db_table, "product_id", sorted({p.pk for p in products})
    ):
        first.setdefault(owner, name)
    return {
        product.pk: thumbnails.thumbnail_url(first[product.pk], width)
        if product.pk in first
        else fallback_url(product)
        for product in products
    }


def thumbnail_url(product: Product, width: int = 320) -> str:
    """One product's picture_urls (one query): for a single line; lists use picture_urls."""
    return picture_urls([product], width=width)[product.pk]
