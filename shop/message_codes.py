"""What the system says in order histories and the stock ledger, stored as codes.

A note or reason the system writes is a code with parameters (OrderStatusChange.note_code
and note_params, StockMovement.reason_code and reason_params); the words are looked up here
when the row is read, in the reader's language, so a Vietnamese reader never sees English
frozen at write time (docs/architecture.md, "Data that users read in their language").
Free text a person typed stays in `note`/`reason` and is shown as typed. Rows written
before the codes keep their text and render as before.

Writers pass `coded("payment_received", reference=...)` wherever they passed a note or a
reason before; `fields()` splits either form into the three columns. Parameters are data
(order numbers, references, lot codes), never words, so they read the same in any language.
"""

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # Order history (OrderStatusChange)
    "order_placed": _("Order placed"),
    "payment_received": _("Payment received"),
    "payment_received_late": _("Payment received after the order expired"),
    "payment_dummy": _("Test payment %(reference)s"),
    "payment_stripe": _("Stripe payment %(reference)s"),
    "cancelled": _("Cancelled"),
    "not_paid_in_time": _("Not paid in time"),
    "lot_withdrawn_while_paying": _("Not paid: a lot was recalled or sold out while paying"),
    "sold_out_while_paying": _("Sold out while paying"),
    "recalled_while_paying": _("A batch of the order was recalled while paying"),
    "refunded": _("Refunded"),
    "refund": _("Refund %(reference)s"),
    "refunded_at_stripe": _("Refunded at Stripe (%(reference)s)"),
    "cancelled_and_refunded": _("Cancelled and refunded"),
    "shipped_with": _("Shipped with %(carrier)s, tracking number %(tracking)s"),
    "delivered": _("Delivered"),
    "recall_cancelled": _("Cancelled: a batch in this order was recalled"),
    # The same word as shop.fulfilment.withdrawals.RECALL_HOLD, a shipment's hold reason.
    "recall": _("Stopped: a batch in this parcel was recalled"),
    # Stock ledger (StockMovement)
    "sold_in_order": _("Sold in order %(order)s"),
    "returned_line": _("Returned: line %(line)s of an order"),
    "refund_restock": _("Refund %(reference)s of order %(order)s"),
    "recall_withdrawn": _("Recall: withdrawn from order %(order)s"),
    "assembled_into": _("Put into gift box lot %(lot)s"),
    "received_workspace": _("Received in the cooperative workspace"),
    "received_api": _("Received through the API"),
    "imported_file": _("Imported from a file"),
    "demo_opening_stock": _("Demo data: opening stock"),
    "demo_sold_before": _("Demo data: sold before the demo opened"),
    "adjust_damaged": _("Damaged or lost (take out)"),
    "adjust_expired": _("Past best-before (take out)"),
    "adjust_returned": _("Returned by a buyer (put back)"),
    "adjust_count_down": _("Counted fewer (take out)"),
    "adjust_count_up": _("Counted more (put in)"),
}


class UnknownCode(ValueError):
    """A writer named a code this registry does not know (a programming error)."""


class Coded(NamedTuple):
    """A message as a code and its parameters: what writers pass instead of words."""

    code: str
    params: dict

    def __str__(self) -> str:
        return render(code=self.code, params=self.params)


def coded(code: str, **params) -> Coded:
    """The message `code` with its parameters (strings, for JSON). Raises UnknownCode."""
    if code not in MESSAGES:
        raise UnknownCode(code)
    return Coded(code, {key: str(value) for key, value in params.items()})


def fields(message: "str | Coded", prefix: str, max_length: int = 300) -> dict:
    """The row's columns for a note or reason: `{prefix}`, `{prefix}_code` and
    `{prefix}_params`. Typed text goes into the text column, a code into the other two."""
    if isinstance(message, Coded):
        return {prefix: "", f"{prefix}_code": message.code, f"{prefix}_params": message.params}
    return {prefix: (message or "")[:max_length], f"{prefix}_code": "", f"{prefix}_params": {}}


def render(*, code: str, params: dict | None = None, text: str = "") -> str:
    """The words of a stored note in the active language: the coded message (with the
    typed text after it when a row has both), else the text as stored. An unknown code (a
    row from a newer release) or missing parameter shows the code rather than failing."""
    if not code:
        return text
    message = MESSAGES.get(code)
    if message is None:
        words = code
    else:
        try:
            words = str(message) % (params or {}) if "%(" in str(message) else str(message)
        except (KeyError, TypeError, ValueError):
            words = str(message)
    return f"{words}: {text}" if text else words


def is_code(message: "str | Coded", code: str) -> bool:
    return isinstance(message, Coded) and message.code == code
