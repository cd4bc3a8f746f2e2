"""Gallery photos in the admin: added inline on the product's page through the re-encoding
field with alt text in English and Vietnamese, thumbnails made once; a bad file is a form
error; a cooperative's staff reach only their own products' photos."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from shop import photos
from shop.models import ProductPhoto
from tests.factories import ProductFactory, StaffFactory
from tests.shop.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg(size=(800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (90, 60, 30)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def product():
    return ProductFactory(name_en="Lotus tea")


@pytest.fixture
def staff(client, product):
    user = StaffFactory(cooperative=product.cooperative)
    client.force_login(user)
    return user


def post_inline_photo(client, product, data: bytes):
    change = reverse("admin:shop_product_change", args=[product.pk])
    form = change_form_data(client.get(change))
    form.update(
        {
            "photos-0-image": SimpleUploadedFile("tea.jpg", data),
            "photos-0-alt_en": "Tea leaves drying",
            "photos-0-alt_vi": "Lá chè đang phơi",
            "photos-0-position": "1",
            "photos-TOTAL_FORMS": "1",
        }
    )
    return client.post(change, form)


def test_staff_add_a_gallery_photo_inline_with_alt_text_in_both_languages(client, product, staff):
    response = post_inline_photo(client, product, jpeg())

    assert response.status_code == 302
    photo = ProductPhoto.objects.get(product=product)
    assert (photo.alt_en, photo.alt_vi, photo.width, photo.height) == (
        "Tea leaves drying",
        "Lá chè đang phơi",
        800,
        600,
    )
    assert photo.image.name.startswith("products/gallery/")
    for width in (320, 640):
        assert default_storage.exists(f"thumbs/{photo.image.name}.{width}w.webp")


def test_a_bad_file_in_the_admin_inline_is_a_form_error(client, product, staff):
    response = post_inline_photo(client, product, b"<html><script>alert(1)</script></html>")

    assert response.status_code == 200
    assert "Send a JPEG, PNG or WebP picture." in response.content.decode()
    assert not ProductPhoto.objects.exists()


def test_deleting_a_photo_inline_removes_it(client, product, staff):
    photo = photos.add_product_photo(
        product=product, image=SimpleUploadedFile("a.jpg", jpeg()), alt_en="Tea"
    )
    change = reverse("admin:shop_product_change", args=[product.pk])
    form = change_form_data(client.get(change))
    form["photos-0-DELETE"] = "on"

    response = client.post(change, form)

    assert response.status_code == 302
    assert not ProductPhoto.objects.filter(pk=photo.pk).exists()


def test_another_cooperatives_staff_cannot_reach_the_product_or_its_photos(client, product):
    photo = photos.add_product_photo(
        product=product, image=SimpleUploadedFile("a.jpg", jpeg()), alt_en="Tea"
    )
    client.force_login(StaffFactory(cooperative=ProductFactory().cooperative))
    change = reverse("admin:shop_product_change", args=[product.pk])

    answers = [
        client.get(change).status_code,
        client.post(change, {"photos-0-id": photo.pk, "photos-0-DELETE": "on"}).status_code,
    ]

    assert answers[0] == 302  # the admin's "no such object" redirect
    assert answers[1] == 302
    assert list(ProductPhoto.objects.values_list("pk", "alt_en")) == [(photo.pk, "Tea")]
