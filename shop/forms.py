"""Forms of the storefront. Each turns raw query-string input into validated values or a
clear error for the shopper; no form writes to the database."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.catalogue import CatalogueFilters, Sort
from shop.models import ProductGroup
from shop.search import MAX_QUERY_LENGTH

# Wide enough for any VND price, narrow enough that the database never sees an overflow.
PRICE_MAX_DIGITS = 14


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. fish sauce")}),
    )
    group = forms.ChoiceField(
        label=_("Product group"),
        required=False,
        choices=[("", _("All groups")), *ProductGroup.choices],
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    stars = forms.TypedChoiceField(
        label=_("OCOP stars"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("Any rating")),
            ("3", _("3 stars or more")),
            ("4", _("4 stars or more")),
            ("5", _("5 stars")),
        ],
    )
    price_min = forms.DecimalField(
        label=_("Price from"),
        required=False,
        min_value=Decimal(0),
        max_digits=PRICE_MAX_DIGITS,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    price_max = forms.DecimalField(
        label=_("Price to"),
        required=False,
        min_value=Decimal(0),
        max_digits=PRICE_MAX_DIGITS,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    in_stock = forms.BooleanField(label=_("In stock only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            # Without a search the best match is the name order.
            (Sort.RELEVANCE, _("Best match")),
            (Sort.NAME, _("Name")),
            (Sort.PRICE_LOW, _("Price, low to high")),
            (Sort.PRICE_HIGH, _("Price, high to low")),
            (Sort.STARS, _("OCOP stars")),
            (Sort.NEWEST, _("Newest")),
        ],
    )

    def __init__(self, *args, provinces: list[tuple[str, str]], **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("All provinces")), *provinces]

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("price_min"), cleaned.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", _("The highest price must not be below the lowest."))
        return cleaned

    def filters(self) -> CatalogueFilters:
        """The validated filters; call after is_valid() returned True."""
        data = self.cleaned_data
        return CatalogueFilters(
            group=data["group"],
            province=data["province"],
            min_stars=data["stars"],
            price_min=data["price_min"],
            price_max=data["price_max"],
            in_stock=data["in_stock"],
            q=data["q"],
            sort=data["sort"] or Sort.RELEVANCE,
        )
