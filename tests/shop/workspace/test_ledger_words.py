"""The batch page's ledger reads the codes the system wrote in the staff member's language."""

import pytest

from shop import inventory, message_codes
from shop.models import MovementKind

pytestmark = pytest.mark.django_db


def test_the_workspace_batch_page_shows_ledger_codes_in_the_staff_members_language(
    staff_client, batch
):
    for language, words in (("vi", "Hư hỏng hoặc mất (bớt ra)"), ("en", "Damaged or lost")):
        inventory.record_movement(
            batch_id=batch.pk,
            kind=MovementKind.DAMAGED,
            quantity=-1,
            reason=message_codes.coded("adjust_damaged"),
        )
        staff_client.cookies["django_language"] = language
        page = staff_client.get(f"/coop/batches/{batch.pk}/").content.decode()
        assert words in page
