"""Which language a translated field's text is shown in, so a page can say so.

Product and cooperative text is written in English and Vietnamese only (shop.languages); a
reader of any other language, or of a language the cooperative has not filled in yet, reads
the other one. The text is then marked with its own `lang` (screen readers and browsers'
translators need it) and a short note says which language it is in, and, for an English or
Vietnamese reader, that the cooperative has not translated it yet (the admin lists such
products under "Translation missing").
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from shop import languages

register = template.Library()


def shown_language(instance: object, field: str, language: str | None = None) -> str:
    """The language of the text `instance.<field>` shows to a reader of `language` (the
    active one): its own column when filled, else the fallback modeltranslation reads."""
    wanted = languages.content_language(language or get_language())
    other = "en" if wanted == "vi" else "vi"
    if getattr(instance, f"{field}_{wanted}", ""):
        return wanted
    return other if getattr(instance, f"{field}_{other}", "") else wanted


def _page_language() -> str:
    return languages.shop_language(get_language())


@register.simple_tag
def text_lang(instance: object, field: str) -> SafeString:
    """` lang="en"` when the text is not in the page's language, else nothing."""
    shown = shown_language(instance, field)
    if shown == _page_language():
        return mark_safe("")
    return format_html(' lang="{}"', shown)


@register.simple_tag
def untranslated_note(instance: object, field: str) -> SafeString:
    """A one-line note under text that is not in the reader's language."""
    shown, page = shown_language(instance, field), _page_language()
    if shown == page:
        return mark_safe("")
    if page in ("en", "vi"):
        # The cooperative could have written it in the reader's language, and has not yet.
        note = (
            gettext("The cooperative wrote this in English and has not translated it yet.")
            if shown == "en"
            else gettext("The cooperative wrote this in Vietnamese and has not translated it yet.")
        )
    else:
        # The catalogue is written in English and Vietnamese only.
        note = (
            gettext("The cooperative wrote this in English.")
            if shown == "en"
            else gettext("The cooperative wrote this in Vietnamese.")
        )
    return format_html('<p class="text-language">{}</p>', note)
