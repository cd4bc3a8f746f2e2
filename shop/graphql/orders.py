"""Orders through the API: a guest reads an order by its unguessable token, a signed-in
shopper reads `me { orders }`, and `orderPay` starts (or resumes) an unpaid order's payment.
Reads come from shop.orders, payments from the gateway seam in shop.payments."""

import graphene
from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from shop import orders, payments
from shop.graphql.catalogue import paginate
from shop.graphql.checkout_types import AddressType
from shop.graphql.errors import FieldError, field_error
from shop.graphql.types import Money, VillageType, money
from shop.models import AllocationState, Order, OrderLineBatch, OrderStatus

OrderStatusEnum = graphene.Enum("OrderStatus", [(v.upper(), v) for v, _ in OrderStatus.choices])


class OrderBatchType(graphene.ObjectType):
    class Meta:
        name = "OrderLineBatch"
        description = "Units of one batch an order line took: what a recall follows."

    lot_code = graphene.String(required=True, resolver=lambda a, i: a.batch.lot_code)
    quantity = graphene.Int(required=True)
    harvest_date = graphene.Date(required=True, resolver=lambda a, i: a.batch.harvest_date)
    best_before = graphene.Date(required=True, resolver=lambda a, i: a.batch.best_before)
    village = graphene.Field(VillageType, required=True, resolver=lambda a, i: a.batch.village)


class OrderLineType(graphene.ObjectType):
    class Meta:
        name = "OrderLine"

    product_name = graphene.String(required=True)
    variant_name = graphene.String(required=True)
    sku = graphene.String(required=True)
    gtin = graphene.String(required=True)
    is_gift_set = graphene.Boolean(required=True)
    quantity = graphene.Int(required=True)
    unit_price = graphene.Field(Money, required=True)
    line_total = graphene.Field(Money, required=True)
    batches = graphene.List(graphene.NonNull(OrderBatchType), required=True)

    # The catalogue's names now, in the reader's language (the snapshot when it is gone).
    def resolve_product_name(line, info):
        return line.shown_product_name

    def resolve_variant_name(line, info):
        return line.shown_variant_name

    def resolve_unit_price(line, info):
        return money(line.unit_price, line.currency)

    def resolve_line_total(line, info):
        return money(line.line_total, line.currency)

    def resolve_batches(line, info):
        return line.batches.all()


class OrderType(graphene.ObjectType):
    class Meta:
        name = "Order"

    number = graphene.String(required=True)
    token = graphene.ID(required=True, description="Reads the order with `order(token)`.")
    status = OrderStatusEnum(required=True)
    email = graphene.String(required=True)
    buyer_name = graphene.String(required=True)
    currency = graphene.String(required=True)
    language = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    expires_at = graphene.DateTime(description="An unpaid order keeps its items until then.")
    paid_at = graphene.DateTime()
    minutes_to_pay = graphene.Int(required=True)
    shipping_address = graphene.Field(AddressType, required=True)
    shipping_method_name = graphene.String(required=True)
    subtotal = graphene.Field(Money, required=True)
    shipping_total = graphene.Field(Money, required=True)
    gift_wrap_total = graphene.Field(Money, required=True)
    total = graphene.Field(Money, required=True)
    is_gift = graphene.Boolean(required=True)
    gift_message = graphene.String(required=True)
    gift_wrap = graphene.Boolean(required=True)
    hide_prices = graphene.Boolean(required=True)
    carrier = graphene.String(required=True)
    tracking_number = graphene.String(required=True)
    lines = graphene.List(graphene.NonNull(OrderLineType), required=True)

    def resolve_token(order, info):
        return str(order.token)

    def resolve_minutes_to_pay(order, info):
        if order.status != OrderStatus.UNPAID:
            return 0
        return orders.minutes_to_pay(order=order)

    def resolve_shipping_method_name(order, info):
        return order.shown_shipping_method_name

    def resolve_subtotal(order, info):
        return money(order.subtotal, order.currency)

    def resolve_shipping_total(order, info):
        return money(order.shipping_total, order.currency)

    def resolve_gift_wrap_total(order, info):
        return money(order.gift_wrap_total, order.currency)

    def resolve_total(order, info):
        return money(order.total, order.currency)

    def resolve_lines(order, info):
        return order.lines.all()


