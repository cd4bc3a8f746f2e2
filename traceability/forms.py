"""The form a buyer fills in to report a suspicious product. It validates; it never writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from traceability.models import ReportReason

DETAILS_MAX_LENGTH = 2000


class SuspiciousProductForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"), choices=ReportReason.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=_("What did you notice?"),
        max_length=DETAILS_MAX_LENGTH,
        min_length=10,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For example: the seal, the printing, the taste, where the label differs."),
    )
    place_of_purchase = forms.CharField(
        label=_("Where did you buy it? (optional)"), max_length=200, required=False, strip=True
    )
    email = forms.EmailField(
        label=_("Your email (optional)"),
        required=False,
        max_length=254,
        help_text=_("Only if you would like the cooperative to reply. We use it for nothing else."),
    )
