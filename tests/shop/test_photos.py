"""Product and cooperative galleries: an uploaded photo is stored re-encoded, served as WebP
thumbnails made once (srcset with real widths) with alt text in the reader's language, in
a gallery that zooms without inline script; cards, gift sets and emails show the first
photo, the generated pictures stay the fallback; the product page's queries do not grow."""

import io
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from shop import notifications, photos, thumbnails
from shop.models import CooperativePhoto, ProductPhoto
from tests.factories import (
    BatchFactory,
    CooperativeFactory,
    GiftSetComponentFactory,
    ProductFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://ocop.example"
    return Path(settings.MEDIA_ROOT)


def jpeg(size=(1600, 1200), exif: bool = False) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (40, 120, 60))
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "PhoneMaker"
        image.save(out, "JPEG", exif=tags)
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def png(size=(500, 400)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (200, 90, 30, 255)).save(out, "PNG")
    return out.getvalue()


def upload(data: bytes, name: str = "phone.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.fixture
def product():
    product = ProductFactory(name_en="Phu Quoc fish sauce", name_vi="Nước mắm Phú Quốc")
    BatchFactory(variant=VariantFactory(product=product))
    return product


def add(product, n: int = 1, **kwargs):
    return [
        photos.add_product_photo(
            product=product,
            image=upload(jpeg()),
            alt_en=kwargs.get("alt_en", f"Bottle {i}"),
            alt_vi=kwargs.get("alt_vi", f"Chai {i}"),
        )
        for i in range(1, n + 1)
    ]


def test_an_uploaded_photo_is_stored_re_encoded_with_webp_thumbnails(product, media):
    # given a phone's JPEG with EXIF metadata
    # when it is added to the product's gallery
    photo = photos.add_product_photo(
        product=product, image=upload(jpeg(exif=True)), alt_en="A bottle", alt_vi="Một chai"
    )
    # then it is stored re-encoded, without the metadata, under a generated name
    assert re.fullmatch(r"products/gallery/[0-9a-f]{32}\.jpg", photo.image.name)
    with Image.open(media / photo.image.name) as stored:
        assert (stored.format, stored.size, dict(stored.getexif())) == ("JPEG", (1600, 1200), {})
    assert (photo.width, photo.height, photo.position) == (1600, 1200, 1)
    # and its three thumbnails exist as WebP files of those widths
    for width, height in ((320, 240), (640, 480), (1280, 960)):
        path = media / thumbnails.thumbnail_name(photo.image.name, width)
        data = path.read_bytes()
        assert (data[:4], data[8:12]) == (b"RIFF", b"WEBP")
        with Image.open(path) as thumb:
            assert (thumb.format, thumb.size) == ("WEBP", (width, height))


def test_product_page_serves_the_webp_srcset_with_alt_text_in_each_language(client, product):
    # given a product with a photo described in English and Vietnamese
    (photo,) = add(product, alt_en="A bottle on the boat", alt_vi="Chai nước mắm trên thuyền")
    name = photo.image.name
    # when its page is read in English
    english = client.get(product.get_absolute_url()).content.decode()
    # then the main picture is the 640 WebP with every width in srcset and its size
    srcset = (
        f"/media/thumbs/{name}.320w.webp 320w, /media/thumbs/{name}.640w.webp 640w, "
        f"/media/thumbs/{name}.1280w.webp 1280w"
    )
    assert (
        f'<img class="gallery-photo" src="/media/thumbs/{name}.640w.webp" srcset="{srcset}" '
        f'sizes="{thumbnails.GALLERY_SIZES}" width="640" height="480" '
        'alt="A bottle on the boat">'
    ) in english
    # and in Vietnamese the alt text is the Vietnamese one
    client.cookies["django_language"] = "vi"
    vietnamese = client.get(product.get_absolute_url()).content.decode()
    assert 'alt="Chai nước mắm trên thuyền"' in vietnamese
    assert 'alt="A bottle on the boat"' not in vietnamese


def test_a_photo_without_alt_text_in_one_language_uses_the_other(client, product):
    add(product, alt_en="", alt_vi="Chai nước mắm")

    page = client.get(product.get_absolute_url()).content.decode()

    assert 'width="640" height="480" alt="Chai nước mắm">' in page


def test_a_small_photo_is_never_upscaled_and_srcset_says_its_real_width(product, media):
    # given a PNG only 500 pixels wide
    photo = photos.add_product_photo(product=product, image=upload(png(), "p.png"), alt_en="Jar")
    # when it is read for a page
    (picture,) = photos.product_pictures([product.pk])[product.pk]
    # then srcset lists the 320 thumbnail and the 640 one at its real 500 pixels, no more
    name = photo.image.name
    assert picture.srcset == (
        f"/media/thumbs/{name}.320w.webp 320w, /media/thumbs/{name}.640w.webp 500w"
    )
    assert (picture.width, picture.height) == (500, 400)
    with Image.open(media / thumbnails.thumbnail_name(name, 640)) as thumb:
        assert (thumb.format, thumb.size) == ("WEBP", (500, 400))


def test_gallery_markup_opens_large_photos_without_script_and_names_each_photo(client, product):
    # given a product with three photos
    gallery = add(product, 3)
    # when its page is read
    page = client.get(product.get_absolute_url()).content.decode()
    # then the main picture links to the large photo (no JavaScript needed) and says so
    first = gallery[0].image.name
    assert (
        f'<a class="gallery-main" href="/media/thumbs/{first}.1280w.webp" data-gallery-zoom>'
        in (page)
    )
    assert '<span class="gallery-zoom-hint">Zoom in</span>' in page
    # and each thumbnail links to its large photo, named "Photo n of 3: alt text"
    for number, photo in enumerate(gallery, start=1):
        large = f"/media/thumbs/{photo.image.name}.1280w.webp"
        assert re.search(f'<a href="{re.escape(large)}" data-gallery-item ', page)
        assert f'alt="Photo {number} of 3: Bottle {number}"' in page
    strip = page[page.index('<ul class="gallery-thumbs">') : page.index("<dialog")]
    assert strip.count('aria-current="true"') == 1
    # and the zoom dialog has labelled buttons, driven by a static script (no inline script)
    assert '<dialog class="gallery-dialog" data-gallery-dialog aria-label="Photos">' in page
    for label in ("Previous photo", "Next photo", "Close"):
        assert f">{label}</button>" in page
    assert '<script src="/static/shop/gallery.js" defer></script>' in page
    # (schema.org data is a data block, not a script: shop.structured_data)
    assert re.search(r'<script(?![^>]*\b(?:src=|type="application/ld\+json"))[^>]*>', page) is None


def test_a_product_without_photos_keeps_its_own_picture(client, product):
    page = client.get(product.get_absolute_url()).content.decode()

    assert 'src="/static/shop/placeholder.svg"' in page
    assert "gallery.js" not in page


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_product_page_makes_the_same_queries_with_one_or_five_photos(client, product):
    # given a product with one photo, and one more query than without any
    without = count_queries(client, product.get_absolute_url())
    add(product, 1)
    one = count_queries(client, product.get_absolute_url())
    # when it has five
    add(product, 4)
    five = count_queries(client, product.get_absolute_url())
    # then the page makes the same number of queries: the photos' one
    assert one == five == without
    assert ProductPhoto.objects.filter(product=product).count() == 5


def test_photos_query_is_one_whatever_the_gallery(product):
    add(product, 3)

    with CaptureQueriesContext(connection) as queries:
        pictures = photos.product_pictures([product.pk])

    assert len(queries) == 1
    assert [p.alt for p in pictures[product.pk]] == ["Bottle 1", "Bottle 2", "Bottle 3"]


def test_catalogue_card_shows_the_first_gallery_photo_else_the_products_picture(client, product):
    # given a product with two photos, and another with only its own picture
    first, _ = add(product, 2)
    other = ProductFactory(name_en="Lotus tea")
    other.photo.save("lotus.jpg", ContentFile(jpeg((40, 30))), save=True)
    # when the catalogue is read
    page = client.get("/products/").content.decode()
    # then the first card shows the gallery's first photo's 640 WebP, the other its picture
    assert f'src="/media/thumbs/{first.image.name}.640w.webp"' in page
    assert f'src="/media/{other.photo.name}"' in page


def test_picture_urls_read_every_products_first_photo_in_one_query(product):
    # given a product with photos, one with its own drawing and one with nothing
    first, _ = add(product, 2)
    drawn = ProductFactory()
    drawn.photo.save("drawn.svg", ContentFile(b"<svg/>"), save=True)
    bare = ProductFactory()
    # when their pictures are asked for
    with CaptureQueriesContext(connection) as queries:
        urls = photos.picture_urls([product, drawn, bare], width=320)
    # then one query answers: the gallery's WebP, else the generated picture or placeholder
    assert len(queries) == 1
    assert urls == {
        product.pk: f"/media/thumbs/{first.image.name}.320w.webp",
        drawn.pk: f"/media/{drawn.photo.name}",
        bare.pk: "/static/shop/placeholder.svg",
    }
    assert photos.thumbnail_url(bare) == "/static/shop/placeholder.svg"


def test_gift_set_page_shows_its_components_photos(client):
    # given a gift set holding a tea whose gallery has a photo
    component = GiftSetComponentFactory(quantity=2, component__product__name_en="Lotus tea")
    tea = component.component.product
    (photo,) = add(tea, 1)
    gift_set = component.gift_set.product
    # when the gift set's page is read
    page = client.get(gift_set.get_absolute_url()).content.decode()
    # then the component is shown with its photo's small WebP
    assert (
        f'<img class="component-photo" src="/media/thumbs/{photo.image.name}.320w.webp" '
        'width="640" height="480" alt="" loading="lazy">'
    ) in page


def test_cooperative_page_shows_its_gallery(client):
    cooperative = CooperativeFactory(name="HTX Hàm Ninh")
    photo = photos.add_cooperative_photo(
        cooperative=cooperative, image=upload(jpeg()), alt_en="Drying racks", alt_vi="Giàn phơi"
    )

    page = client.get(cooperative.get_absolute_url()).content.decode()

    assert f'src="/media/thumbs/{photo.image.name}.640w.webp"' in page
    assert 'alt="Drying racks"' in page
    assert 'aria-label="Photos of HTX Hàm Ninh"' in page


def test_removing_a_photo_deletes_its_files_after_the_commit(
    product, media, django_capture_on_commit_callbacks
):
    (photo,) = add(product, 1)
    files = [photo.image.name] + [
        thumbnails.thumbnail_name(photo.image.name, w) for w in thumbnails.WIDTHS
    ]
    assert all((media / name).exists() for name in files)

    with django_capture_on_commit_callbacks(execute=True):
        photos.remove_product_photo(photo_id=photo.pk, cooperative_id=product.cooperative_id)

    assert not ProductPhoto.objects.filter(pk=photo.pk).exists()
    assert not any((media / name).exists() for name in files)


def test_another_cooperative_cannot_remove_a_photo(product):
    (photo,) = add(product, 1)
    other = CooperativeFactory()

    with pytest.raises(photos.PhotoNotFound):
        photos.remove_product_photo(photo_id=photo.pk, cooperative_id=other.pk)

    assert ProductPhoto.objects.filter(pk=photo.pk).exists()
    assert default_storage.exists(photo.image.name)


def test_a_full_gallery_takes_no_more_photos(product, monkeypatch):
    monkeypatch.setattr(photos, "MAX_PHOTOS", 2)
    add(product, 2)

    with pytest.raises(photos.GalleryFull):
        add(product, 1)

    assert ProductPhoto.objects.filter(product=product).count() == 2


def test_order_email_shows_each_lines_photo_by_absolute_url(product):
    from tests.shop.checkout_data import placed_order

    (photo,) = add(product, 1)
    variant = product.variants.get()
    order = placed_order((variant, 1))

    message = notifications.build_message(
        order=notifications._load_order(order.pk), kind=notifications.ORDER_CONFIRMATION
    )

    html = message.alternatives[0][0]
    url = f"https://ocop.example/media/thumbs/{photo.image.name}.320w.webp"
    assert f'<img src="{url}" width="80" alt=""' in html
    assert not mail.outbox


def test_cooperative_photos_are_scoped_and_measured():
    cooperative = CooperativeFactory()
    photo = photos.add_cooperative_photo(cooperative=cooperative, image=upload(png((900, 300))))

    assert (photo.width, photo.height) == (900, 300)
    assert photos.cooperative_pictures(cooperative.pk)[0].srcset.endswith(".1280w.webp 900w")
    with pytest.raises(photos.PhotoNotFound):
        photos.remove_cooperative_photo(photo_id=photo.pk, cooperative_id=cooperative.pk + 1)
    assert CooperativePhoto.objects.count() == 1
