"""The cooperatives' own API, reads: `myCooperative` for active staff of a cooperative.

Every read goes through shop.workspace.selectors (or traceability.selectors after the batch
was found there), scoped to the caller's own cooperative: another cooperative's batch
answers NOT_FOUND, exactly like one that does not exist, so ids reveal nothing.
"""

import graphene
from django.utils.translation import gettext as _

from shop.graphql.catalogue import paginate
from shop.graphql.cooperative_shipments import (
    CooperativeShipmentType,
    ShipmentStatusEnum,
    resolve_shipments,
)
from shop.graphql.errors import api_error
from shop.graphql.types import CooperativeType, VillageType, enum_value, translated
from shop.identifiers import parse_id
from shop.models import Batch, BatchStatus, User
from shop.workspace import selectors
from traceability import selectors as trace_reads
from traceability.gs1 import InvalidGTIN, InvalidLot, normalise_gtin, validate_lot
from traceability.links import batch_digital_link

BatchStatusEnum = graphene.Enum("BatchStatus", [(v.upper(), v) for v, _ in BatchStatus.choices])


def staff_member(info) -> User | None:
    """The caller when they are active staff of a cooperative (token or session), else None."""
    user = info.context.user
    return user if user.is_authenticated and user.is_cooperative_staff else None


def refusal(info) -> tuple[str, str]:
    """Why the caller may not use the cooperative API: (message, code)."""
    if not info.context.user.is_authenticated:
        message = _("Sign in, or send an API token, to use the cooperative API.")
        return message, "UNAUTHENTICATED"
    return _("Only staff of a cooperative may use the cooperative API."), "PERMISSION_DENIED"


class BatchNotFound(Exception):
    def __init__(self, message: str, code: str = "NOT_FOUND"):
        self.code = code
        super().__init__(message)


def own_batch(*, cooperative_id: int, batch_id=None, gtin=None, lot=None) -> Batch:
    """One of the cooperative's batches, by id or by GTIN and lot code, annotated as the
    workspace reads it. Raises BatchNotFound (code NOT_FOUND, INVALID_GTIN or INVALID_LOT)."""
    if batch_id is not None:
        pk = parse_id(batch_id)
        if pk is None:
            raise BatchNotFound(_("No such batch."))
        try:
            return selectors.batch(cooperative_id=cooperative_id, batch_id=pk)
        except Batch.DoesNotExist:
            raise BatchNotFound(_("No such batch.")) from None
    if gtin is None or lot is None:
        message = _("Name the batch by its id, or by its GTIN and lot code.")
        raise BatchNotFound(message, "INVALID")
    try:
        gtin14 = normalise_gtin(gtin)
        validate_lot(lot)
    except InvalidGTIN as exc:
        raise BatchNotFound(str(exc), "INVALID_GTIN") from None
    except InvalidLot as exc:
        raise BatchNotFound(str(exc), "INVALID_LOT") from None
    found = (
        selectors.batches(cooperative_id=cooperative_id)
        .filter(variant__gtin=gtin14, lot_code=lot)
        .first()
    )
    if found is None:
        raise BatchNotFound(_("No such batch."))
    return found


class CooperativeVariantType(graphene.ObjectType):
    class Meta:
        name = "CooperativeVariant"

    id = graphene.ID(required=True, resolver=lambda v, i: v.pk)
    sku = graphene.String(required=True)
    gtin = graphene.String(required=True)
    name = translated("name", "The variant's name.")
    product_name = translated("product.name", "The product's name.")
    weight_grams = graphene.Int(required=True)


