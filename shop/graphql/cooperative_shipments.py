"""The cooperatives' API for their shipments: list them, mark them packed, shipped and
delivered. The doors of the workspace's order pages: the same services
(shop.fulfilment.shipments), scoped to the caller's cooperative, so another cooperative's
shipment is NOT_FOUND and nothing is written. A move the shipment cannot make, or a second
"shipped" with another tracking number, is CONFLICT."""

import graphene
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from shop.fulfilment import shipments
from shop.graphql.errors import FieldError, field_error
from shop.graphql.types import enum_value
from shop.identifiers import parse_id
from shop.models import OrderLine, Shipment, ShipmentStatus

ShipmentStatusEnum = graphene.Enum(
    "ShipmentStatus", [(value.upper(), value) for value in ShipmentStatus.values]
)


class ShipmentLineType(graphene.ObjectType):
    class Meta:
        name = "ShipmentLine"

    product_name = graphene.String(required=True)
    variant_name = graphene.String(required=True)
    sku = graphene.String(required=True)
    quantity = graphene.Int(required=True)

    def resolve_product_name(line, info):
        return line.shown_product_name

    def resolve_variant_name(line, info):
        return line.shown_variant_name


class CooperativeShipmentType(graphene.ObjectType):
    class Meta:
        name = "CooperativeShipment"
        description = "The part of a paid order this cooperative packs and ships."

    id = graphene.ID(required=True)
    order_number = graphene.String(required=True)
    status = ShipmentStatusEnum(required=True)
    carrier = graphene.String(required=True)
    tracking_number = graphene.String(required=True)
    tracking_url = graphene.String(required=True)
    paid_at = graphene.DateTime()
    packed_at = graphene.DateTime()
    shipped_at = graphene.DateTime()
    delivered_at = graphene.DateTime()
    lines = graphene.List(graphene.NonNull(ShipmentLineType), required=True)

    def resolve_order_number(shipment, info):
        return shipment.order.number

    def resolve_paid_at(shipment, info):
        return shipment.order.paid_at

    def resolve_lines(shipment, info):
        return shipment.lines.all()


def own_shipments(*, cooperative_id: int, status: str | None = None):
    found = (
        Shipment.objects.for_cooperative(cooperative_id)
        .select_related("order")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.select_related("variant__product"))
        )
        .order_by("order__paid_at", "pk")
    )
    return found.filter(status=status) if status else found


def resolve_shipments(coop, info, status=None):
    return own_shipments(cooperative_id=coop.pk, status=enum_value(status) if status else None)


class _ShipmentMove(graphene.Mutation):
    """Shared shape: find the caller's shipment, call the service, map its errors."""

    class Meta:
        abstract = True

    shipment = graphene.Field(CooperativeShipmentType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @classmethod
    def move(cls, info, shipment_id, call):
        # The query side (cooperative_types.staff_member) imports this module: same check.
        user = info.context.user
        if not user.is_authenticated:
            message = _("Sign in, or send an API token, to use the cooperative API.")
            return cls(errors=[field_error(None, message, "UNAUTHENTICATED")])
        if not user.is_cooperative_staff:
            message = _("Only staff of a cooperative may use the cooperative API.")
            return cls(errors=[field_error(None, message, "PERMISSION_DENIED")])
        not_found = cls(
            errors=[field_error("shipment_id", _("No shipment of yours has this id."), "NOT_FOUND")]
        )
        pk = parse_id(shipment_id)
        if pk is None:
            return not_found
        try:
            call(user, pk)
        except Shipment.DoesNotExist:
            return not_found
        except shipments.TrackingMissing:
            message = _("Write the carrier and the tracking number.")
            return cls(errors=[field_error("tracking_number", message, "INVALID")])
        except shipments.AlreadyShipped as shipped:
            message = _(
                "This parcel already left with %(carrier)s under %(tracking)s. Nothing changed."
            ) % {"carrier": shipped.carrier, "tracking": shipped.tracking_number}
            return cls(errors=[field_error("tracking_number", message, "CONFLICT")])
        except shipments.InvalidShipmentMove:
            message = _("This parcel cannot make that move now.")
            return cls(errors=[field_error(None, message, "CONFLICT")])
        found = own_shipments(cooperative_id=user.cooperative_id).get(pk=pk)
        return cls(shipment=found, errors=[])


class ShipmentMarkPacked(_ShipmentMove):
    """Mark one of your shipments packed."""

    class Arguments:
        shipment_id = graphene.ID(required=True)

    @classmethod
    def mutate(cls, root, info, shipment_id):
        return cls.move(
            info,
            shipment_id,
            lambda user, pk: shipments.mark_packed(
                shipment_id=pk, actor=user, cooperative_id=user.cooperative_id
            ),
        )


class ShipmentMarkShipped(_ShipmentMove):
    """A packed shipment left: the buyer gets an email naming its lines and tracking link."""

    class Arguments:
        shipment_id = graphene.ID(required=True)
        carrier = graphene.String(required=True)
        tracking_number = graphene.String(required=True)
        tracking_url = graphene.String()

    @classmethod
    def mutate(cls, root, info, shipment_id, carrier, tracking_number, tracking_url=""):
        return cls.move(
            info,
            shipment_id,
            lambda user, pk: shipments.mark_shipped(
                shipment_id=pk,
                carrier=carrier,
                tracking_number=tracking_number,
                tracking_url=tracking_url or "",
                actor=user,
                cooperative_id=user.cooperative_id,
            ),
        )


class ShipmentMarkDelivered(_ShipmentMove):
    """A shipment on its way arrived."""

    class Arguments:
        shipment_id = graphene.ID(required=True)

    @classmethod
    def mutate(cls, root, info, shipment_id):
        return cls.move(
            info,
            shipment_id,
            lambda user, pk: shipments.mark_delivered(
                shipment_id=pk, actor=user, cooperative_id=user.cooperative_id
            ),
        )
