"""{% seo_head %}: the canonical, hreflang, Open Graph and schema.org tags of a public page,
built once by its view (shop.seo.Head in the context as `seo`); nothing on other pages."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from shop import seo

register = template.Library()


@register.simple_tag(takes_context=True)
def seo_head(context) -> SafeString:
    head = context.get("seo")
    if not isinstance(head, seo.Head):
        return mark_safe("")
    return mark_safe(seo.head_html(head))
