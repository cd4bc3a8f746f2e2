"""Stock: the ledger, cart holds and order allocations.

The only code that writes batch quantities or locks stock rows. Callers use this package's
names: `inventory.hold(cart=..., variant=..., quantity=...)`, `inventory.record_movement(...)`.
"""

from shop.inventory.allocations import (
    allocate_cart,
    confirm_sale,
    reallocate,
    release_allocations,
)
from shop.inventory.assembly import (
    BoxLot,
    LotNotUsable,
    open_box_lot,
    plan_components,
    put_box_lot_on_sale,
)
from shop.inventory.errors import (
    HoldExpired,
    InsufficientStock,
    InvalidMovement,
    InvalidQuantity,
    InventoryError,
    OutOfStock,
)
from shop.inventory.holds import (
    delete_expired_holds,
    extend_holds,
    hold,
    hold_many,
    remove_line,
)
from shop.inventory.ledger import ledger_on_hand, receive_batch, record_movement

__all__ = [
    "BoxLot",
    "LotNotUsable",
    "open_box_lot",
    "plan_components",
    "put_box_lot_on_sale",
    "HoldExpired",
    "InsufficientStock",
    "InvalidMovement",
    "InvalidQuantity",
    "InventoryError",
    "OutOfStock",
    "allocate_cart",
    "confirm_sale",
    "delete_expired_holds",
    "extend_holds",
    "hold",
    "hold_many",
    "ledger_on_hand",
    "reallocate",
    "receive_batch",
    "record_movement",
    "release_allocations",
    "remove_line",
]
