"""What the public storefront pages tell search engines and link previews: the canonical
address, an hreflang alternate per language of settings.LANGUAGES (and x-default), Open
Graph and Twitter card tags, robots hints and schema.org data (shop.structured_data).

Each page's view builds one `Head` per render from what its selector already read (no query
of its own), and base.html draws it with `{% seo_head %}`; the page cache stores the result.
Addresses are absolute (the site's origin, shop.sites) and name their language with
`?lang=` (shop.page_languages): the canonical address is the page in the language being
read, x-default the page in settings.LANGUAGE_CODE.

The catalogue's canonical address keeps what chooses its products (search, group, province,
rating, price, stock) and the page number past the first, and drops the order; a search or a
narrowing filter is marked `noindex, follow` (its prices are in the visitor's currency, and
a search engine indexes the group and province pages instead).
"""

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin

from babel.core import Locale, UnknownLocaleError, get_global
from django.conf import settings
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext

from shop import structured_data
from shop.models import Cooperative, ProductGroup
from shop.page_languages import language_codes, language_url

DESCRIPTION_CHARS = 200
# The catalogue parameters that choose what is listed, in the order canonical addresses use.
CATALOGUE_KEPT = ("q", "group", "province", "stars", "price_min", "price_max", "in_stock")
# Narrowing filters: such a page is not worth a search engine's index (see above).
CATALOGUE_NOINDEX = frozenset({"q", "stars", "price_min", "price_max", "in_stock"})


@dataclass(frozen=True)
class Head:
    """The tags of one page in one language; every address absolute."""

    title: str
    description: str
    canonical: str
    # (hreflang, address): one per language of settings.LANGUAGES, then x-default.
    alternates: tuple[tuple[str, str], ...]
    locale: str
    other_locales: tuple[str, ...]
    og_type: str = "website"
    image: str = ""
    noindex: bool = False
    structured_data: tuple[dict, ...] = field(default_factory=tuple)


def current_language() -> str:
    language = get_language()
    return language if language in language_codes() else settings.LANGUAGE_CODE


@functools.lru_cache(maxsize=32)
def og_locale(language: str) -> str:
    """Open Graph's language_TERRITORY of a language code: "vi" -> "vi_VN", "de" ->
    "de_DE", "pt-br" -> "pt_BR" (babel's likely territory when the code has none)."""
    try:
        locale = Locale.parse(language, sep="-")
        if locale.territory is None:
            likely = get_global("likely_subtags").get(locale.language)
            if likely:
                locale = Locale.parse(likely)
    except (UnknownLocaleError, ValueError):
        return language.replace("-", "_")
    if locale.territory is None:
        return locale.language
    return f"{locale.language}_{locale.territory}"


def absolute(origin: str, url: str) -> str:
    """`url` (a path, or already absolute: a media host) against the site's origin."""
    return urljoin(origin + "/", url)


