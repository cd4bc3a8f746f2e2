"""Gift boxes: assembling the cooperative's own gift sets (shop.fulfilment.assembly), and
the transfers of component units it must send to an assembler or receive from a partner
(shop.fulfilment.transfers). Another cooperative's gift set or transfer answers 404."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shop.fulfilment import assembly, transfers
from shop.models import TransferStatus, Variant
from shop.workspace import boxes
from shop.workspace.access import staff_only

FORM_METHODS = ["GET", "HEAD", "POST"]


@require_safe
@staff_only
def box_list(request: HttpRequest) -> HttpResponse:
    coop_id = request.cooperative_id
    context = {
        "gift_sets": boxes.gift_sets(cooperative_id=coop_id),
        "to_send": boxes.transfers_to_send(cooperative_id=coop_id),
        "to_receive": boxes.transfers_to_receive(cooperative_id=coop_id),
    }
    return render(request, "coop/boxes.html", context)


def _suggestion(gift_set: Variant, count: int):
    try:
        return assembly.fefo_suggestion(gift_set=gift_set, boxes=count), None
    except assembly.NotEnoughComponents as short:
        return [], short


@require_http_methods(FORM_METHODS)
@staff_only
def assemble(request: HttpRequest, variant_id: int) -> HttpResponse:
    try:
        gift_set = boxes.gift_set(cooperative_id=request.cooperative_id, variant_id=variant_id)
    except Variant.DoesNotExist as exc:
        raise Http404(_("No gift set of yours has this number.")) from exc
    choices = boxes.component_lots(gift_set=gift_set)
    form = boxes.AssembleForm(request.POST or None, choices=choices, initial={"boxes": 1})
    if request.method == "POST" and form.is_valid():
        try:
            run = assembly.assemble(
                gift_set=gift_set,
                boxes=form.cleaned_data["boxes"],
                actor=request.user,
                lots=form.chosen_lots(),
                lot_code=form.cleaned_data["lot_code"] or None,
            )
        except assembly.NotEnoughComponents as short:
            form.add_error(
                "boxes", _("Not enough units of a component: %(n)d left.") % {"n": short.available}
            )
        except assembly.InvalidLotCode as bad:
            form.add_error("lot_code", bad.messages)
        except (assembly.LotNotUsable, assembly.NotAllowed, assembly.NotAGiftSet):
            form.add_error(None, _("These lots cannot go into this gift set."))
        else:
            messages.success(
                request,
                _("%(boxes)d boxes assembled into lot %(lot)s.")
                % {"boxes": run.boxes, "lot": run.box_batch.lot_code},
            )
            return redirect("coop:boxes")
    count = form.cleaned_data.get("boxes", 1) if form.is_bound and form.is_valid() else 1
    plan, short = _suggestion(gift_set, count)
    context = {
        "gift_set": gift_set,
        "form": form,
        "plan": plan,
        "short": short,
        "suggested_code": assembly.suggest_lot_code(gift_set=gift_set, day=timezone.localdate()),
        "lot_fields": [form[form.field_name(item)] for item in choices],
    }
    return render(request, "coop/assemble.html", context, status=400 if form.is_bound else 200)


def _move(request: HttpRequest, transfer_id: int, *, side: str, service, done: str):
    # The sender acts on transfers out, the assembler on transfers in; anything else is 404.
    if not boxes.own_transfer_exists(
        cooperative_id=request.cooperative_id, transfer_id=transfer_id, side=side
    ):
        raise Http404(_("No transfer of yours has this number."))
    try:
        service(transfer_id=transfer_id, actor=request.user)
    except transfers.WrongTransferState as state:
        messages.error(
            request,
            _("This transfer is already %(status)s.")
            % {"status": TransferStatus(state.status).label},
        )
    except transfers.NotAllowed as exc:
        raise Http404(_("No transfer of yours has this number.")) from exc
    else:
        messages.success(request, done)
    return redirect("coop:boxes")


@require_POST
@staff_only
def mark_sent(request: HttpRequest, transfer_id: int) -> HttpResponse:
    return _move(
        request, transfer_id, side="from", service=transfers.mark_sent, done=_("Marked sent.")
    )


@require_POST
@staff_only
def mark_received(request: HttpRequest, transfer_id: int) -> HttpResponse:
    return _move(
        request,
        transfer_id,
        side="to",
        service=transfers.mark_received,
        done=_("Marked received."),
    )
