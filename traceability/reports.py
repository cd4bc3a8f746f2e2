"""Buyers' reports of products that may not be what their trace page says."""

from django.db import transaction

from shop.models import Batch
from traceability.models import ReportReason, SuspiciousProductReport


class InvalidReport(ValueError):
    """The report is missing a reason or its text."""


@transaction.atomic
def file_report(
    *,
    batch: Batch,
    reason: ReportReason | str,
    details: str,
    place_of_purchase: str = "",
    email: str = "",
    language: str = "en",
) -> SuspiciousProductReport:
    """Store one report against the batch the buyer scanned. Writes one row; the
    cooperative and the shop's staff read it in the admin. Raises InvalidReport."""
    if reason not in ReportReason.values or not details.strip():
        raise InvalidReport("A report needs a reason and a description.")
    return SuspiciousProductReport.objects.create(
        batch=batch,
        reason=reason,
        details=details.strip()[:2000],
        place_of_purchase=place_of_purchase.strip()[:200],
        email=email.strip(),
        language=language[:5],
    )
