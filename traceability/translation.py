"""Traceability fields written in English and Vietnamese (django-modeltranslation).

A recall's reason is read by buyers abroad and by the cooperative's staff: it is entered in
both languages (Vietnamese first) and each reader gets theirs, English for the other
languages, with the other language as the fallback (MODELTRANSLATION_FALLBACK_LANGUAGES).
"""

from modeltranslation.translator import TranslationOptions, register

from traceability.models import Recall


@register(Recall)
class RecallTranslation(TranslationOptions):
    fields = ("reason",)
