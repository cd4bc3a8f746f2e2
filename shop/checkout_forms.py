"""Forms of the cart, checkout and account pages. They parse and check input; the services in
shop.carts, shop.checkout and shop.orders decide and write."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from shop import checkout, gifts
from shop.models import User
from shop.models.cart import GIFT_MESSAGE_MAX_LENGTH

QUANTITY_ERRORS = {
    "required": _("Enter how many you want."),
    "invalid": _("Enter a whole number, like 1 or 2."),
    "min_value": _("Choose at least 1."),
    "max_value": _("You can order at most %(limit_value)s of one item."),
}


class AddToCartForm(forms.Form):
    variant = forms.IntegerField(min_value=1, error_messages={"invalid": _("Unknown product.")})
    quantity = forms.IntegerField(
        min_value=1, max_value=settings.MAX_LINE_QUANTITY, error_messages=QUANTITY_ERRORS
    )


class QuantityForm(forms.Form):
    """A cart line's new quantity; 0 removes the line."""

    variant = forms.IntegerField(min_value=1, error_messages={"invalid": _("Unknown product.")})
    quantity = forms.IntegerField(
        min_value=0,
        max_value=settings.MAX_LINE_QUANTITY,
        error_messages={**QUANTITY_ERRORS, "min_value": _("Choose 0 or more.")},
    )


class LineForm(forms.Form):
    variant = forms.IntegerField(min_value=1)


class DestinationForm(forms.Form):
    """The cart's "ship to" country (blank forgets it); shop.destinations records it."""

    country = forms.ChoiceField(
        label=_("Ship to"),
        choices=(),
        required=False,
        error_messages={"invalid_choice": _("Choose a country from the list.")},
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Choose a country")), *countries]


class CheckoutDetailsForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    buyer_name = forms.CharField(label=_("Your name"), max_length=200)
    full_name = forms.CharField(
        label=_("Recipient's full name"),
        max_length=200,
        help_text=_("Who the parcel is for; write another name if it is a gift."),
    )
    company = forms.CharField(label=_("Company (optional)"), max_length=200, required=False)
    line1 = forms.CharField(label=_("Address line 1"), max_length=200)
    line2 = forms.CharField(label=_("Address line 2 (optional)"), max_length=200, required=False)
    city = forms.CharField(label=_("City or town"), max_length=100, required=False)
    region = forms.CharField(label=_("State / province / region"), max_length=100, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=())
    phone = forms.CharField(label=_("Phone (for the courier)"), max_length=30, required=False)
    is_gift = forms.BooleanField(label=_("This is a gift"), required=False)
    gift_message = forms.CharField(
        label=_("Gift message for a printed card"),
        max_length=GIFT_MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("At most 300 characters."),
    )
    gift_signature = forms.CharField(
        label=_("Sign the card as"),
        max_length=100,
        required=False,
        help_text=_("The name the receiver sees on the card and the gift page."),
    )
    gift_language = forms.ChoiceField(label=_("The receiver reads"), choices=(), required=False)
    gift_wrap = forms.BooleanField(label=_("Gift wrap"), required=False)
    hide_prices = forms.BooleanField(label=_("Hide prices on the packing slip"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Choose a country")), *countries]
        # The card is printed in a language the shop speaks; the buyer's own by default.
        self.fields["gift_language"].choices = gifts.languages()
        if not self.initial.get("gift_language"):
            self.initial["gift_language"] = translation.get_language()
        # Browsers and password managers fill the address from these tokens (WHATWG).
        for name, token in AUTOCOMPLETE.items():
            self.fields[name].widget.attrs["autocomplete"] = token
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs["inputmode"] = "tel"
        # Phone keyboards: no capital first letter or spelling fixes in an email address;
        # capitals for postal codes with letters (GB, CA, NL).
        self.fields["email"].widget.attrs.update(autocapitalize="none", spellcheck="false")
        self.fields["postal_code"].widget.attrs.update(
            autocapitalize="characters", spellcheck="false"
        )

    def clean(self):
        cleaned = super().clean()
        # The country's rules run even when another field failed, so every problem shows at
        # once; a field that failed already keeps its own message.
        for name, message in checkout.detail_errors(self.details()).items():
            if name not in self.errors:
                self.add_error(name if name in self.fields else None, message)
        return cleaned

    def details(self) -> checkout.CheckoutDetails:
        data = {name: value for name, value in self.cleaned_data.items() if value is not None}
        return checkout.CheckoutDetails(
            **{name: data.get(name) or "" for name in TEXT_FIELDS},
            **{name: bool(data.get(name)) for name in FLAG_FIELDS},
        )


AUTOCOMPLETE = {
    "email": "email",
    "buyer_name": "name",
    "full_name": "shipping name",
    "company": "shipping organization",
    "line1": "shipping address-line1",
    "line2": "shipping address-line2",
    "city": "shipping address-level2",
    "region": "shipping address-level1",
    "postal_code": "shipping postal-code",
    "country": "shipping country",
    "phone": "shipping tel",
    # Not the buyer's own data: nothing to fill in from the browser's memory.
    "gift_message": "off",
    "gift_signature": "nickname",
    "gift_language": "off",
}

TEXT_FIELDS = (
    "email",
    "buyer_name",
    "full_name",
    "company",
    "line1",
    "line2",
    "city",
    "region",
    "postal_code",
    "country",
    "phone",
    "gift_message",
    "gift_signature",
    "gift_language",
)
FLAG_FIELDS = ("is_gift", "gift_wrap", "hide_prices")


class ShippingChoiceForm(forms.Form):
    """The shipping method, among the options priced for the address and parcel. Only the
    method's id is read from the browser: prices and totals are computed again."""

    shipping_method = forms.TypedChoiceField(
        label=_("Shipping"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how the parcel should travel."),
            "invalid_choice": _("This shipping method does not reach the address."),
        },
    )

    # Where a delivered-duty-paid price is offered: "1" pays duties and import taxes now
    # (DDP); anything else leaves them to the recipient on delivery (DAP, the default).
    duties_paid = forms.BooleanField(required=False)

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shipping_method"].choices = [(o.pk, o.method.name) for o in options]


class EmailAuthenticationForm(AuthenticationForm):
    """Django's sign-in form; the account's username is its email address."""

    username = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class SignUpForm(BaseUserCreationForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def validate_unique(self):
        # An address that has an account is not an error: telling it would reveal the
        # account (shop.accounts.sign_up answers the same and emails the owner instead).
        pass


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autofocus": True})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
