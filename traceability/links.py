"""Building GS1 Digital Link URIs for our batches (parsing lives in traceability.resolver).

Every link the shop emits starts with `site_url()`: settings.SITE_URL with its scheme and
host in lower case. They are case-insensitive (RFC 3986 §6.2.2.1), but GS1's linkset schema
only accepts `http`/`https` and several QR readers only open a lower-case scheme.
"""

from functools import lru_cache
from urllib.parse import quote, urlsplit, urlunsplit

from shop import sites
from traceability.gs1 import normalise_gtin


# Bounded: with SITE_URL from the request, the argument comes from the Host header.
@lru_cache(maxsize=64)
def _normalised(site_url: str) -> str:
    parts = urlsplit(site_url.strip())
    lowered = parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower())
    return urlunsplit(lowered).rstrip("/")


def site_url() -> str:
    """The site's origin (shop.sites: settings.SITE_URL, or the request's when SITE_URL is
    not set) with a lower-case scheme and host and no trailing slash."""
    return _normalised(sites.site_url())


def digital_link_path(*, gtin: str, lot: str, serial: str | None = None) -> str:
    """`/01/<GTIN-14>/10/<lot>[/21/<serial>]`, percent-encoding what GS1 requires."""
    path = f"/01/{normalise_gtin(gtin)}/10/{quote(lot, safe='')}"
    if serial:
        path += f"/21/{quote(serial, safe='')}"
    return path


def digital_link(*, gtin: str, lot: str, serial: str | None = None) -> str:
    """The absolute URI printed in QR codes and emails, on our own domain (site_url())."""
    return site_url() + digital_link_path(gtin=gtin, lot=lot, serial=serial)


def gtin_link(*, gtin: str) -> str:
    """The product-level Digital Link `<site>/01/<GTIN-14>`."""
    return f"{site_url()}/01/{normalise_gtin(gtin)}"


def batch_digital_link(batch) -> str:
    return digital_link(gtin=batch.variant.gtin, lot=batch.lot_code)
