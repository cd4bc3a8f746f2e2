"""The Django admin. A cooperative's staff see and change only their own cooperative's
products, variants, batches and stock movements (shop.admin.scoping); superusers see all."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from shop.admin import (  # noqa: F401  (registers the admins)
    accounts,
    assembly,
    catalogue,
    currencies,
    destinations,
    inventory,
    orders,
    shipments,
    shipping,
    taxes,
    visits,
)

admin.site.site_header = _("OCOP Village Shop administration")
admin.site.site_title = _("OCOP Village Shop")
admin.site.index_title = _("Cooperatives, products and stock")
