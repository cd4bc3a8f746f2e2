"""Edits in the admin that storefront pages and search must follow at once: a cooperative
renamed is found by its new name, a province or village renamed shows on the cached
product and cooperative pages."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from shop.models import Product
from tests.factories import BatchFactory, CooperativeFactory, ProductFactory, UserFactory
from tests.shop.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 30
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def admin_save(client, url: str, **changes) -> None:
    data = change_form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_cooperative_renamed_in_the_admin_is_found_by_its_new_name(
    admin_client, django_capture_on_commit_callbacks
):
    cooperative = CooperativeFactory(name="HTX Gốm Cũ", slug="htx-gom")
    product = ProductFactory(cooperative=cooperative)
    assert list(Product.objects.search("gom cu")) == [product]

    with django_capture_on_commit_callbacks(execute=True):
        admin_save(
            admin_client,
            reverse("admin:shop_cooperative_change", args=[cooperative.pk]),
            name="HTX Sứ Bát Tràng",
        )

    assert list(Product.objects.search("su bat trang")) == [product]
    assert list(Product.objects.search("gom cu")) == []


@pytest.mark.parametrize("target", ["village", "province"])
def test_an_origin_renamed_in_the_admin_shows_on_the_cached_storefront_pages_at_once(
    admin_client, django_capture_on_commit_callbacks, target
):
    cooperative = CooperativeFactory()
    cooperative.village.province = cooperative.province
    product = ProductFactory(cooperative=cooperative)
    BatchFactory(variant__product=product, village=cooperative.village)
    shopper = Client()
    pages = {
        "village": (cooperative.get_absolute_url(), cooperative.village, "Làng Đổi Tên"),
        "province": (product.get_absolute_url(), cooperative.province, "Tỉnh Đổi Tên"),
    }
    url, row, new_name = pages[target]
    assert new_name not in shopper.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        admin_save(
            admin_client,
            reverse(f"admin:traceability_{target}_change", args=[row.pk]),
            name=new_name,
        )

    assert new_name in shopper.get(url).content.decode()
