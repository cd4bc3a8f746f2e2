"""Typed errors of the inventory: a refused stock change wrote nothing."""

from django.conf import settings


class InventoryError(Exception):
    """Base for refused stock changes; nothing was written."""


class InsufficientStock(InventoryError):
    def __init__(self, *, batch_id: int, requested: int, available: int):
        self.batch_id, self.requested, self.available = batch_id, requested, available
        super().__init__(f"Batch {batch_id}: {requested} asked, {available} available.")


class InvalidMovement(InventoryError):
    pass


class InvalidQuantity(InventoryError):
    def __init__(self, quantity):
        self.quantity = quantity
        super().__init__(f"Quantity must be 1 to {settings.MAX_LINE_QUANTITY}, not {quantity}.")


class OutOfStock(InventoryError):
    """Fewer units are available than asked for. `available` is what could be had."""

    def __init__(self, *, variant_id: int, requested: int, available: int):
        self.variant_id, self.requested, self.available = variant_id, requested, available
        super().__init__(f"Variant {variant_id}: {requested} asked, {available} available.")


class HoldExpired(InventoryError):
    def __init__(self, *, line_ids: list[int]):
        self.line_ids = line_ids
        super().__init__(f"The holds of cart lines {line_ids} have expired.")
