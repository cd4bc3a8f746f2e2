from .accounts import User
from .api import ApiToken
from .cart import Address, Cart, CartLine, StockHold
from .catalogue import Cooperative, GiftSetComponent, Product, ProductGroup, Variant
from .fulfilment import (
    AssemblyInput,
    AssemblyRun,
    LineReturn,
    Shipment,
    ShipmentStatus,
    ShipmentStatusChange,
    Transfer,
    TransferStatus,
)
from .inventory import Batch, BatchStatus, MovementKind, StockMovement
from .orders import (
    AllocationState,
    Order,
    OrderEmail,
    OrderLine,
    OrderLineBatch,
    OrderStatus,
    OrderStatusChange,
    PendingEmail,
)
from .payments import Payment, PaymentStatus, Refund, RefundLine, WebhookEvent
from .shipping import ShippingMethod, ShippingRate, ShippingZone
from .workspace import DigestSent

__all__ = [
    "RefundLine",
    "TransferStatus",
    "Transfer",
    "ShipmentStatusChange",
    "ShipmentStatus",
    "Shipment",
    "LineReturn",
    "AssemblyRun",
    "AssemblyInput",
    "Address",
    "ApiToken",
    "AllocationState",
    "Batch",
    "BatchStatus",
    "Cart",
    "CartLine",
    "Cooperative",
    "DigestSent",
    "GiftSetComponent",
    "MovementKind",
    "Order",
    "OrderEmail",
    "PendingEmail",
    "OrderLine",
    "OrderLineBatch",
    "OrderStatus",
    "OrderStatusChange",
    "Payment",
    "PaymentStatus",
    "Product",
    "Refund",
    "ProductGroup",
    "ShippingMethod",
    "ShippingRate",
    "ShippingZone",
    "StockHold",
    "StockMovement",
    "User",
    "Variant",
    "WebhookEvent",
]
