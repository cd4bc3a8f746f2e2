"""The workspace's forms for the village visit and the products' care notes: Vietnamese
first, English beside it (the shop shows English to every reader who is not Vietnamese)."""

from babel.dates import get_month_names
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shop import languages

TEXT_MAX = 2000
SHORT_MAX = 1000


def _months() -> list[tuple[str, str]]:
    names = get_month_names(
        "wide", context="stand-alone", locale=languages.babel_locale(get_language())
    )
    return [(str(number), str(names[number])) for number in range(1, 13)]


class VisitForm(forms.Form):
    published = forms.BooleanField(
        label=_("Show this invitation to shoppers"),
        required=False,
        help_text=_("On the cooperative page, the trace page of each lot and gift pages."),
    )
    activities_vi = forms.CharField(
        label=_("What visitors can see and do (Vietnamese)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Workshops, harvest seasons, homestays…"),
    )
    activities_en = forms.CharField(
        label=_("What visitors can see and do (English)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    best_months = forms.TypedMultipleChoiceField(
        label=_("Best months to come"),
        choices=(),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    nearest_city_vi = forms.CharField(
        label=_("Nearest city (Vietnamese)"), max_length=100, required=False
    )
    nearest_city_en = forms.CharField(
        label=_("Nearest city (English)"), max_length=100, required=False
    )
    travel_minutes = forms.IntegerField(
        label=_("Minutes from the nearest city"),
        required=False,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    getting_there_vi = forms.CharField(
        label=_("How to get there (Vietnamese)"),
        max_length=SHORT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    getting_there_en = forms.CharField(
        label=_("How to get there (English)"),
        max_length=SHORT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_name = forms.CharField(label=_("Contact"), max_length=100, required=False)
    contact_phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(label=_("Email"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["best_months"].choices = _months()

    def clean(self):
        data = super().clean()
        if data.get("published") and not (data.get("activities_vi") or data.get("activities_en")):
            self.add_error("activities_vi", _("Say what visitors can see or do before showing it."))
        return data


class CareNotesForm(forms.Form):
    care_notes_vi = forms.CharField(
        label=_("Care and use (Vietnamese)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("How to store and enjoy it: brewing the tea, keeping the fish sauce."),
    )
    care_notes_en = forms.CharField(
        label=_("Care and use (English)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