class CooperativeBatchType(graphene.ObjectType):
    class Meta:
        name = "CooperativeBatch"
        description = "One of the caller's cooperative's batches, with its stock figures."

    id = graphene.ID(required=True, resolver=lambda b, i: b.pk)
    lot_code = graphene.String(required=True)
    variant = graphene.Field(CooperativeVariantType, required=True)
    harvest_date = graphene.Date(required=True)
    packing_date = graphene.Date(required=True)
    best_before = graphene.Date(required=True)
    village = graphene.Field(VillageType, required=True)
    status = BatchStatusEnum(required=True, resolver=lambda b, i: b.display_status)
    recalled = graphene.Boolean(
        required=True, resolver=lambda b, i: b.status == BatchStatus.RECALLED
    )
    quantity_received = graphene.Int(required=True)
    on_hand = graphene.Int(required=True)
    available = graphene.Int(
        required=True,
        description="Units shoppers can still buy.",
        resolver=lambda b, i: max(b.available, 0),
    )
    held = graphene.Int(required=True, description="Units in live cart holds.")
    allocated = graphene.Int(required=True, description="Units in orders not yet paid.")
    sold = graphene.Int(required=True)
    digital_link = graphene.String(required=True, resolver=lambda b, i: batch_digital_link(b))
    created_at = graphene.DateTime(required=True)

    def resolve_held(batch, info):
        return batch.held_units

    def resolve_allocated(batch, info):
        return batch.allocated_units

    def resolve_sold(batch, info):
        return batch.sold_units


class CooperativeBatchConnection(graphene.relay.Connection):
    class Meta:
        node = CooperativeBatchType

    total_count = graphene.Int(required=True)

    def resolve_total_count(root, info):
        return root.length


class ScanCountType(graphene.ObjectType):
    class Meta:
        name = "ScanCount"

    day = graphene.Date(required=True)
    country = graphene.String(required=True, description="Two letters; empty when unknown.")
    count = graphene.Int(required=True)


class MyCooperativeType(graphene.ObjectType):
    class Meta:
        name = "MyCooperative"

    cooperative = graphene.Field(CooperativeType, required=True, resolver=lambda c, i: c)
    batches = graphene.relay.ConnectionField(
        CooperativeBatchConnection, status=BatchStatusEnum(), required=True
    )
    batch = graphene.Field(
        CooperativeBatchType,
        id=graphene.ID(),
        gtin=graphene.String(),
        lot=graphene.String(),
        description="A batch by id, or by GTIN and lot code.",
    )
    variants = graphene.List(
        graphene.NonNull(CooperativeVariantType),
        required=True,
        description="What the cooperative can receive batches of.",
    )
    villages = graphene.List(
        graphene.NonNull(VillageType),
        required=True,
        description="Villages a new batch may come from.",
    )
    batch_scans = graphene.List(
        graphene.NonNull(ScanCountType),
        required=True,
        batch_id=graphene.ID(required=True),
        since=graphene.Date(),
        description="QR scans of a batch by day and country, newest day first.",
    )
    shipments = graphene.List(
        graphene.NonNull(CooperativeShipmentType),
        required=True,
        status=ShipmentStatusEnum(),
        description="The cooperative's own shipments (its part of paid orders), oldest first.",
        resolver=resolve_shipments,
    )

    def resolve_batches(coop, info, status=None, first=None, after=None, last=None, before=None):
        batches = selectors.all_batches(cooperative_id=coop.pk)
        if status is not None:
            batches = batches.filter(status=enum_value(status))
        return paginate(
            batches, CooperativeBatchConnection, first=first, after=after, last=last, before=before
        )

    def resolve_batch(coop, info, id=None, gtin=None, lot=None):
        try:
            return own_batch(cooperative_id=coop.pk, batch_id=id, gtin=gtin, lot=lot)
        except BatchNotFound as exc:
            raise api_error(str(exc), exc.code) from None

    def resolve_variants(coop, info):
        return selectors.variants(cooperative_id=coop.pk)

    def resolve_villages(coop, info):
        return selectors.villages(cooperative_id=coop.pk)

    def resolve_batch_scans(coop, info, batch_id, since=None):
        try:
            batch = own_batch(cooperative_id=coop.pk, batch_id=batch_id)
        except BatchNotFound as exc:
            raise api_error(str(exc), exc.code) from None
        return trace_reads.scans_by_day_and_country(batch_id=batch.pk, since=since)


class CooperativeQuery(graphene.ObjectType):
    my_cooperative = graphene.Field(
        MyCooperativeType,
        description="The caller's cooperative (staff only; send `Authorization: Bearer`).",
    )

    def resolve_my_cooperative(root, info):
        user = staff_member(info)
        if user is None:
            raise api_error(*refusal(info))
        return selectors.cooperative(cooperative_id=user.cooperative_id)
