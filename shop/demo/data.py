"""The whole demo catalogue in one place: what loader.py writes and the tests count."""

from shop.demo.beverages import BEVERAGES
from shop.demo.cooperatives import COOPERATIVES, STAFF_COOPERATIVE
from shop.demo.crafts import HANDICRAFTS, TEXTILES
from shop.demo.food import FOOD
from shop.demo.gift_sets import GIFT_SETS
from shop.demo.herbs import HERBS
from shop.demo.specs import CooperativeSpec, ProductSpec

PRODUCTS: tuple[ProductSpec, ...] = FOOD + BEVERAGES + HERBS + TEXTILES + HANDICRAFTS
CATALOGUE: tuple[ProductSpec, ...] = PRODUCTS + GIFT_SETS

ADMIN_EMAIL = "admin@ocop.example"
ADMIN_PASSWORD = "ocop-admin-demo"
STAFF_EMAIL = "staff@duongdong-fishsauce.example"
STAFF_PASSWORD = "ocop-staff-demo"

__all__ = [
    "ADMIN_EMAIL",
    "ADMIN_PASSWORD",
    "CATALOGUE",
    "COOPERATIVES",
    "GIFT_SETS",
    "PRODUCTS",
    "STAFF_COOPERATIVE",
    "STAFF_EMAIL",
    "STAFF_PASSWORD",
    "CooperativeSpec",
    "ProductSpec",
]
