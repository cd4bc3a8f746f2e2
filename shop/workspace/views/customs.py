"""The customs declaration (CN22 or CN23) of this cooperative's parcel of an order, as a PDF
to print and stick on the parcel (shop.fulfilment.customs says which form and what it
declares). Another cooperative's order answers 404, like every workspace order page."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from shop.fulfilment import customs, customs_pdf
from shop.models import Order
from shop.workspace import selectors
from shop.workspace.access import staff_only

DOMESTIC_MESSAGE = gettext_lazy("This parcel stays in Vietnam: it needs no customs declaration.")


def pdf_response(declaration: customs.Declaration) -> HttpResponse:
    response = HttpResponse(customs_pdf.render(declaration), content_type="application/pdf")
    name = f"{declaration.form}-{declaration.order_number}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_safe
@staff_only
def customs_declaration(request: HttpRequest, number: str) -> HttpResponse:
    try:
        order = selectors.order(cooperative_id=request.cooperative_id, number=number)
    except Order.DoesNotExist as exc:
        raise Http404(_("No order of yours has this number.")) from exc
    if order.shipment is None:
        raise Http404(_("This order has nothing for you to send yet."))
    try:
        declaration = customs.declaration(shipment_id=order.shipment.pk)
    except customs.DomesticShipment:
        messages.info(request, str(DOMESTIC_MESSAGE))
        return redirect("coop:order", number=order.number)
    return pdf_response(declaration)
