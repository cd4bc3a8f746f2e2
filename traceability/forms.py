"""The form a buyer fills in to report a suspicious product. It validates; it never writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.uploads import ImageUploadField
from traceability.corrections import REASON_MAX_LENGTH, InvalidCorrection
from traceability.models import CorrectedField, ReportReason, Village
from traceability.reports import DETAILS_MAX_LENGTH, PLACE_MAX_LENGTH


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
        label=_("Where did you buy it? (optional)"),
        max_length=PLACE_MAX_LENGTH,
        required=False,
        strip=True,
    )
    # Re-encoded on the way in (shop.uploads): a file that is not a picture, or too big, is
    # an error on this field, never stored as sent.
    photo = ImageUploadField(
        label=_("A photo of the product or its label (optional)"),
        required=False,
        help_text=_("JPEG, PNG or WebP, up to 5 MB."),
    )
    email = forms.EmailField(
        label=_("Your email (optional)"),
        required=False,
        max_length=254,
        help_text=_("Only if you would like the cooperative to reply. We use it for nothing else."),
    )


class DayInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


# Which input holds the right value of each corrected field (dates share one).
VALUE_FIELDS = {CorrectedField.LOT_CODE: "lot_code", CorrectedField.VILLAGE: "village"}
# The words for each InvalidCorrection code, and the input they belong to (None: the form).
REFUSALS = {
    "lot": _("This is not a valid lot code: up to 20 letters, digits and signs such as - . /"),
    "lot_taken": _("Another lot of this product has (or had) this code."),
    "dates": _("Harvest, packing and best-before dates must stay in that order."),
    "unchanged": _("This is already the batch's value."),
    "village": _("Choose a village."),
    "reason": _("Say why, in 500 characters or fewer."),
    "value": _("Give the right value."),
}


class CorrectionForm(forms.Form):
    """Correct a mistake in a fact fixed at receipt (traceability.corrections.correct_batch).

    One field at a time: which fact, its right value, and why. `villages` limits the village
    choice (a cooperative's staff pick among their own villages, as when receiving).
    """

    field = forms.ChoiceField(label=_("What was wrong?"), choices=CorrectedField.choices)
    lot_code = forms.CharField(label=_("Right lot code"), max_length=20, required=False)
    day = forms.DateField(label=_("Right date"), required=False, widget=DayInput())
    village = forms.ModelChoiceField(
        label=_("Right village"), queryset=Village.objects.none(), required=False
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown on the batch's public page with the value before and after. The quantity "
            "received cannot be corrected here: record a stock adjustment instead."
        ),
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages.select_related("province")
        self.fields["village"].label_from_instance = lambda v: f"{v.name}, {v.province.name}"

    def clean(self):
        data = super().clean()
        field = data.get("field")
        source = VALUE_FIELDS.get(field, "day")
        if field and data.get(source) in (None, ""):
            self.add_error(source, REFUSALS["value"])
        return data

    def add_refusal(self, error: InvalidCorrection) -> None:
        """Show the service's refusal on the input it is about."""
        targets = {"reason": "reason", "unchanged": None, "dates": None}
        target = targets.get(error.code, VALUE_FIELDS.get(self.cleaned_data["field"], "day"))
        self.add_error(target, REFUSALS.get(error.code, REFUSALS["value"]))

    def correction(self) -> dict:
        """The keyword arguments of correct_batch (without batch and actor)."""
        field = self.cleaned_data["field"]
        source = VALUE_FIELDS.get(field, "day")
        return {
            "field": field,
            "value": self.cleaned_data[source],
            "reason": self.cleaned_data["reason"],
        }
