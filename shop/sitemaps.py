"""sitemap.xml and robots.txt: the storefront's public pages, each in every language.

The sitemap lists the home page, the catalogue and its group pages, every published product
and every cooperative with a published product, once per language of settings.LANGUAGES at
its `?lang=` address (shop.page_languages), each entry with the xhtml:link alternates of all
languages and x-default, the same addresses the pages' own hreflang tags give (shop.seo).
No lastmod: products and cooperatives keep no modification time (a creation time would
understate changes, which is worse than no date).

Not listed: the trace pages (/01/… GS1 Digital Links): one per lot, thousands, reached by
scanning a label; they are public and crawlable but are not storefront pages. robots.txt
keeps crawlers out of the private pages (cart, checkout, orders, payment, account, the
cooperative workspace, admin, the API) and the preference switch.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language

from shop.models import Cooperative, Product
from shop.page_languages import language_url
from shop.sites import site_url

X_DEFAULT = "x-default"
# Path prefixes (under the script prefix) no crawler should fetch.
PRIVATE_PREFIXES = (
    "cart/",
    "checkout/",
    "orders/",
    "pay/",
    "payments/",
    "account/",
    "preferences/",
    "coop/",
    "admin/",
    "graphql/",
    "metrics",
)


class _LanguageSitemap(Sitemap):
    """Every item once per language, at absolute addresses on the site's origin
    (shop.sites), with alternates. Subclasses give `items()` and `address(item)`."""

    i18n = True
    alternates = True
    # Django's own x-default strips a "/<code>/" path prefix these addresses do not have.
    x_default = False

    def address(self, item) -> tuple[str, list[tuple[str, str]]]:
        raise NotImplementedError

    def location(self, item) -> str:
        # Django calls this with each language active in turn.
        path, params = self.address(item)
        return language_url(path, params, get_language())

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(site_url()).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(site_url()).netloc

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            default = [a for a in url["alternates"] if a["lang_code"] == settings.LANGUAGE_CODE]
            if default:
                url["alternates"].append(
                    {"location": default[0]["location"], "lang_code": X_DEFAULT}
                )
        return urls


class PageSitemap(_LanguageSitemap):
    """The home page, the catalogue, and the catalogue of each group with products."""

    def items(self) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
        groups = (
            Product.objects.published().order_by("group").values_list("group", flat=True).distinct()
        )
        return [
            ("shop:home", ()),
            ("shop:catalogue", ()),
            *(("shop:catalogue", (("group", group),)) for group in groups),
        ]

    def address(self, item):
        name, params = item
        return reverse(name), list(params)


class ProductSitemap(_LanguageSitemap):
    """Every published product."""

    def items(self):
        return Product.objects.published().order_by("slug").values_list("slug", flat=True)

    def address(self, item):
        return reverse("shop:product", kwargs={"slug": item}), []


class CooperativeSitemap(_LanguageSitemap):
    """Every cooperative with a published product (the others' pages list nothing)."""

    def items(self):
        return (
            Cooperative.objects.filter(products__is_published=True)
            .order_by("slug")
            .values_list("slug", flat=True)
            .distinct()
        )

    def address(self, item):
        return reverse("shop:cooperative", kwargs={"slug": item}), []


SITEMAPS = {"pages": PageSitemap, "products": ProductSitemap, "cooperatives": CooperativeSitemap}


def robots_txt(*, sitemap_url: str) -> str:
    """robots.txt: every crawler kept out of the private prefixes, and the sitemap."""
    prefix = get_script_prefix()
    lines = ["User-agent: *"]
    lines.extend(f"Disallow: {prefix}{path}" for path in PRIVATE_PREFIXES)
    lines.append(f"Sitemap: {sitemap_url}")
    return "\n".join(lines) + "\n"
