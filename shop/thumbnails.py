"""WebP thumbnails of gallery photos: made once when a photo is stored, named predictably.

easy-thumbnails draws them (`make`, at upload time). Every page reads only names: a
thumbnail's name is a pure function of the photo's stored name and width
(`thumbs/<name>.<width>w.webp`, the settings' THUMBNAIL_BASEDIR and this module's `namer`),
so a page builds `src`/`srcset` from the row it already read, without asking the storage or
easy-thumbnails' tables whether a file exists.

A thumbnail is never wider than its photo (no upscaling): `srcset` says each file's real
width, computed from the photo's stored size.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.utils.encoding import filepath_to_uri
from easy_thumbnails.files import get_thumbnailer

# Card and cart sizes, the product page's main picture, the zoomed picture.
WIDTHS = (320, 640, 1280)
CARD_WIDTH = 640
LARGE_WIDTH = WIDTHS[-1]
# The product page's picture takes the full width on a phone, about half a desktop page.
GALLERY_SIZES = "(min-width: 900px) 50vw, 100vw"
BASEDIR = "thumbs"


def namer(*, source_filename: str, thumbnail_options, **kwargs) -> str:
    """easy-thumbnails' file name of a thumbnail (THUMBNAIL_NAMER): '<photo>.<width>w.webp'."""
    width = int(thumbnail_options["size"][0])
    return f"{source_filename}.{width}w.webp"


def thumbnail_name(name: str, width: int) -> str:
    """The stored name of `name`'s thumbnail `width` pixels wide (as easy-thumbnails names it)."""
    return f"{BASEDIR}/{name}.{width}w.webp"


def thumbnail_url(name: str, width: int) -> str:
    return f"{settings.MEDIA_URL}{filepath_to_uri(thumbnail_name(name, width))}"


def make(image: FieldFile) -> list[str]:
    """Draw and store every width's WebP thumbnail of the stored picture `image`; returns
    their names. Side effects: files in the storage, easy-thumbnails' Source/Thumbnail rows.
    """
    thumbnailer = get_thumbnailer(image)
    made = []
    for width in WIDTHS:
        thumbnail = thumbnailer.get_thumbnail({"size": (width, 0)}, save=True, generate=True)
        made.append(thumbnail.name)
    return made


def delete(name: str) -> None:
    """Remove the thumbnails of the stored picture `name` (files only)."""
    for width in WIDTHS:
        default_storage.delete(thumbnail_name(name, width))


@dataclass(frozen=True, slots=True)
class Picture:
    """A gallery photo as an <img> draws it: the 640 WebP as `src`, every width in `srcset`,
    `width`/`height` of the `src` file, the smallest (`thumb`) for a strip of thumbnails,
    the largest for zooming, and the alt text."""

    src: str
    srcset: str
    width: int
    height: int
    thumb: str
    large: str
    alt: str
    sizes: str = GALLERY_SIZES


def _scaled(width: int, height: int, target: int) -> tuple[int, int]:
    if width <= target:
        return width, height
    return target, max(1, round(height * target / width))


def picture(*, name: str, width: int, height: int, alt: str) -> Picture:
    """The Picture of the photo stored as `name`, `width` × `height` pixels."""
    entries = []
    for target in WIDTHS:
        real_width, _ = _scaled(width, height, target)
        entries.append(f"{thumbnail_url(name, target)} {real_width}w")
        if real_width < target:
            break  # the wider files are this same picture: the photo is no wider
    src_width, src_height = _scaled(width, height, CARD_WIDTH)
    return Picture(
        src=thumbnail_url(name, CARD_WIDTH),
        srcset=", ".join(entries),
        width=src_width,
        height=src_height,
        thumb=thumbnail_url(name, WIDTHS[0]),
        large=thumbnail_url(name, LARGE_WIDTH),
        alt=alt,
    )
