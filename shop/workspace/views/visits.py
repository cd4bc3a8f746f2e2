"""The cooperative's invitation to its village ("Đón khách tham quan") and its products'
care and use notes; each handler reads and writes through shop.workspace.visit_edits,
scoped to the staff's own cooperative (another's product answers 404)."""

from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from shop import visits
from shop.models import Product
from shop.workspace import visit_edits
from shop.workspace.access import staff_only
from shop.workspace.visit_forms import CareNotesForm, VisitForm

FORM_METHODS = ["GET", "HEAD", "POST"]


@require_http_methods(FORM_METHODS)
@staff_only
def visit_edit(request: HttpRequest) -> HttpResponse:
    row = visit_edits.visit(cooperative_id=request.cooperative_id)
    initial = model_to_dict(row, fields=visit_edits.VISIT_FIELDS)
    form = VisitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        visit_edits.save_visit(cooperative_id=request.cooperative_id, values=form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("coop:visit")
    context = {
        "form": form,
        "visit": row,
        "preview": visits.published_visit(cooperative_id=request.cooperative_id),
    }
    return render(request, "coop/visit.html", context, status=400 if form.is_bound else 200)


@require_safe
@staff_only
def care_notes_list(request: HttpRequest) -> HttpResponse:
    products = visit_edits.products(cooperative_id=request.cooperative_id)
    return render(request, "coop/care_notes.html", {"products": products})


@require_http_methods(FORM_METHODS)
@staff_only
def care_notes_edit(request: HttpRequest, product_id: int) -> HttpResponse:
    try:
        product = visit_edits.product(cooperative_id=request.cooperative_id, product_id=product_id)
    except Product.DoesNotExist as exc:
        raise Http404("No such product.") from exc
    initial = {"care_notes_vi": product.care_notes_vi, "care_notes_en": product.care_notes_en}
    form = CareNotesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        visit_edits.save_care_notes(
            cooperative_id=request.cooperative_id, product_id=product.pk, **form.cleaned_data
        )
        messages.success(request, _("Saved."))
        return redirect("coop:care_notes")
    context = {"form": form, "product": product}
    return render(request, "coop/care_note.html", context, status=400 if form.is_bound else 200)
