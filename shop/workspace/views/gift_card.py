"""The gift card (an A6 PDF, shop.fulfilment.gift_card) of an order marked as a gift, among
this cooperative's packing documents. Another cooperative's order answers 404, like every
workspace order page; an order that is no gift too."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from shop.fulfilment import gift_card
from shop.models import Order
from shop.models.gifts import Gift
from shop.sites import serves_request_origin
from shop.workspace import selectors
from shop.workspace.access import staff_only


def pdf_response(gift: Gift) -> HttpResponse:
    """The card as an inline PDF (the admin's door uses it too). Its file name carries no
    order number: the card travels to the receiver."""
    response = HttpResponse(gift_card.render(gift=gift), content_type="application/pdf")
    response.headers["Content-Disposition"] = 'inline; filename="gift-card.pdf"'
    return response


@require_safe
@staff_only
@serves_request_origin
def gift_card_pdf(request: HttpRequest, number: str) -> HttpResponse:
    try:
        order = selectors.order(cooperative_id=request.cooperative_id, number=number)
    except Order.DoesNotExist as exc:
        raise Http404(_("No order of yours has this number.")) from exc
    gift = Gift.objects.filter(order=order).first()
    if gift is None:
        raise Http404(_("This order is not a gift."))
    return pdf_response(gift)
