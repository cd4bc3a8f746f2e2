"""Correcting a mistake in a batch's lot code, dates or village: the facts fixed at receipt
change only through traceability.corrections.correct_batch, which records the correction in
the batch's public story."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shop.workspace import selectors
from shop.workspace.access import staff_only
from shop.workspace.views import own_batch
from traceability import corrections
from traceability.forms import CorrectionForm


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def correct(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = own_batch(request, batch_id)
    villages = selectors.villages(cooperative_id=request.cooperative_id)
    form = CorrectionForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        try:
            corrections.correct_batch(batch=batch, actor=request.user, **form.correction())
        except corrections.InvalidCorrection as error:
            form.add_refusal(error)
        else:
            messages.success(request, _("Corrected. The change is shown in the batch's story."))
            return redirect("coop:batch", batch_id=batch.pk)
    context = {
        "form": form,
        "batch": batch,
        "history": corrections.history(batch_id=batch.pk),
    }
    return render(request, "coop/correct.html", context, status=400 if form.is_bound else 200)
