"""Building GS1 Digital Link URIs for our batches (parsing lives in traceability.resolver)."""

from urllib.parse import quote

from django.conf import settings

from traceability.gs1 import normalise_gtin


def digital_link_path(*, gtin: str, lot: str, serial: str | None = None) -> str:
    """`/01/<GTIN-14>/10/<lot>[/21/<serial>]`, percent-encoding what GS1 requires."""
    path = f"/01/{normalise_gtin(gtin)}/10/{quote(lot, safe='')}"
    if serial:
        path += f"/21/{quote(serial, safe='')}"
    return path


def digital_link(*, gtin: str, lot: str, serial: str | None = None) -> str:
    """The absolute URI printed in QR codes and emails, on our own domain (settings.SITE_URL)."""
    return settings.SITE_URL + digital_link_path(gtin=gtin, lot=lot, serial=serial)


def batch_digital_link(batch) -> str:
    return digital_link(gtin=batch.variant.gtin, lot=batch.lot_code)
