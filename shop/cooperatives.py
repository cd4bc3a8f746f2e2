"""Cooperatives: what must follow when one is saved under a new name.

Products carry a folded copy of their cooperative's name in `search_text` (shop.search), so a
renamed cooperative is found by its new name only once its products' text is refolded. The
callers that save a cooperative (the admin, the demo loader) call this; no signals.
"""

from django.db import transaction

from shop.models import Product


def refresh_search_text(*, cooperative_id: int) -> int:
    """Refold the search text of every product of the cooperative from the names saved now.

    Writes Product.search_text only (one UPDATE per batch of products); returns how many
    products were refreshed. Call it in the transaction that renamed the cooperative.
    """
    products = list(
        Product.objects.filter(cooperative_id=cooperative_id).select_related("cooperative")
    )
    for product in products:
        product.search_text = product.build_search_text()
    with transaction.atomic():
        Product.objects.bulk_update(products, ["search_text"], batch_size=200)
    return len(products)
