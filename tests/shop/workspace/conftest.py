"""A cooperative with a staff member signed in, and a second cooperative whose rows the first
must never reach. Product names are Vietnamese-first, as cooperatives write them."""

import uuid

import pytest
from django.core.cache import cache

from tests.factories import (
    BatchFactory,
    CooperativeFactory,
    ProductFactory,
    StaffFactory,
    VariantFactory,
    VillageFactory,
)


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    """Label jobs and scan counters live in the cache; ids repeat between test databases."""
    from traceability import scans

    cache.clear()
    monkeypatch.setattr(scans, "KEY_PREFIX", f"test:scans:{uuid.uuid4().hex}")
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media(request, settings, tmp_path):
    settings.SITE_URL = "https://ocop.example"
    # A browser journey looks at photos through /media/, which serves the test settings'
    # MEDIA_ROOT (read when the URLs load); other tests keep their uploads to themselves.
    if not request.node.get_closest_marker("browser"):
        settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def coop(db):
    village = VillageFactory(name="Hàm Ninh")
    return CooperativeFactory(name="HTX Nước mắm Hàm Ninh", village=village)


@pytest.fixture
def staff(coop):
    return StaffFactory(cooperative=coop, email="lan@hamninh.example", first_name="Lan")


@pytest.fixture
def variant(coop):
    return VariantFactory(
        product=ProductFactory(
            cooperative=coop, name_vi="Nước mắm Phú Quốc", name_en="Phu Quoc fish sauce"
        ),
        sku="NM-500",
        name_vi="Chai 500 ml",
        name_en="500 ml bottle",
    )


@pytest.fixture
def batch(variant, coop):
    return BatchFactory(
        variant=variant, lot_code="NMPQ-1", village=coop.village, quantity_received=40
    )


@pytest.fixture
def other_coop(db):
    return CooperativeFactory(name="HTX Chè Tân Cương")


@pytest.fixture
def other_variant(other_coop):
    return VariantFactory(
        product=ProductFactory(cooperative=other_coop, name_vi="Chè Tân Cương", name_en="Tea"),
        sku="TEA-100",
    )


@pytest.fixture
def other_batch(other_variant, other_coop):
    return BatchFactory(
        variant=other_variant, lot_code="TEA-1", village=other_coop.village, quantity_received=30
    )


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