def _plain(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(DESCRIPTION_CHARS)


def _site_description() -> str:
    # The home page's own introduction (already translated).
    return gettext(
        "Every product here carries an OCOP rating from Vietnam's One Commune One Product "
        "programme. Each batch tells you where and when it was harvested."
    )


def page_head(
    *,
    origin: str,
    path: str,
    params: Iterable[tuple[str, str]] = (),
    title: str,
    description: str,
    og_type: str = "website",
    image: str = "",
    noindex: bool = False,
    data: Sequence[dict] = (),
) -> Head:
    """The Head of the page at `path` with the query `params` (without `lang`), in the
    language being read."""
    params = list(params)
    language = current_language()
    alternates = [(code, origin + language_url(path, params, code)) for code in language_codes()]
    alternates.append(("x-default", origin + language_url(path, params, settings.LANGUAGE_CODE)))
    return Head(
        title=title,
        description=_plain(description),
        canonical=origin + language_url(path, params, language),
        alternates=tuple(alternates),
        locale=og_locale(language),
        other_locales=tuple(og_locale(code) for code in language_codes() if code != language),
        og_type=og_type,
        image=image,
        noindex=noindex,
        structured_data=tuple(data),
    )


def home_head(*, origin: str, path: str) -> Head:
    return page_head(
        origin=origin,
        path=path,
        title=gettext("OCOP Village Shop"),
        description=_site_description(),
    )


def catalogue_head(*, origin: str, path: str, query, page_number: int) -> Head:
    """The catalogue's Head: `query` the request's GET (a valid filter form's), page_number
    the page shown (a number past the end is shown as the last page)."""
    params = [(name, query[name]) for name in CATALOGUE_KEPT if query.get(name)]
    if page_number > 1:
        params.append(("page", str(page_number)))
    group = query.get("group")
    title = dict(ProductGroup.choices)[group] if group else gettext("Products")
    return page_head(
        origin=origin,
        path=path,
        params=params,
        title=str(title),
        description=_site_description(),
        noindex=any(name in CATALOGUE_NOINDEX for name, _value in params),
    )


def product_head(page, *, currency: str, origin: str) -> Head:
    """A product page's Head with its schema.org Product (shop.product_page.ProductPage)."""
    product = page.product
    images = [absolute(origin, picture.large) for picture in page.pictures]
    if not images and product.photo:
        images = [absolute(origin, product.photo.url)]
    path = product.get_absolute_url()
    url = origin + language_url(path, (), current_language())
    data = structured_data.product(page, currency=currency, url=url, origin=origin, images=images)
    cooperative = product.cooperative
    return page_head(
        origin=origin,
        path=path,
        title=product.name,
        description=product.description
        or f"{product.name} · {cooperative.name}, {cooperative.province.name}",
        og_type="product",
        image=images[0] if images else "",
        data=[data],
    )


def cooperative_head(cooperative: Cooperative, *, origin: str) -> Head:
    """A cooperative page's Head with its schema.org Organization."""
    images = [absolute(origin, picture.large) for picture in cooperative.pictures]
    if not images and cooperative.photo:
        images = [absolute(origin, cooperative.photo.url)]
    path = cooperative.get_absolute_url()
    url = origin + language_url(path, (), current_language())
    place = f"{cooperative.name} · {cooperative.village.name}, {cooperative.province.name}"
    return page_head(
        origin=origin,
        path=path,
        title=cooperative.name,
        description=cooperative.story or place,
        image=images[0] if images else "",
        data=[structured_data.organization(cooperative, url=url, images=images)],
    )


def head_html(head: Head) -> str:
    """The <head> tags of `head`, every value escaped."""
    site = escape(gettext("OCOP Village Shop"))
    tags = [f'<meta name="description" content="{escape(head.description)}">']
    if head.noindex:
        tags.append('<meta name="robots" content="noindex, follow">')
    tags.append(f'<link rel="canonical" href="{escape(head.canonical)}">')
    tags.extend(
        f'<link rel="alternate" hreflang="{escape(code)}" href="{escape(url)}">'
        for code, url in head.alternates
    )
    tags.extend(
        [
            f'<meta property="og:type" content="{escape(head.og_type)}">',
            f'<meta property="og:site_name" content="{site}">',
            f'<meta property="og:title" content="{escape(head.title)}">',
            f'<meta property="og:description" content="{escape(head.description)}">',
            f'<meta property="og:url" content="{escape(head.canonical)}">',
            f'<meta property="og:locale" content="{escape(head.locale)}">',
        ]
    )
    tags.extend(
        f'<meta property="og:locale:alternate" content="{escape(locale)}">'
        for locale in head.other_locales
    )
    if head.image:
        tags.append(f'<meta property="og:image" content="{escape(head.image)}">')
    card = "summary_large_image" if head.image else "summary"
    tags.append(f'<meta name="twitter:card" content="{card}">')
    tags.extend(structured_data.script(data) for data in head.structured_data)
    return "\n  ".join(tags)
