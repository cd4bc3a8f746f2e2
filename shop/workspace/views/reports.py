"""Buyers' reports of suspicious products about the cooperative's own products: read them
(photo, reason, code, date in Vietnam time) and mark them resolved once acted on."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from shop.workspace import reports as selectors
from shop.workspace.access import staff_only
from traceability import reports


@require_safe
@staff_only
def report_list(request: HttpRequest) -> HttpResponse:
    resolved = request.GET.get("show") == "resolved"
    coop_id = request.cooperative_id
    context = {
        "reports": selectors.reports(cooperative_id=coop_id, resolved=resolved),
        "showing_resolved": resolved,
        "open_count": selectors.open_count(cooperative_id=coop_id),
    }
    return render(request, "coop/reports.html", context)


@require_POST
@staff_only
def mark_report(request: HttpRequest, report_id: int) -> HttpResponse:
    resolved = request.POST.get("resolved", "1") != "0"
    changed = reports.mark_resolved(
        report_id=report_id, cooperative_id=request.cooperative_id, resolved=resolved
    )
    if not changed:
        raise Http404(_("No such report."))
    if resolved:
        messages.success(request, _("Marked as resolved."))
    else:
        messages.success(request, _("Opened again."))
    # Back to the list the button was on: the open reports, or the resolved ones.
    show = "?show=resolved" if not resolved else ""
    return redirect(reverse("coop:reports") + show)
