"""Recalling a batch: off sale at once, goods that have not left stopped, every buyer told.

`recall_batch` (service.py) takes the batch off sale in one transaction, with every box lot
assembled from it (each with its own Recall, `caused_by` the batch's). Shipments still with
their cooperative that hold units of those lots go on hold and the units come back to the
lots, to quarantine; each line is re-allocated from another lot of the same variant or
marked for refund (shop.fulfilment.withdrawals). One RecallNotice per order and lot says
what the recall did: do not use (the units left), replaced (from lot Y), refunded, or
cancelled (unpaid). From then on `Batch.objects.on_sale()` leaves the lots out, so no hold,
allocation or payment (shop.fulfilment.payment.pay_order refuses with LotWithdrawn) can
take their units.

Lock order (the shop's one order: cart → batches → order → shipment → payment → recall and
notice rows): the recall locks the recalled lot, its box lots and every lot that may replace
their units in one statement in primary-key order; then the orders holding their units
(FOR NO KEY UPDATE, key order); then the shipments (shipments.hold, order before shipment);
then writes the recall and notice rows. A payer (pay_order) also takes its batches before
its order, so while the recall holds the batch lock no payer of the lot holds an order row
the recall will wait for, and notice rows inserted at the end check their foreign key to
an order with KEY SHARE, which NO KEY UPDATE does not block: no cycle, no deadlock.

After the commit the worker (worker.tasks.recalls.notify_recall, notices.py) cancels the
unpaid orders, refunds the withdrawn lines no lot could fill through shop.payments.refunds
(no lock is held while Stripe is called), then queues one `send_notice` per buyer: each
buyer (order email) gets one email per recall, covering the box-lot recalls it caused and
all their orders, in the language of their latest affected order, exactly once.
`preview` (impact.py) reads what a recall would touch, for the confirmation pages.
"""

from traceability.recalls.impact import RecallImpact, preview
from traceability.recalls.notices import (
    CANCEL_NOTE,
    NoticeNotFound,
    build_message,
    prepare_notices,
    recalls_with_pending_notices,
    refund_withdrawn,
    send_notice,
)
from traceability.recalls.service import (
    REASON_MAX_LENGTH,
    SHOP_ACTOR,
    InvalidReason,
    RecallError,
    RecallNotAllowed,
    box_lots_of,
    may_recall,
    recall_batch,
    recall_of,
)

__all__ = [
    "CANCEL_NOTE",
    "InvalidReason",
    "NoticeNotFound",
    "REASON_MAX_LENGTH",
    "RecallError",
    "RecallImpact",
    "RecallNotAllowed",
    "SHOP_ACTOR",
    "box_lots_of",
    "build_message",
    "may_recall",
    "prepare_notices",
    "recalls_with_pending_notices",
    "preview",
    "recall_batch",
    "recall_of",
    "refund_withdrawn",
    "send_notice",
]
