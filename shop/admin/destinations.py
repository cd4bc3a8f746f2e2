"""Destination rules in the admin: what a country refuses by post, with its reason in each
language and its source. Like tax rates, only the shop's operators (superusers) keep them:
a rule stops every shopper of a country from ordering a product."""

from django import forms
from django.contrib import admin
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from shop.admin.taxes import OperatorsOnly
from shop.models import DestinationRule, ProductGroup


class DestinationRuleForm(forms.ModelForm):
    group = forms.ChoiceField(
        label=_("OCOP product group"),
        choices=[("", "—"), *ProductGroup.choices],
        required=False,
    )
    hs_prefix = forms.CharField(
        label=_("HS code starts with"),
        required=False,
        max_length=10,
        validators=[RegexValidator(r"^\d{2,10}$", _("Write 2 to 10 digits, without dots."))],
    )

    class Meta:
        model = DestinationRule
        fields = ("country", "product", "group", "hs_prefix", "reason_en", "reason_vi", "source")


@admin.register(DestinationRule)
class DestinationRuleAdmin(OperatorsOnly, TranslationAdmin):
    form = DestinationRuleForm
    list_display = ("country", "product", "group", "hs_prefix", "reason", "source")
    list_filter = ("country", "group")
    list_select_related = ("product",)
    search_fields = ("country", "hs_prefix", "reason_en", "reason_vi", "source")
    raw_id_fields = ("product",)
    fields = ("country", "product", "group", "hs_prefix", "reason", "source")
    ordering = ("country", "pk")
