import pytest

from tests.factories import BatchFactory
from tests.shop.checkout_data import honey, placed_order


@pytest.fixture
def honey_batch(db):
    """Ten jars of honey in lot HONEY1 (10.90 USD, 9.90 EUR, 145,000 VND a jar)."""
    return BatchFactory(variant=honey(), lot_code="HONEY1", quantity_received=10)


@pytest.fixture
def order(honey_batch):
    """Two jars shipped to Germany with gift wrap: 37.80 USD, unpaid."""
    return placed_order((honey_batch.variant, 2))
