"""The product page's "Sizes and batches": each variant's price, the batch a buyer receives,
the add-to-cart form and the other batches, drawn in one go.

Through the template engine this block cost half of a rendered product page (a variable
lookup per fact, per batch, per variant); here each translated word is looked up once per
page and each fact written with the standard library's escape (issue 13).
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from shop.product_page import VariantOffer
from shop.templatetags.storefront import local_date, money
from traceability.links import digital_link_path

register = template.Library()


def _e(value: object) -> str:
    return escape(str(value), quote=True)


class _Words:
    """The block's words in the reader's language, looked up once per page. Like text in a
    template, the shop's own translations are written as they are (not escaped)."""

    def __init__(self) -> None:
        self.lot = gettext("Lot")
        self.harvested = gettext("Harvested")
        self.best_before = gettext("Best before")
        self.village = gettext("Village")
        self.status = gettext("Status")
        self.receive = gettext("You will receive this batch")
        self.journey = gettext("See this batch's origin and journey")
        self.in_stock = gettext("In stock")
        self.packed = gettext("Packed from the batches listed under “In this gift set”.")
        self.out_of_stock = gettext("Out of stock")
        self.quantity = gettext("Quantity")
        self.add = gettext("Add to cart")


def _current(offer: VariantOffer, words: _Words) -> str:
    batch = offer.current_batch
    if batch is None:
        if offer.in_stock:
            return (
                f'<p class="stock stock-in">{words.in_stock}</p>\n'
                f'    <p class="muted">{words.packed}</p>'
            )
        return f'<p class="stock stock-out">{words.out_of_stock}</p>'
    village = batch.village
    place = _e(village.name)
    if village.commune:
        place += f", {_e(village.commune)}"
    place += f", {_e(village.province.name)}"
    low = ""
    if offer.only_left is not None:
        left = offer.only_left
        text = ngettext(
            "Only %(counter)s left in this batch", "Only %(counter)s left in this batch", left
        ) % {"counter": left}
        low = f'\n      <p class="low-stock">{text}</p>'
    trace = digital_link_path(gtin=offer.variant.gtin, lot=batch.lot_code)
    return (
        '<div class="current-batch">\n'
        f'      <p class="current-label">{words.receive}</p>\n'
        '      <dl class="facts">\n'
        f'        <div><dt>{words.lot}</dt><dd class="lot">{_e(batch.lot_code)}</dd></div>\n'
        f"        <div><dt>{words.harvested}</dt><dd>{_e(local_date(batch.harvest_date))}</dd>"
        "</div>\n"
        f"        <div><dt>{words.village}</dt><dd>{place}</dd></div>\n"
        f"        <div><dt>{words.best_before}</dt><dd>{_e(local_date(batch.best_before))}</dd>"
        "</div>\n"
        "      </dl>\n"
        f'      <p class="trace-this"><a href="{_e(trace)}">{words.journey}</a></p>{low}\n'
        "    </div>"
    )


def _form(offer: VariantOffer, words: _Words, *, action: str, csrf: str) -> str:
    if not offer.in_stock:
        return ""
    pk = offer.variant.pk
    token = (
        f'  <input type="hidden" name="csrfmiddlewaretoken" value="{_e(csrf)}">\n'
        if csrf and csrf != "NOTPROVIDED"
        else ""
    )
    return (
        f'<form class="add-to-cart" method="post" action="{_e(action)}">\n'
        f"{token}"
        f'  <input type="hidden" name="variant" value="{pk}">\n'
        f'  <label for="quantity-{pk}">{words.quantity}</label>\n'
        f'  <input id="quantity-{pk}" type="number" name="quantity" value="1" min="1" max="50" '
        'inputmode="numeric" required>\n'
        f'  <button type="submit">{words.add}</button>\n'
        "</form>"
    )


def _others(offer: VariantOffer, words: _Words) -> str:
    if not offer.other_batches:
        return ""
    count = len(offer.other_batches)
    summary = ngettext("%(counter)s other batch", "%(counter)s other batches", count) % {
        "counter": count
    }
    rows = "".join(
        "<tr>\n"
        f'          <th scope="row" class="lot">{_e(row.batch.lot_code)}</th>\n'
        f'          <td data-label="{words.harvested}">{_e(local_date(row.batch.harvest_date))}'
        "</td>\n"
        f'          <td data-label="{words.best_before}">{_e(local_date(row.batch.best_before))}'
        "</td>\n"
        f'          <td data-label="{words.village}">{_e(row.batch.village.name)}</td>\n'
        f'          <td data-label="{words.status}"><span class="status status-{_e(row.status)}">'
        f"{_e(row.status_label)}</span></td>\n"
        "        </tr>"
        for row in offer.other_rows
    )
    head = "".join(
        f'<th scope="col">{word}</th>'
        for word in (words.lot, words.harvested, words.best_before, words.village, words.status)
    )
    return (
        '<details class="other-batches">\n'
        f"      <summary>{summary}</summary>\n"
        '      <table class="batches">\n'
        f"        <thead><tr>{head}</tr></thead>\n"
        f"        <tbody>{rows}</tbody>\n"
        "      </table>\n"
        "    </details>"
    )


@register.simple_tag(takes_context=True)
def product_offers(context, offers: list[VariantOffer]) -> SafeString:
    """{% product_offers page.offers %}: an <article class="offer"> per variant."""
    words = _Words()
    currency = context.get("currency")
    csrf = str(context.get("csrf_token", ""))
    action = reverse("shop:cart_add")
    drawn = []
    for offer in offers:
        drawn.append(
            '<article class="offer">\n'
            '    <header class="offer-head">\n'
            f"      <h3>{_e(offer.variant.name)}</h3>\n"
            f'      <p class="price">{_e(money(offer.price, currency))}</p>\n'
            "    </header>\n"
            f"    {_current(offer, words)}\n"
            f"    {_form(offer, words, action=action, csrf=csrf)}\n"
            f"    {_others(offer, words)}\n"
            "  </article>"
        )
    return mark_safe("\n  ".join(drawn))
