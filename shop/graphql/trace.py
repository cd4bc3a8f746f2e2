"""`trace(gtin, lot)`: what the QR page shows, for apps and partners, from the same
selector as the page (traceability.selectors.trace_page)."""

import graphene
from django.utils import translation

from shop import availability
from shop.graphql.catalogue import product_with_offers
from shop.graphql.errors import api_error
from shop.graphql.types import BatchType, Language, ProductType, enum_value
from shop.models import Batch, Product
from traceability import selectors
from traceability.gs1 import InvalidGTIN, InvalidLot, normalise_gtin, validate_lot


class TraceEventType(graphene.ObjectType):
    class Meta:
        name = "TraceEvent"

    sequence = graphene.Int(required=True)
    kind = graphene.String(required=True)
    biz_step = graphene.String(required=True)
    occurred_at = graphene.DateTime(required=True)
    place = graphene.String(required=True)
    actor = graphene.String(required=True)
    notes = graphene.String(required=True, language=Language())
    standard = graphene.String(required=True)

    def resolve_notes(root, info, language=None):
        with translation.override(enum_value(language) or translation.get_language()):
            return root.notes


class TraceType(graphene.ObjectType):
    class Meta:
        name = "Trace"

    link = graphene.String(required=True, description="The batch's GS1 Digital Link.")
    trace_code = graphene.String(required=True, resolver=lambda page, i: page.element_string)
    batch = graphene.Field(BatchType, required=True)
    product = graphene.Field(ProductType, required=True)
    recalled = graphene.Boolean(required=True)
    recall_status = graphene.String(required=True)
    expired = graphene.Boolean(required=True)
    chain_intact = graphene.Boolean(
        required=True, description="Whether the events' hash chain verifies."
    )
    events = graphene.List(graphene.NonNull(TraceEventType), required=True)
    components = graphene.List(
        graphene.NonNull(BatchType), required=True, description="A gift set's component batches."
    )

    def resolve_recall_status(page, info):
        return "recalled" if page.recalled else "not_recalled"

    def resolve_chain_intact(page, info):
        return page.chain.valid

    def resolve_events(page, info):
        return page.timeline

    def resolve_components(page, info):
        return [component.batch for component in page.components]

    def resolve_product(page, info):
        return product_with_offers(Product.objects.filter(pk=page.product.pk))

    def resolve_batch(page, info):
        return availability.annotate_available(Batch.objects.filter(pk=page.batch.pk)).first()


class TraceQuery(graphene.ObjectType):
    trace = graphene.Field(
        TraceType, gtin=graphene.String(required=True), lot=graphene.String(required=True)
    )

    def resolve_trace(root, info, gtin, lot):
        try:
            gtin14 = normalise_gtin(gtin)
        except InvalidGTIN as exc:
            raise api_error(str(exc), "INVALID_GTIN") from exc
        try:
            validate_lot(lot)
        except InvalidLot as exc:
            raise api_error(str(exc), "INVALID_LOT") from exc
        found = selectors.find_batch(gtin=gtin14, lot=lot)
        return selectors.trace_page(batch_id=found.id) if found else None
