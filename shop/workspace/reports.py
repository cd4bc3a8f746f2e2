"""Buyers' reports of suspicious products, as a cooperative's workspace reads them.

Scoped like shop.workspace.selectors: a cooperative sees the reports of the GTINs it sells
(traceability.reports ties each report to that cooperative) and nobody else's; another
cooperative's report answers like a missing one. Reports of GTINs nobody here sells reach
the shop's admins only.
"""

from django.db.models import QuerySet

from traceability.models import SuspiciousProductReport

LIST_LIMIT = 100


def reports(*, cooperative_id: int, resolved: bool) -> QuerySet[SuspiciousProductReport]:
    """The cooperative's open (or resolved) reports, newest first, with lot and product."""
    return (
        SuspiciousProductReport.objects.filter(cooperative_id=cooperative_id, resolved=resolved)
        .select_related("batch__variant__product")
        .order_by("-created_at", "-pk")[:LIST_LIMIT]
    )


def open_count(*, cooperative_id: int) -> int:
    return SuspiciousProductReport.objects.filter(
        cooperative_id=cooperative_id, resolved=False
    ).count()
