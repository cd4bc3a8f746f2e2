"""The product page's own parts, drawn in Python rather than through the template engine:
the breadcrumb, the summary beside the photos (name, maker, certificate, delivery estimate,
description) and, below the offers, a gift set's contents and the producer's story.

A product page is rendered on every request the page cache cannot answer (issue 13). Through
the template engine these parts cost more than the product's query, most of it resolving
variables and translating blocks one node at a time. The HTML and the message ids are the
template's (blocktranslate's `%(name)s` form), so every translation still applies; like a
template, the shop's own words are written as they are and every value is escaped.
product.html keeps the page's frame, the gallery and the offers (shop.templatetags.
product_offers).
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from shop import cards, languages
from shop.delivery import ProductEstimate
from shop.models import Product
from shop.product_page import ComponentOffer, ProductPage
from shop.templatetags.storefront import local_date
from shop.templatetags.text_language import text_lang, untranslated_note

register = template.Library()


def _e(value: object) -> str:
    return escape(str(value), quote=True)


@register.simple_tag
def product_breadcrumb(product: Product) -> SafeString:
    catalogue = _e(reverse("shop:catalogue"))
    # Words outside the f-strings: makemessages (xgettext) does not look inside them.
    label, products = gettext("Breadcrumb"), gettext("Products")
    return mark_safe(
        f'<nav class="breadcrumb" aria-label="{label}">'
        f'<a href="{catalogue}">{products}</a> › '
        f'<a href="{catalogue}?group={_e(product.group)}">{_e(product.get_group_display())}</a>'
        "</nav>"
    )


@register.simple_tag
def product_summary(page: ProductPage, delivery: ProductEstimate | None) -> SafeString:
    """The summary beside the photos, with the page's delivery estimate when it has one."""
    product = page.product
    cooperative = product.cooperative
    origin = gettext('By <a href="%(url)s">%(name)s</a>, %(province)s') % {
        "url": _e(cooperative.get_absolute_url()),
        "name": _e(cooperative.name),
        "province": _e(cooperative.province.name),
    }
    return mark_safe(
        '  <div class="product-summary">\n'
        f"    <h1>{_e(product.name)}</h1>\n"
        f'    <p class="origin">{origin}</p>\n'
        f"    {_certificate(product)}\n"
        f"    {_delivery(delivery)}\n"
        f"    {_description(product)}\n"
        "  </div>"
    )


def _certificate(product: Product) -> str:
    number = _e(product.ocop_decision_number)
    until = _e(local_date(product.ocop_valid_until))
    if product.ocop_is_current:
        stars = cards.stars_html(int(product.ocop_stars), languages.shop_language(get_language()))
        valid = gettext("OCOP certificate %(number)s, valid until %(until)s") % {
            "number": number,
            "until": until,
        }
        return (
            '\n    <div class="certificate certificate-current">\n'
            f"      {stars}\n"
            f"      <p>{valid}</p>\n"
            "    </div>\n    "
        )
    stars = product.ocop_stars
    expired = ngettext(
        "Rated %(stars)s star under OCOP certificate %(number)s, which expired on %(until)s.",
        "Rated %(stars)s stars under OCOP certificate %(number)s, which expired on %(until)s.",
        stars,
    ) % {"stars": _e(stars), "number": number, "until": until}
    badge = gettext("OCOP certificate expired")
    return (
        '\n    <div class="certificate certificate-expired">\n'
        f'      <span class="badge badge-expired">{badge}</span>\n'
        f"      <p>{expired}</p>\n"
        "    </div>\n    "
    )


def _delivery(delivery: ProductEstimate | None) -> str:
    if not delivery:
        return ""
    if delivery.country:
        where = gettext("Delivery to %(country)s:") % {"country": _e(delivery.country_name)}
    else:
        where = gettext("Delivery to most countries:")
    return f'<p class="delivery-estimate">{where} {_e(delivery.estimate.text)}</p>'


def _description(product: Product) -> str:
    if not product.description:
        return ""
    return (
        f'<div class="description"{text_lang(product, "description")}>'
        f"{linebreaks(product.description, autoescape=True)}</div>"
        f"{untranslated_note(product, 'description')}"
    )


@register.simple_tag
def product_extras(page: ProductPage) -> SafeString:
    """Below the offers: a gift set's contents, then the producer's story."""
    return mark_safe(f"\n\n{_components(page.components)}\n\n{_story(page.product)}\n")


def _components(components: list[ComponentOffer]) -> str:
    if not components:
        return ""
    items = "".join(
        "<li>\n"
        f"      {_component_photo(item)}\n"
        f"      <strong>{_e(item.quantity)} × {_e(item.component.product.name)}</strong>"
        f" · {_e(item.component.name)}\n"
        "    </li>"
        for item in components
    )
    title = gettext("In this gift set")
    return (
        '\n<section class="section" aria-labelledby="inside-title">\n'
        f'  <h2 id="inside-title">{title}</h2>\n'
        '  <ul class="components">\n'
        f"    {items}\n"
        "  </ul>\n"
        "</section>\n"
    )


def _component_photo(item: ComponentOffer) -> str:
    if item.picture:
        picture = item.picture
        return (
            f'<img class="component-photo" src="{_e(picture.thumb)}" width="{_e(picture.width)}"'
            f' height="{_e(picture.height)}" alt="" loading="lazy">'
        )
    photo = item.component.product.photo
    if photo:
        return (
            f'<img class="component-photo" src="{_e(photo.url)}" width="64" height="48" alt=""'
            ' loading="lazy">'
        )
    return ""


def _story(product: Product) -> str:
    if not product.story:
        return ""
    cooperative = product.cooperative
    title = gettext("The producer's story")
    more = gettext("More from %(name)s") % {"name": _e(cooperative.name)}
    return (
        '\n<section class="section story" aria-labelledby="story-title">\n'
        f'  <h2 id="story-title">{title}</h2>\n'
        f"  <div{text_lang(product, 'story')}>{linebreaks(product.story, autoescape=True)}</div>"
        f"{untranslated_note(product, 'story')}\n"
        f'  <p><a href="{_e(cooperative.get_absolute_url())}">{more}</a></p>\n'
        "</section>\n"
    )
