"""The workspace's photo pages: staff add photos of their own products and cooperative with
the phone's camera, Vietnamese first; bad files get a form error, never a 500; another
cooperative's staff can neither see, add nor remove them."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shop import photos
from shop.models import CooperativePhoto, ProductPhoto
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def jpeg(size=(1200, 900)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(out, "JPEG")
    return out.getvalue()


def pixel_bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")  # 100 megapixels in a few kB
    return out.getvalue()


def post_photo(client, url: str, data: bytes, name: str = "camera.jpg"):
    return client.post(
        url,
        {
            "image": SimpleUploadedFile(name, data),
            "alt_vi": "Chai nước mắm trên bàn",
            "alt_en": "A bottle on the table",
        },
    )


def test_the_photo_form_opens_the_phones_camera_in_vietnamese(staff_client, variant):
    response = staff_client.get(f"/coop/photos/products/{variant.product_id}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'accept="image/*" capture="environment"' in page
    assert "Thêm ảnh" in page
    assert "Nước mắm Phú Quốc" in page


def test_staff_add_a_photo_of_their_product_and_see_it(staff_client, variant):
    # when a staff member sends a photo from the camera
    url = f"/coop/photos/products/{variant.product_id}/"
    response = post_photo(staff_client, url, jpeg())
    # then it is stored with its alt texts and thumbnails, and the gallery page shows it
    assert (response.status_code, response["Location"]) == (302, url)
    photo = ProductPhoto.objects.get(product=variant.product)
    assert (photo.alt_vi, photo.alt_en, photo.width, photo.height) == (
        "Chai nước mắm trên bàn",
        "A bottle on the table",
        1200,
        900,
    )
    assert default_storage.exists(f"thumbs/{photo.image.name}.320w.webp")
    page = staff_client.get(url).content.decode()
    assert f'src="/media/thumbs/{photo.image.name}.320w.webp"' in page
    # and the photos list counts it
    assert "1 ảnh" in staff_client.get("/coop/photos/").content.decode()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.jpg", b"not a picture at all", "Hãy gửi ảnh JPEG, PNG hoặc WebP."),
        ("huge.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024), "Ảnh lớn hơn 5 MB."),
        ("bomb.png", pixel_bomb(), "Ảnh có quá nhiều điểm ảnh (tối đa 40 megapixel)."),
    ],
    ids=["not-an-image", "oversized", "decompression-bomb"],
)
def test_a_bad_file_gets_a_form_error_and_stores_nothing(
    staff_client, variant, name, data, message
):
    response = post_photo(staff_client, f"/coop/photos/products/{variant.product_id}/", data, name)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProductPhoto.objects.exists()


def test_a_photo_needs_its_vietnamese_description(staff_client, variant):
    response = staff_client.post(
        f"/coop/photos/products/{variant.product_id}/",
        {"image": SimpleUploadedFile("a.jpg", jpeg()), "alt_vi": ""},
    )

    assert response.status_code == 400
    assert not ProductPhoto.objects.exists()


def test_staff_remove_their_own_photo(staff_client, variant):
    photo = photos.add_product_photo(
        product=variant.product, image=SimpleUploadedFile("a.jpg", jpeg()), alt_vi="Chai"
    )

    response = staff_client.post(f"/coop/photos/products/remove/{photo.pk}/")

    assert response.status_code == 302
    assert not ProductPhoto.objects.exists()


def test_staff_add_photos_of_their_cooperative(staff_client, coop):
    response = post_photo(staff_client, "/coop/photos/cooperative/", jpeg())

    assert response.status_code == 302
    assert CooperativePhoto.objects.get().cooperative == coop


def test_another_cooperatives_staff_cannot_see_add_or_remove_photos(
    client, variant, other_coop, coop
):
    # given photos of a product and of its cooperative, and staff of another cooperative
    photo = photos.add_product_photo(
        product=variant.product, image=SimpleUploadedFile("a.jpg", jpeg()), alt_vi="Chai"
    )
    coop_photo = photos.add_cooperative_photo(
        cooperative=coop, image=SimpleUploadedFile("b.jpg", jpeg()), alt_vi="Xưởng"
    )
    client.force_login(StaffFactory(cooperative=other_coop))
    before = list(ProductPhoto.objects.values_list("pk", "image", "alt_vi"))
    # when they open, post to, or remove from the product's gallery, or the cooperative's
    gallery = f"/coop/photos/products/{variant.product_id}/"
    answers = [
        client.get(gallery).status_code,
        post_photo(client, gallery, jpeg()).status_code,
        client.post(f"/coop/photos/products/remove/{photo.pk}/").status_code,
        client.post(f"/coop/photos/cooperative/remove/{coop_photo.pk}/").status_code,
    ]
    # then every answer is "not found" and nothing changed
    assert answers == [404, 404, 404, 404]
    assert list(ProductPhoto.objects.values_list("pk", "image", "alt_vi")) == before
    assert list(CooperativePhoto.objects.values_list("pk", "cooperative")) == [
        (coop_photo.pk, coop.pk)
    ]
    assert default_storage.exists(photo.image.name)
    # and their own photos list shows none of the other cooperative's products
    assert "Nước mắm Phú Quốc" not in client.get("/coop/photos/").content.decode()
