"""The suspicious-product report form, for any code a buyer scanned, known to us or not
(the Digital Link resolver is in views_resolver).

`/trace/report/?gtin=<GTIN>&lot=<lot>` (lot optional): a well-formed code always gets the
form, whether we know its lot, only its product, or nothing at all (the likeliest
counterfeit); a malformed one gets the 400 page. The form is multipart (an optional photo),
CSRF-protected, and each POST counts against the client address's "report" rate limit.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from shop import ratelimits
from traceability import reports
from traceability.forms import SuspiciousProductForm
from traceability.links import digital_link_path


def _back(gtin: str, lot: str) -> str:
    """The scanned link on this site (relative: the address it is served on)."""
    return digital_link_path(gtin=gtin, lot=lot) if lot else f"/01/{gtin}"


def _bad_code(request: HttpRequest, code: str) -> HttpResponse:
    """The resolver's 400 page, saying which part of the code (gtin, lot) is malformed."""
    context = {"status": 400, "code": code, "detail": "", "messages": ()}
    return render(request, "traceability/problem.html", context, status=400)


@never_cache
@ratelimits.limit_posts("report")
def report(request: HttpRequest) -> HttpResponse:
    """The form to report a suspicious product, for the code named in the query string."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        gtin, lot = reports.scanned_code(
            gtin=request.GET.get("gtin", ""), lot=request.GET.get("lot", "")
        )
    except reports.InvalidReport as refused:
        return _bad_code(request, refused.code)
    posted = request.method == "POST"
    form = SuspiciousProductForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    if posted and form.is_valid():
        try:
            reports.file_report(gtin=gtin, lot=lot, language=get_language(), **form.cleaned_data)
        except reports.InvalidReport as refused:
            form.add_error("photo" if refused.code == "photo" else None, str(refused))
        else:
            return redirect(reverse("traceability:report_sent") + "?" + request.GET.urlencode())
    context = {
        "form": form,
        "item": reports.scanned_item(gtin=gtin, lot=lot),
        "trace_url": _back(gtin, lot),
    }
    return render(request, "traceability/report.html", context, status=400 if posted else 200)


@never_cache
def report_sent(request: HttpRequest) -> HttpResponse:
    try:
        gtin, lot = reports.scanned_code(
            gtin=request.GET.get("gtin", ""), lot=request.GET.get("lot", "")
        )
    except reports.InvalidReport:
        back = ""
    else:
        back = _back(gtin, lot)
    return render(request, "traceability/report_sent.html", {"trace_url": back})
