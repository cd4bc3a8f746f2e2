"""GS1 location identifiers (GLNs): the "location trace code" of each stage of a lot.

A cooperative's GLN is its own, entered by the shop's or the cooperative's staff (GS1
Vietnam issues it with the cooperative's company prefix). A village has no GS1 member to
number it, so the shop numbers it under its own company prefix (`GS1_COMPANY_PREFIX`):
prefix + location reference + check digit, the reference being the village's id, so a
village keeps its number for life and two villages never share one.

Events name where they happened by GLN: the village's for a stage in the village (harvest,
drying in the village yard), otherwise the cooperative's premises (traceability.events
records it on the event; `event_gln` falls back the same way for events recorded before).
EPCIS and the trace page publish a GLN in GS1 Digital Link form (`https://id.gs1.org/414/…`),
which, unlike an SGLN URN, needs no knowledge of where the company prefix ends.
"""

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from traceability import cache
from traceability.gs1 import check_digit, normalise_gln
from traceability.models import TraceEvent, Village

GS1_ID_ROOT = "https://id.gs1.org"
GLN_LENGTH = 13
# A GS1 company prefix has 6 to 12 digits; 12 leaves no room for a location reference.
PREFIX_LENGTHS = range(6, 12)


class LocationError(ValueError):
    """A GLN cannot be assigned; nothing was written."""


class InvalidCompanyPrefix(LocationError):
    """GS1_COMPANY_PREFIX is not 6 to 11 ASCII digits."""


class LocationReferencesExhausted(LocationError):
    """The village's id no longer fits in the location references the prefix leaves."""


def company_prefix() -> str:
    """The shop's GS1 company prefix, checked. Raises InvalidCompanyPrefix."""
    prefix = str(getattr(settings, "GS1_COMPANY_PREFIX", "") or "").strip()
    if not (prefix.isascii() and prefix.isdigit() and len(prefix) in PREFIX_LENGTHS):
        raise InvalidCompanyPrefix(f"GS1_COMPANY_PREFIX must be 6 to 11 digits, not {prefix!r}.")
    return prefix


def numbered_gln(*, prefix: str, reference: int) -> str:
    """The 13-digit GLN with this company prefix and location reference (check digit added).

    Raises LocationReferencesExhausted when the reference needs more digits than are left."""
    room = GLN_LENGTH - 1 - len(prefix)
    if reference < 0 or len(str(reference)) > room:
        raise LocationReferencesExhausted(
            f"Location reference {reference} does not fit in {room} digits after {prefix}."
        )
    body = prefix + str(reference).zfill(room)
    return body + str(check_digit(body))


def assign_village_gln(*, village: Village) -> str:
    """Give the village a GLN under the shop's company prefix, unless it has one already.

    Rule: the location reference is the village's id, so the number never changes and is
    never reused. A GLN already set (by the shop's staff, or earlier) is kept as it is.
    Side effects: updates the village's `gln` and, after commit, gives the trace pages that
    show the village a fresh cache version. Returns the GLN.
    Raises InvalidCompanyPrefix, LocationReferencesExhausted.
    """
    _assign(village)
    return village.gln


def ensure_glns() -> int:
    """Number every village that has no GLN yet (as assign_village_gln does).

    Idempotent; returns how many villages got a GLN now. Raises InvalidCompanyPrefix,
    LocationReferencesExhausted (the villages numbered before it keep their GLN)."""
    company_prefix()  # a wrong setting is reported even when every village has a GLN
    return sum(_assign(village) for village in Village.objects.filter(gln="").order_by("pk"))


def _assign(village: Village) -> bool:
    """Number the village if it has no GLN; True if this call gave it one."""
    if village.gln:
        return False
    gln = numbered_gln(prefix=company_prefix(), reference=village.pk)
    with transaction.atomic():
        # Only a village still without a number gets one: a GLN typed in meanwhile wins.
        updated = Village.objects.filter(pk=village.pk, gln="").update(gln=gln)
        if updated:
            invalidate = functools.partial(cache.invalidate_village, village_id=village.pk)
            transaction.on_commit(invalidate)
    if not updated:
        village.gln = Village.objects.values_list("gln", flat=True).get(pk=village.pk)
        return False
    village.gln = gln
    return True


def location_uri(gln: str) -> str:
    """The GLN as a GS1 Digital Link URI, the form EPCIS 2.0 takes for a read point or a
    business location (CBV 2.0, section 8.4)."""
    return f"{GS1_ID_ROOT}/414/{normalise_gln(gln)}"


def event_gln(event: TraceEvent, *, cooperative) -> str:
    """Where a stage happened, as a GLN ("" when nobody has one).

    The GLN recorded on the event; for an event recorded before GLNs existed, the village's
    if the stage happened in a village (never the cooperative's instead: that would name a
    place the stage did not happen), else the cooperative's premises. Reads `event.village`:
    select it with the events, or this is a query per event."""
    if event.location_gln:
        return event.location_gln
    if event.village_id:
        return event.village.gln
    return cooperative.gln


@dataclass(frozen=True)
class StageLocation:
    """A stage of the lot and its location trace code, for the national minimum data."""

    event: TraceEvent
    gln: str


def stage_locations(events: Iterable[TraceEvent], *, cooperative) -> list[StageLocation]:
    return [StageLocation(event, event_gln(event, cooperative=cooperative)) for event in events]
