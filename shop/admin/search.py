"""Admin search over folded text: "nuoc mam" finds "nước mắm", as on the storefront."""

from shop.search import fold


class FoldedSearchAdmin:
    """ModelAdmin mixin: search with a folded term.

    Every field in search_fields must hold folded text (Product.search_text) or plain
    ASCII codes (SKU, GTIN, lot code), which fold to themselves up to case.
    """

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))
