"""Reads for the workspace's photo pages, every one limited to the staff's own cooperative."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from shop import thumbnails
from shop.models import Cooperative, CooperativePhoto, Product, ProductPhoto
from shop.photos import PhotoNotFound


@dataclass(frozen=True)
class PhotoTile:
    pk: int
    thumb: str
    width: int
    height: int
    alt_vi: str
    alt_en: str


def products(*, cooperative_id: int) -> QuerySet[Product]:
    """The cooperative's products, each with `photo_count`."""
    return (
        Product.objects.filter(cooperative_id=cooperative_id)
        .annotate(photo_count=Count("photos"))
        .order_by("name", "pk")
    )


def product(*, cooperative_id: int, product_id: int) -> Product:
    """One of the cooperative's products (Product.DoesNotExist for anyone else's)."""
    return Product.objects.get(pk=product_id, cooperative_id=cooperative_id)


def cooperative(*, cooperative_id: int) -> Cooperative:
    return Cooperative.objects.get(pk=cooperative_id)


def cooperative_photo_count(*, cooperative_id: int) -> int:
    return CooperativePhoto.objects.filter(cooperative_id=cooperative_id).count()


def product_photos(*, product_id: int) -> QuerySet[ProductPhoto]:
    return ProductPhoto.objects.filter(product_id=product_id).order_by("position", "pk")


def cooperative_photos(*, cooperative_id: int) -> QuerySet[CooperativePhoto]:
    return CooperativePhoto.objects.filter(cooperative_id=cooperative_id).order_by("position", "pk")


def photo_product_id(*, cooperative_id: int, photo_id: int) -> int:
    """The product of one of the cooperative's product photos (PhotoNotFound otherwise)."""
    found = (
        ProductPhoto.objects.filter(pk=photo_id, product__cooperative_id=cooperative_id)
        .values_list("product_id", flat=True)
        .first()
    )
    if found is None:
        raise PhotoNotFound(photo_id)
    return found


def gallery(photos) -> list[PhotoTile]:
    tiles = []
    for photo in photos:
        picture = thumbnails.picture(
            name=photo.image.name, width=photo.width, height=photo.height, alt=""
        )
        tiles.append(
            PhotoTile(
                photo.pk, picture.thumb, picture.width, picture.height, photo.alt_vi, photo.alt_en
            )
        )
    return tiles