class OrderConnection(graphene.relay.Connection):
    class Meta:
        node = OrderType

    total_count = graphene.Int(required=True)

    def resolve_total_count(root, info):
        return root.length


class PaymentType(graphene.ObjectType):
    class Meta:
        name = "Payment"
        description = (
            "A payment attempt: confirm `clientSecret` with Stripe's Payment Element, or send "
            "the shopper to `redirectUrl` (the dummy gateway's page on the embedded shop)."
        )

    gateway = graphene.String(required=True, resolver=lambda s, i: s.payment.gateway)
    status = graphene.String(required=True, resolver=lambda s, i: s.payment.status)
    amount = graphene.Field(
        Money, required=True, resolver=lambda s, i: money(s.payment.amount, s.payment.currency)
    )
    redirect_url = graphene.String(required=True)
    client_secret = graphene.String(description="Stripe's PaymentIntent client secret.")
    publishable_key = graphene.String(description="Stripe's publishable key.")

    def resolve_redirect_url(start: payments.PaymentStart, info):
        return info.context.build_absolute_uri(start.redirect_url)

    def resolve_client_secret(start: payments.PaymentStart, info):
        return start.client_secret or None

    def resolve_publishable_key(start: payments.PaymentStart, info):
        return settings.STRIPE_PUBLISHABLE_KEY if start.client_secret else None


def payment_errors(error: payments.PaymentError) -> list[FieldError]:
    """The gateway seam's typed errors as payload errors; the order stays unpaid."""
    if isinstance(error, payments.OrderNotPayable):
        message = _("This order is no longer waiting for payment.")
        return [field_error("token", message, "ORDER_NOT_PAYABLE")]
    if isinstance(error, payments.GatewayUnavailable):
        # The gateway's own message says the order is kept and nothing was charged.
        return [field_error(None, error, "PAYMENT_FAILED")]
    message = _("Payment is not available right now. Please try again soon.")
    return [field_error(None, message, "PAYMENT_FAILED")]


def order_by_token(token) -> Order | None:
    try:
        return orders.order_by_token(token=str(token))
    except Order.DoesNotExist:
        return None


class MeType(graphene.ObjectType):
    class Meta:
        name = "Me"

    email = graphene.String(required=True)
    orders = graphene.relay.ConnectionField(OrderConnection, required=True)

    def resolve_orders(user, info, first=None, after=None, last=None, before=None):
        # The order page's reads take only the allocations still in force, as here.
        batches = OrderLineBatch.objects.exclude(state=AllocationState.RELEASED).select_related(
            "batch__village__province"
        )
        placed = orders.orders_of(user=user).prefetch_related(
            Prefetch("lines__batches", queryset=batches)
        )
        return paginate(placed, OrderConnection, first=first, after=after, last=last, before=before)


class OrderQuery(graphene.ObjectType):
    order = graphene.Field(
        OrderType, token=graphene.ID(required=True), description="An order by its token."
    )
    me = graphene.Field(MeType, description="The signed-in shopper (null for guests).")

    def resolve_order(root, info, token):
        return order_by_token(token)

    def resolve_me(root, info):
        user = info.context.user
        return user if user.is_authenticated else None


class OrderPay(graphene.Mutation):
    """Start (or resume) the payment of an unpaid order, e.g. after PAYMENT_FAILED."""

    class Arguments:
        token = graphene.ID(required=True)

    order = graphene.Field(OrderType)
    payment = graphene.Field(PaymentType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @classmethod
    def mutate(cls, root, info, token):
        order = order_by_token(token)
        if order is None:
            message = _("No order has this token.")
            return cls(errors=[field_error("token", message, "NOT_FOUND")])
        try:
            start = payments.get_gateway().start_payment(order=order)
        except payments.PaymentError as error:
            return cls(order=order, errors=payment_errors(error))
        return cls(order=order, payment=start, errors=[])


class OrderMutations(graphene.ObjectType):
    order_pay = OrderPay.Field()
