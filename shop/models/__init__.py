from .accounts import User
from .catalogue import Cooperative, Product, ProductGroup, Variant
from .inventory import Batch, BatchStatus, MovementKind, StockMovement

__all__ = [
    "Batch",
    "BatchStatus",
    "Cooperative",
    "MovementKind",
    "Product",
    "ProductGroup",
    "StockMovement",
    "User",
    "Variant",
]
