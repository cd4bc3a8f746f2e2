"""Gallery photos of products and cooperatives, each with alt text in every language.

The picture is stored re-encoded (shop.uploads.PhotoField) with its pixel size, so pages
write `width`/`height` and the `srcset` widths of its WebP thumbnails (shop.thumbnails)
without opening the file. Rows are written through shop.photos, which makes the
thumbnails once when a photo is stored.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.uploads import PhotoField


class GalleryPhoto(models.Model):
    # `alt` is translated (shop.translation): alt_en, alt_vi.
    alt = models.CharField(
        _("alt text"),
        max_length=200,
        blank=True,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.image.name


class ProductPhoto(GalleryPhoto):
    product = models.ForeignKey(
        "shop.Product",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="photos",
        # The (product, position, id) index below serves every read of a product's photos.
        db_index=False,
    )
    image = PhotoField(_("photo"), upload_to="products/gallery/")

    class Meta(GalleryPhoto.Meta):
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        indexes = [
            models.Index(fields=["product", "position", "id"], name="productphoto_gallery_idx")
        ]


class CooperativePhoto(GalleryPhoto):
    cooperative = models.ForeignKey(
        "shop.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.CASCADE,
        related_name="photos",
        db_index=False,
    )
    image = PhotoField(_("photo"), upload_to="cooperatives/gallery/")

    class Meta(GalleryPhoto.Meta):
        verbose_name = _("cooperative photo")
        verbose_name_plural = _("cooperative photos")
        indexes = [
            models.Index(
                fields=["cooperative", "position", "id"], name="cooperativephoto_gallery_idx"
            )
        ]
