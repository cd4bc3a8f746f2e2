"""schema.org data (JSON-LD) of the product and cooperative pages, built from what the page's
selector already read: no query of its own.

A product is a `Product` with its brand, images and identifiers; its sizes are its offers:
one `Offer` for a single size, else an `AggregateOffer` (lowest and highest price, how many
sizes, the best availability) holding an `Offer` per size with its SKU and GTIN. Prices are
in the page's currency, as strings with that currency's decimals ("12.50", "250000"), the
seller is the cooperative. A cooperative is an `Organization` with its address.

`script()` draws the `<script type="application/ld+json">` element with `<`, `>` and `&`
written as JSON escapes, so no text in the data (a product named "</script>") can end it.
"""

import json

from shop.availability import shopper_status
from shop.models import BatchStatus, Cooperative
from shop.money import quantize

SCHEMA = "https://schema.org"
IN_STOCK = f"{SCHEMA}/InStock"
OUT_OF_STOCK = f"{SCHEMA}/OutOfStock"
SOLD_OUT = f"{SCHEMA}/SoldOut"
NEW_CONDITION = f"{SCHEMA}/NewCondition"
# The best availability among a product's sizes is the one with the lowest rank.
_RANK = {IN_STOCK: 0, SOLD_OUT: 1, OUT_OF_STOCK: 2}
# Cooperatives are OCOP producers: their provinces are Vietnam's.
COOPERATIVE_COUNTRY = "VN"
# str.replace rather than str.translate: translate with a mapping goes character by
# character in Python-level lookups, a tenth of a millisecond on a product's JSON-LD.
_JSON_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


def availability(offer) -> str:
    """A size's availability: in stock when a lot can be bought now; sold out when a lot is
    on sale with nothing left; otherwise (no lot, or only expired and recalled ones) out of
    stock. `offer` is a product page's VariantOffer."""
    if offer.current_batch is not None:
        return IN_STOCK
    if any(shopper_status(batch) == BatchStatus.SOLD_OUT for batch in offer.other_batches):
        return SOLD_OUT
    return OUT_OF_STOCK


def gtin_property(gtin: str) -> dict[str, str]:
    """The schema.org property of a GTIN stored as 14 digits, in its shortest form:
    GTIN-8, -12 and -13 are kept with leading zeros (shop.identifiers)."""
    if not gtin:
        return {}
    if gtin.startswith("000000"):
        return {"gtin8": gtin[6:]}
    if gtin.startswith("00"):
        return {"gtin12": gtin[2:]}
    if gtin.startswith("0"):
        return {"gtin13": gtin[1:]}
    return {"gtin14": gtin}


def price_text(amount, currency: str) -> str:
    """The price as schema.org wants it: digits and a dot, the currency's decimals."""
    return format(quantize(amount, currency), "f")


def _seller(cooperative: Cooperative, origin: str) -> dict:
    return {
        "@type": "Organization",
        "name": cooperative.name,
        "url": origin + cooperative.get_absolute_url(),
    }


def _offer(offer, *, currency: str, url: str, seller: dict) -> dict:
    variant = offer.variant
    return {
        "@type": "Offer",
        "name": variant.name,
        "sku": variant.sku,
        **gtin_property(variant.gtin),
        "price": price_text(offer.price, currency),
        "priceCurrency": currency,
        "availability": availability(offer),
        "itemCondition": NEW_CONDITION,
        "url": url,
        "seller": seller,
    }


def product(page, *, currency: str, url: str, origin: str, images: list[str]) -> dict:
    """The schema.org Product of a product page (shop.product_page.ProductPage): `url` is
    the page's canonical address, `images` absolute addresses, `origin` the site's."""
    item = page.product
    cooperative = item.cooperative
    data: dict = {
        "@context": SCHEMA,
        "@type": "Product",
        "@id": f"{url}#product",
        "name": item.name,
        "url": url,
    }
    if item.description:
        data["description"] = item.description
    if images:
        data["image"] = images
    data["brand"] = {"@type": "Brand", "name": item.brand or cooperative.name}
    data["category"] = item.get_group_display()
    seller = _seller(cooperative, origin)
    offers = [_offer(o, currency=currency, url=url, seller=seller) for o in page.offers]
    if len(offers) == 1:
        data["sku"] = offers[0]["sku"]
        data.update(gtin_property(page.offers[0].variant.gtin))
        data["offers"] = offers[0]
    elif offers:
        prices = [quantize(o.price, currency) for o in page.offers]
        data["offers"] = {
            "@type": "AggregateOffer",
            "lowPrice": price_text(min(prices), currency),
            "highPrice": price_text(max(prices), currency),
            "priceCurrency": currency,
            "offerCount": len(offers),
            "availability": min((o["availability"] for o in offers), key=_RANK.__getitem__),
            "seller": seller,
            "offers": offers,
        }
    return data


def organization(cooperative: Cooperative, *, url: str, images: list[str]) -> dict:
    """The schema.org Organization of a cooperative's page (province and village joined)."""
    data: dict = {
        "@context": SCHEMA,
        "@type": "Organization",
        "@id": f"{url}#organization",
        "name": cooperative.name,
        "url": url,
    }
    if cooperative.story:
        data["description"] = cooperative.story
    if images:
        data["image"] = images
    if cooperative.contact_email:
        data["email"] = cooperative.contact_email
    if cooperative.contact_phone:
        data["telephone"] = cooperative.contact_phone
    data["address"] = {
        "@type": "PostalAddress",
        "streetAddress": cooperative.address,
        "addressLocality": cooperative.village.name,
        "addressRegion": cooperative.province.name,
        "addressCountry": COOPERATIVE_COUNTRY,
    }
    return data


def script(data: dict) -> str:
    """`data` as a JSON-LD script element, safe inside HTML."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in _JSON_ESCAPES:
        text = text.replace(character, escaped)
    return f'<script type="application/ld+json">{text}</script>'
