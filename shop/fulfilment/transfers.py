"""Transfers of component units between cooperatives for a gift-box assembly run.

A run that takes units of another cooperative's lot gives that cooperative a transfer to send
(REQUESTED). The sender marks it sent, the assembler marks it received; each move appends a
shipping or receiving event to the component lot's chain. When the last transfer of a run
is received its box lot goes on sale.

Lock order: the box lot's batch row (through shop.inventory), then the transfer rows.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from shop import inventory
from shop.inventory.locks import lock_batches
from shop.models import Transfer, TransferStatus, User
from traceability import events
from traceability.models import EventKind


class TransferError(Exception):
    """A refused transfer move; nothing was written."""


class TransferNotFound(TransferError):
    pass


class NotAllowed(TransferError):
    """Only the sender's staff mark a transfer sent, the assembler's staff mark it received
    (a superuser, or the system with no actor, may do either)."""


class WrongTransferState(TransferError):
    def __init__(self, *, transfer_id: int, status: str):
        self.transfer_id, self.status = transfer_id, status
        super().__init__(f"Transfer {transfer_id} is {status}.")


def _may_act(actor: User | None, cooperative_id: int) -> bool:
    if actor is None:  # the system itself (the demo loader), as for assembly.assemble
        return True
    if not actor.is_authenticated:
        return False
    return actor.is_superuser or (
        actor.is_cooperative_staff and actor.cooperative_id == cooperative_id
    )


def _user(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def _load(transfer_id: int) -> Transfer:
    transfer = (
        Transfer.objects.select_related(
            "batch", "run__box_batch", "from_cooperative__village", "to_cooperative__village"
        )
        .filter(pk=transfer_id)
        .first()
    )
    if transfer is None:
        raise TransferNotFound(f"No transfer {transfer_id}.")
    return transfer


def mark_sent(
    *, transfer_id: int, actor: User | None, now: datetime.datetime | None = None
) -> Transfer:
    """The sending cooperative has sent the units: REQUESTED → SENT.

    Side effects: locks the transfer row, records who and when, and appends a shipping
    event to the component lot's chain. Raises TransferNotFound, NotAllowed,
    WrongTransferState; nothing is written then.
    """
    now = now or timezone.now()
    transfer = _load(transfer_id)
    if not _may_act(actor, transfer.from_cooperative_id):
        raise NotAllowed(f"{actor} may not send transfer {transfer_id}.")
    with transaction.atomic():
        status = Transfer.objects.select_for_update().values_list("status", flat=True)
        current = status.get(pk=transfer_id)
        if current != TransferStatus.REQUESTED:
            raise WrongTransferState(transfer_id=transfer_id, status=current)
        Transfer.objects.filter(pk=transfer_id).update(
            status=TransferStatus.SENT, sent_at=now, sent_by=_user(actor)
        )
        sender, to, box = transfer.from_cooperative, transfer.to_cooperative, transfer.run.box_batch
        events.append_event(
            batch=transfer.batch,
            kind=EventKind.SHIPPING,
            occurred_at=now,
            place=sender.address,
            actor=sender.name,
            village=sender.village,
            notes_en=f"{transfer.quantity} units sent to {to.name} for gift box lot "
            f"{box.lot_code}.",
            notes_vi=f"Gửi {transfer.quantity} đơn vị cho {to.name} để đóng hộp quà lô "
            f"{box.lot_code}.",
            recorded_by=_user(actor),
        )
    transfer.refresh_from_db()
    return transfer


def mark_received(
    *, transfer_id: int, actor: User | None, now: datetime.datetime | None = None
) -> Transfer:
    """The assembler has received the units: SENT → RECEIVED.

    Side effects: locks the box lot's batch row, then the transfer row; records who and
    when; appends a receiving event to the component lot's chain; when no transfer of the
    run is left unreceived, puts the box lot on sale (ASSEMBLING → ON_SALE). Raises
    TransferNotFound, NotAllowed, WrongTransferState; nothing is written then.
    """
    now = now or timezone.now()
    transfer = _load(transfer_id)
    if not _may_act(actor, transfer.to_cooperative_id):
        raise NotAllowed(f"{actor} may not receive transfer {transfer_id}.")
    box = transfer.run.box_batch
    with transaction.atomic():
        # The box lot first: receipts of one run's transfers queue on it, so the last one
        # sees the others committed and opens the lot exactly once.
        lock_batches([box.pk])
        status = Transfer.objects.select_for_update().values_list("status", flat=True)
        current = status.get(pk=transfer_id)
        if current != TransferStatus.SENT:
            raise WrongTransferState(transfer_id=transfer_id, status=current)
        Transfer.objects.filter(pk=transfer_id).update(
            status=TransferStatus.RECEIVED, received_at=now, received_by=_user(actor)
        )
        assembler = transfer.to_cooperative
        events.append_event(
            batch=transfer.batch,
            kind=EventKind.RECEIVING,
            occurred_at=now,
            place=assembler.address,
            actor=assembler.name,
            village=assembler.village,
            notes_en=f"{transfer.quantity} units received for gift box lot {box.lot_code}.",
            notes_vi=f"Đã nhận {transfer.quantity} đơn vị để đóng hộp quà lô {box.lot_code}.",
            recorded_by=_user(actor),
        )
        waiting = (
            Transfer.objects.filter(run_id=transfer.run_id)
            .exclude(status=TransferStatus.RECEIVED)
            .exists()
        )
        if not waiting:
            inventory.put_box_lot_on_sale(batch_id=box.pk)
    transfer.refresh_from_db()
    return transfer
