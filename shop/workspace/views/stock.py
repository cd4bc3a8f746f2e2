"""Receiving a batch, changing its stock through the ledger, adding a trace event with a
photo, and recalling it after a confirmation page. Each handler calls one service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shop import inventory
from shop.message_codes import coded
from shop.models import BatchStatus
from shop.workspace import selectors
from shop.workspace.access import staff_only
from shop.workspace.forms import AdjustForm, EventForm, RecallForm, ReceiveForm
from shop.workspace.views import errors_onto, own_batch
from traceability import events, recalls, receipts
from traceability.models import EventKind

FORM_METHODS = ["GET", "HEAD", "POST"]


def _status(form) -> int:
    return 400 if form.is_bound else 200


def _receive_form(request: HttpRequest) -> ReceiveForm:
    """The form, starting on today's harvest, the cooperative's own village and, when the
    product is known (only one, or ?variant=), a lot code suggestion to show."""
    coop_id = request.cooperative_id
    variants = list(selectors.variants(cooperative_id=coop_id))
    chosen = request.GET.get("variant", "")
    variant = next((v for v in variants if str(v.pk) == chosen), None)
    if variant is None and len(variants) == 1:
        variant = variants[0]
    initial = {
        "harvest_date": timezone.localdate(),
        "village": selectors.cooperative(cooperative_id=coop_id).village_id,
        "variant": variant.pk if variant else None,
    }
    form = ReceiveForm(request.POST or None, cooperative_id=coop_id, initial=initial)
    if variant:
        suggestion = selectors.suggest_lot_code(variant=variant, day=timezone.localdate())
        form.fields["lot_code"].widget.attrs["placeholder"] = suggestion
    return form


@require_http_methods(FORM_METHODS)
@staff_only
def receive(request: HttpRequest) -> HttpResponse:
    form = _receive_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = receipts.receive_lot(
                variant=data["variant"],
                lot_code=data["lot_code"],
                harvest_date=data["harvest_date"],
                packing_date=data["packing_date"],
                best_before=data["best_before"],
                village=data["village"],
                quantity=data["quantity"],
                actor=request.user,
                reason=coded("received_workspace"),
            )
        except ValidationError as error:
            errors_onto(form, error)
        except inventory.InventoryError as error:
            form.add_error("quantity", str(error))
        except IntegrityError:
            form.add_error("lot_code", _("This lot code was just used. Please send again."))
        else:
            messages.success(
                request,
                _("Batch %(lot)s received: %(quantity)d units.")
                % {"lot": batch.lot_code, "quantity": data["quantity"]},
            )
            return redirect("coop:batch", batch_id=batch.pk)
    return render(request, "coop/receive.html", {"form": form}, status=_status(form))


@require_http_methods(FORM_METHODS)
@staff_only
def adjust(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = own_batch(request, batch_id)
    form = AdjustForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inventory.record_movement(batch_id=batch.pk, actor=request.user, **form.movement())
        except inventory.InsufficientStock as error:
            form.add_error(
                "quantity",
                _("Only %(available)d units can be taken out now (the rest is in carts or orders).")
                % {"available": error.available},
            )
        except inventory.InvalidMovement:
            form.add_error(None, _("This change is not possible."))
        else:
            messages.success(request, _("Stock updated."))
            return redirect("coop:batch", batch_id=batch.pk)
    context = {"form": form, "batch": batch}
    return render(request, "coop/adjust.html", context, status=_status(form))


def _event_actor(request: HttpRequest) -> str:
    return request.user.get_full_name() or request.user.cooperative.name


@require_http_methods(FORM_METHODS)
@staff_only
def add_event(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = own_batch(request, batch_id)
    initial = {
        "kind": EventKind.HARVEST,
        "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
        "place": batch.village.name,
    }
    form = EventForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        notes = {"notes_vi" if get_language() == "vi" else "notes_en": data["notes"]}
        try:
            events.append_event(
                batch=batch,
                kind=data["kind"],
                occurred_at=data["occurred_at"],
                place=data["place"],
                actor=_event_actor(request),
                village=batch.village if data["kind"] == EventKind.HARVEST else None,
                photo=data["photo"] or None,
                recorded_by=request.user,
                **notes,
            )
        except events.InvalidEvent as error:
            form.add_error(None, _("This event cannot be saved: %(detail)s") % {"detail": error})
        except events.ChainBusy:
            form.add_error(None, _("Someone else is adding an event to this batch. Send again."))
        else:
            messages.success(request, _("Event added to the batch's story."))
            return redirect("coop:batch", batch_id=batch.pk)
    context = {"form": form, "batch": batch}
    return render(request, "coop/event.html", context, status=_status(form))


@require_http_methods(FORM_METHODS)
@staff_only
def recall(request: HttpRequest, batch_id: int) -> HttpResponse:
    """First the reason, then a page that asks to confirm it; only the confirmed post
    recalls (traceability.recalls.recall_batch)."""
    batch = own_batch(request, batch_id)
    if batch.status == BatchStatus.RECALLED:
        return render(request, "coop/recall.html", {"batch": batch, "form": None})
    form = RecallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["confirm"]:
            context = {
                "batch": batch,
                "reason_vi": form.cleaned_data["reason_vi"],
                "reason_en": form.cleaned_data["reason_en"],
                "impact": recalls.preview(batch=batch),
            }
            return render(request, "coop/recall_confirm.html", context)
        try:
            recalls.recall_batch(
                batch=batch,
                reason_vi=form.cleaned_data["reason_vi"],
                reason_en=form.cleaned_data["reason_en"],
                actor=request.user,
            )
        except recalls.RecallError:
            form.add_error("reason_vi", _("This recall cannot be saved. Check the reason."))
        else:
            messages.warning(request, _("Batch %(lot)s is recalled.") % {"lot": batch.lot_code})
            return redirect("coop:batch", batch_id=batch.pk)
    context = {"batch": batch, "form": form}
    return render(request, "coop/recall.html", context, status=_status(form))
