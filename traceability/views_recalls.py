"""The recall report: which orders a recall reached, their units, whether each buyer was
told; as a page and as a CSV download. Superusers and the batch's own cooperative staff
only: anyone else signed in gets 404, as if the recall did not exist; signed-out visitors
are sent to sign in first."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from traceability.links import batch_digital_link
from traceability.models import Recall
from traceability.recall_report import recall_report, report_csv, visible_recalls


def _signed_in(view):
    @functools.wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("shop:login"))
        return view(request, *args, **kwargs)

    return guarded


def _report(request: HttpRequest, recall_id: int):
    try:
        return recall_report(recall_id=recall_id, user=request.user)
    except Recall.DoesNotExist as exc:
        raise Http404(_("No recall of yours has this number.")) from exc


@require_safe
@never_cache
@_signed_in
def recall_list(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_superuser or request.user.is_cooperative_staff):
        raise Http404(_("No recall of yours has this number."))
    recalls = visible_recalls(user=request.user)
    return render(request, "traceability/recall_list.html", {"recalls": recalls})


@require_safe
@never_cache
@_signed_in
def recall_detail(request: HttpRequest, recall_id: int) -> HttpResponse:
    report = _report(request, recall_id)
    context = {"report": report, "trace_url": batch_digital_link(report.recall.batch)}
    return render(request, "traceability/recall_report.html", context)


@require_safe
@never_cache
@_signed_in
def recall_csv(request: HttpRequest, recall_id: int) -> HttpResponse:
    report = _report(request, recall_id)
    response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
    filename = f"recall-{report.recall.pk}-{report.recall.batch.lot_code}.csv"
    # Lot codes may hold characters a header cannot; keep a plain ASCII file name.
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in filename)
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response
