"""The workspace's forms: short, with big inputs and few words, for people on a phone.

Every choice of a variant, village or batch is limited to the staff's own cooperative, so a
posted id of someone else's fails validation like a missing one and nothing is written.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.message_codes import coded
from shop.models import Batch, MovementKind, Variant
from shop.uploads import ImageUploadField
from shop.workspace import selectors
from traceability.gs1 import InvalidLot, validate_lot
from traceability.labels import LABEL_LANGUAGES, MAX_LABELS_PER_BATCH
from traceability.labelsheet import LAYOUTS
from traceability.models import EventKind, Village

MAX_UNITS = 100_000
CARRIERS = ("VNPost", "Viettel Post", "EMS", "DHL Express", "FedEx", "UPS", "J&T Express")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class VariantChoice(forms.ModelChoiceField):
    def label_from_instance(self, variant: Variant) -> str:
        return f"{variant.product.name} · {variant.name} ({variant.sku})"


class VillageChoice(forms.ModelChoiceField):
    def label_from_instance(self, village: Village) -> str:
        return f"{village.name}, {village.province.name}"


def _number(**attrs) -> forms.NumberInput:
    return forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, **attrs})


class ReceiveForm(forms.Form):
    """A new batch: which product, how many, when harvested, good until, from where."""

    variant = VariantChoice(label=_("Product"), queryset=Variant.objects.none())
    quantity = forms.IntegerField(
        label=_("How many units"), min_value=1, max_value=MAX_UNITS, widget=_number()
    )
    harvest_date = forms.DateField(label=_("Harvest date"), widget=DateInput())
    best_before = forms.DateField(label=_("Best before"), widget=DateInput())
    village = VillageChoice(label=_("Village"), queryset=Village.objects.none())
    lot_code = forms.CharField(
        label=_("Lot code"),
        max_length=20,
        required=False,
        help_text=_("Leave empty and we make one, e.g. NMPQ-250305."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    packing_date = forms.DateField(
        label=_("Packing date"),
        required=False,
        help_text=_("Empty: same day as the harvest."),
        widget=DateInput(),
    )

    def __init__(self, *args, cooperative_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.cooperative_id = cooperative_id
        self.fields["variant"].queryset = selectors.variants(cooperative_id=cooperative_id)
        self.fields["village"].queryset = selectors.villages(cooperative_id=cooperative_id)

    def clean_lot_code(self) -> str:
        lot = self.cleaned_data["lot_code"].strip().upper()
        if lot:
            try:
                validate_lot(lot)
            except InvalidLot:
                raise ValidationError(
                    _("Use up to 20 letters, digits or - . _ / without spaces.")
                ) from None
        return lot

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        harvest, best_before = data.get("harvest_date"), data.get("best_before")
        if harvest and harvest > today:
            self.add_error("harvest_date", _("The harvest date cannot be in the future."))
        # The order of the dates is the batch's own rule (Batch.clean, run by
        # inventory.receive_batch); these two are about receiving it today.
        data["packing_date"] = data.get("packing_date") or harvest
        if best_before and best_before < today:
            self.add_error("best_before", _("This date has passed."))
        variant = data.get("variant")
        if variant and harvest and not data.get("lot_code"):
            data["lot_code"] = selectors.suggest_lot_code(variant=variant, day=harvest)
        lot = data.get("lot_code")
        if variant and lot and Batch.objects.filter(variant=variant, lot_code=lot).exists():
            self.add_error("lot_code", _("This lot code is already used for this product."))
        return data


# What a stock change is for, the ledger kind it is written as, and its sign.
ADJUSTMENTS = {
    "damaged": (MovementKind.DAMAGED, -1, _("Damaged or lost (take out)")),
    "expired": (MovementKind.EXPIRED, -1, _("Past best-before (take out)")),
    "returned": (MovementKind.RETURNED, 1, _("Returned by a buyer (put back)")),
    "count_down": (MovementKind.ADJUSTED, -1, _("Counted fewer (take out)")),
    "count_up": (MovementKind.ADJUSTED, 1, _("Counted more (put in)")),
}


class AdjustForm(forms.Form):
    """A stock change written as a ledger movement: why, how many, and a note."""

    change = forms.ChoiceField(
        label=_("Why"),
        choices=[(key, label) for key, (_kind, _sign, label) in ADJUSTMENTS.items()],
        widget=forms.RadioSelect,
    )
    quantity = forms.IntegerField(
        label=_("How many units"), min_value=1, max_value=MAX_UNITS, widget=_number()
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("Needed when the count changed."),
    )

    def clean(self):
        data = super().clean()
        if data.get("change", "").startswith("count_") and not data.get("note", "").strip():
            self.add_error("note", _("Say why the count changed."))
        return data

    def movement(self) -> dict:
        """The keyword arguments of inventory.record_movement (without batch and actor)."""
        kind, sign, _label = ADJUSTMENTS[self.cleaned_data["change"]]
        # Without a typed note the change's own words, as a code read in the reader's language.
        note = self.cleaned_data["note"].strip() or coded(f"adjust_{self.cleaned_data['change']}")
        return {"kind": kind, "quantity": sign * self.cleaned_data["quantity"], "reason": note}


class EventForm(forms.Form):
    """One step in the batch's story, with a photo straight from the phone's camera."""

    kind = forms.ChoiceField(
        label=_("What happened"),
        # An assembly and a correction change more than the story: their own services.
        choices=[
            (k.value, k.label)
            for k in EventKind
            if k not in (EventKind.TRANSFORMATION, EventKind.CORRECTION)
        ],
    )
    # Re-encoded by shop.uploads: the cleaned value is the picture's fresh bytes.
    photo = ImageUploadField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    occurred_at = forms.DateTimeField(
        label=_("When"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("Where"), max_length=200)
    notes = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RecallForm(forms.Form):
    """The recall's reason in Vietnamese first (the cooperative's own words) and in English
    for buyers abroad: both required, each reader is shown theirs."""

    reason_vi = forms.CharField(
        label=_("Why is this batch recalled? (in Vietnamese)"),
        min_length=5,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "lang": "vi"}),
    )
    reason_en = forms.CharField(
        label=_("The same reason in English, for buyers abroad"),
        min_length=5,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "lang": "en"}),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class RecallReasonForm(forms.Form):
    """The API's older `reason`, one text in the language it was written in."""

    reason = forms.CharField(min_length=5, max_length=500)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel (.xlsx) file"),
        error_messages={"empty": _("The file is empty.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class LabelForm(forms.Form):
    """How many labels of each batch (0 or empty: none), labels per sheet, language."""

    per_sheet = forms.TypedChoiceField(
        label=_("Labels per sheet"),
        coerce=int,
        choices=[(n, f"{n} · {layout.stock}") for n, layout in LAYOUTS.items()],
        initial=24,
    )
    language = forms.ChoiceField(label=_("Label language"), choices=LABEL_LANGUAGES)

    def __init__(self, *args, batches: list[Batch], initial_counts: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.batches = batches
        for batch in batches:
            self.fields[f"count_{batch.pk}"] = forms.IntegerField(
                label=batch.lot_code,
                required=False,
                min_value=0,
                max_value=MAX_LABELS_PER_BATCH,
                initial=initial_counts.get(batch.pk),
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            )

    def rows(self):
        return [(batch, self[f"count_{batch.pk}"]) for batch in self.batches]

    def clean(self):
        data = super().clean()
        if not self.errors and not self.items():
            raise ValidationError(_("Write how many labels you need for at least one batch."))
        return data

    def items(self) -> list[tuple[int, int]]:
        return [
            (batch.pk, self.cleaned_data.get(f"count_{batch.pk}") or 0)
            for batch in self.batches
            if self.cleaned_data.get(f"count_{batch.pk}")
        ]


class ShipForm(forms.Form):
    carrier = forms.CharField(
        label=_("Carrier"),
        max_length=100,
        widget=forms.TextInput(attrs={"list": "carriers", "autocomplete": "off"}),
    )
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    tracking_url = forms.URLField(
        label=_("Tracking link"),
        max_length=300,
        required=False,
        assume_scheme="https",
        help_text=_("The carrier's page for this parcel, if it has one."),
    )
    carriers = CARRIERS
