from .accounts import User
from .api import ApiToken
from .cart import Address, Cart, CartLine, StockHold
from .catalogue import Cooperative, GiftSetComponent, Product, ProductGroup, Variant
from .currencies import CurrencyRate
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
from .gifts import CooperativeVisit, Gift, GiftThankYou
from .inventory import Batch, BatchStatus, MovementKind, StockMovement
from .media import CooperativePhoto, ProductPhoto
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
from .shipping import (
    DestinationRule,
    DispatchClosure,
    ShippingMethod,
    ShippingRate,
    ShippingZone,
)
from .taxes import DutyRate, TaxCategory, TaxMode, TaxRate
from .workspace import DigestSent

__all__ = [
    "CurrencyRate",
    "CooperativeVisit",
    "Gift",
    "GiftThankYou",
    "DestinationRule",
    "DispatchClosure",
    "DutyRate",
    "TaxCategory",
    "TaxMode",
    "TaxRate",
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
    "CooperativePhoto",
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
    "ProductPhoto",
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
