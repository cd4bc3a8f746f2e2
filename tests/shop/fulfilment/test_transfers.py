"""Transfers of component units to the assembler: sent, received, and the box lot opens."""

import pytest

from shop.fulfilment import assembly, transfers
from shop.models import Batch, BatchStatus, Transfer, TransferStatus
from tests.factories import (
    BatchFactory,
    GiftSetComponentFactory,
    StaffFactory,
    UserFactory,
    VariantFactory,
)
from traceability.models import EventKind, TraceEvent

pytestmark = pytest.mark.django_db


def run_with_two_partners():
    """A box of the assembler's own tea, a partner's honey and another partner's pepper."""
    box = VariantFactory(product__is_gift_set=True, product__cooperative__name="HTX Hồng Nam")
    tea = VariantFactory(product__cooperative=box.product.cooperative)
    honey, pepper = VariantFactory(), VariantFactory()
    for part in (tea, honey, pepper):
        GiftSetComponentFactory(gift_set=box, component=part)
        BatchFactory(variant=part, lot_code=f"L-{part.pk}")
    run = assembly.assemble(gift_set=box, boxes=12, actor=None, lot_code="TET-26")
    return run, list(run.transfers.order_by("pk"))


def staff_of(cooperative):
    return StaffFactory(cooperative=cooperative)


def events_of(batch):
    return list(TraceEvent.objects.filter(batch=batch).values_list("kind", "notes_en"))


def test_the_sender_marks_sent_and_a_shipping_event_joins_the_lot():
    run, (honey_transfer, _pepper) = run_with_two_partners()
    sender = staff_of(honey_transfer.from_cooperative)

    transfers.mark_sent(transfer_id=honey_transfer.pk, actor=sender)

    honey_transfer.refresh_from_db()
    assert (honey_transfer.status, honey_transfer.sent_by) == (TransferStatus.SENT, sender)
    assert honey_transfer.sent_at is not None
    assert events_of(honey_transfer.batch) == [
        (EventKind.SHIPPING, "12 units sent to HTX Hồng Nam for gift box lot TET-26.")
    ]
    run.box_batch.refresh_from_db()
    assert run.box_batch.status == BatchStatus.ASSEMBLING


def test_the_last_receipt_puts_the_box_lot_on_sale():
    run, (honey, pepper) = run_with_two_partners()
    assembler = staff_of(run.assembler)
    for transfer in (honey, pepper):
        transfers.mark_sent(transfer_id=transfer.pk, actor=staff_of(transfer.from_cooperative))

    transfers.mark_received(transfer_id=honey.pk, actor=assembler)
    assert Batch.objects.get(pk=run.box_batch.pk).status == BatchStatus.ASSEMBLING

    transfers.mark_received(transfer_id=pepper.pk, actor=assembler)
    box_lot = Batch.objects.get(pk=run.box_batch.pk)
    assert box_lot.status == BatchStatus.ON_SALE
    assert Batch.objects.sellable().filter(pk=box_lot.pk).exists()
    assert [kind for kind, _notes in events_of(pepper.batch)] == [
        EventKind.SHIPPING,
        EventKind.RECEIVING,
    ]
    pepper.refresh_from_db()
    assert (pepper.status, pepper.received_by) == (TransferStatus.RECEIVED, assembler)


def test_a_recalled_box_lot_stays_recalled_when_its_components_arrive():
    run, transfers_of_run = run_with_two_partners()
    Batch.objects.filter(pk=run.box_batch.pk).update(status=BatchStatus.RECALLED)
    for transfer in transfers_of_run:
        transfers.mark_sent(transfer_id=transfer.pk, actor=staff_of(transfer.from_cooperative))
        transfers.mark_received(transfer_id=transfer.pk, actor=staff_of(run.assembler))

    assert Batch.objects.get(pk=run.box_batch.pk).status == BatchStatus.RECALLED


def test_only_the_sender_sends_and_only_the_assembler_receives():
    run, (honey, _pepper) = run_with_two_partners()
    before = (list(Transfer.objects.values_list("pk", "status")), TraceEvent.objects.count())

    for stranger in (staff_of(run.assembler), StaffFactory(), UserFactory()):
        with pytest.raises(transfers.NotAllowed):
            transfers.mark_sent(transfer_id=honey.pk, actor=stranger)
    transfers.mark_sent(transfer_id=honey.pk, actor=staff_of(honey.from_cooperative))
    for stranger in (staff_of(honey.from_cooperative), StaffFactory(), UserFactory()):
        with pytest.raises(transfers.NotAllowed):
            transfers.mark_received(transfer_id=honey.pk, actor=stranger)

    assert Transfer.objects.get(pk=honey.pk).status == TransferStatus.SENT
    assert TraceEvent.objects.count() == before[1] + 1


def test_a_superuser_may_do_either():
    run, (honey, _pepper) = run_with_two_partners()
    admin = UserFactory(is_superuser=True, is_staff=True)

    transfers.mark_sent(transfer_id=honey.pk, actor=admin)
    transfers.mark_received(transfer_id=honey.pk, actor=admin)

    assert Transfer.objects.get(pk=honey.pk).status == TransferStatus.RECEIVED


def test_moves_out_of_order_are_refused_and_write_nothing():
    run, (honey, _pepper) = run_with_two_partners()
    sender, assembler = staff_of(honey.from_cooperative), staff_of(run.assembler)
    events_before = TraceEvent.objects.count()

    with pytest.raises(transfers.WrongTransferState):
        transfers.mark_received(transfer_id=honey.pk, actor=assembler)
    transfers.mark_sent(transfer_id=honey.pk, actor=sender)
    with pytest.raises(transfers.WrongTransferState):
        transfers.mark_sent(transfer_id=honey.pk, actor=sender)
    transfers.mark_received(transfer_id=honey.pk, actor=assembler)
    with pytest.raises(transfers.WrongTransferState):
        transfers.mark_received(transfer_id=honey.pk, actor=assembler)
    with pytest.raises(transfers.TransferNotFound):
        transfers.mark_sent(transfer_id=honey.pk + 999, actor=sender)

    assert TraceEvent.objects.count() == events_before + 2
