"""The cooperatives' own API, writes: receive a batch, move stock, add a trace event, recall.

Each mutation is the door of the workspace page that does the same job: it checks the input
with that page's form (shop.workspace.forms, whose choices are limited to the caller's own
cooperative), finds the batch through the scoped selectors, calls the same service
(shop.inventory, traceability.events, traceability.recalls) and maps its typed errors. Another
cooperative's batch, variant or village is NOT_FOUND and nothing is written.
"""

import graphene
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.utils import translation
from django.utils.translation import gettext as _

from shop import inventory
from shop.graphql.cooperative_shipments import (
    ShipmentMarkDelivered,
    ShipmentMarkPacked,
    ShipmentMarkShipped,
)
from shop.graphql.cooperative_types import (
    BatchNotFound,
    CooperativeBatchType,
    own_batch,
    refusal,
    staff_member,
)
from shop.graphql.errors import FieldError, field_error, form_errors
from shop.graphql.trace import TraceEventType
from shop.graphql.types import Language, enum_value
from shop.message_codes import coded
from shop.models import Batch, User
from shop.workspace import selectors
from shop.workspace.forms import (
    ADJUSTMENTS,
    AdjustForm,
    EventForm,
    RecallForm,
    RecallReasonForm,
    ReceiveForm,
)
from traceability import corrections, events, recalls, receipts
from traceability.forms import CorrectionForm
from traceability.models import CorrectedField, EventKind

StockChange = graphene.Enum("StockChange", [(key.upper(), key) for key in ADJUSTMENTS])
TraceEventKind = graphene.Enum(
    "TraceEventKind",
    [
        (k.upper(), k)
        for k in EventKind.values
        if k not in (EventKind.TRANSFORMATION, EventKind.CORRECTION)
    ],
)
# Form field -> input name, where they differ.
RECEIVE_INPUTS = {"variant": "variant_id", "village": "village_id"}
RECEIVE_FIELDS = (
    "variant",
    "quantity",
    "harvest_date",
    "best_before",
    "village",
    "packing_date",
    "lot_code",
)
NOT_FOUND_FIELDS = {"NOT_FOUND": "batch_id", "INVALID_GTIN": "gtin", "INVALID_LOT": "lot"}


class BatchRefArguments:
    """How a mutation names a batch: by id, or by the GTIN and lot code on its label."""

    batch_id = graphene.ID()
    gtin = graphene.String()
    lot = graphene.String()


def caller_and_batch(info, batch_id=None, gtin=None, lot=None):
    """(staff user, their batch, errors): errors is empty when both were found."""
    user = staff_member(info)
    if user is None:
        return None, None, [field_error(None, *refusal(info))]
    try:
        batch = own_batch(cooperative_id=user.cooperative_id, batch_id=batch_id, gtin=gtin, lot=lot)
    except BatchNotFound as exc:
        return user, None, [field_error(NOT_FOUND_FIELDS.get(exc.code), exc, exc.code)]
    return user, batch, []


def fresh(user: User, batch: Batch) -> Batch:
    """The batch read again after a write, with its new stock figures."""
    return selectors.batch(cooperative_id=user.cooperative_id, batch_id=batch.pk)


def validation_errors(error: ValidationError) -> list[FieldError]:
    """A model's ValidationError (e.g. dates out of order) as payload errors."""
    found = []
    for name, messages in error.message_dict.items():
        field = None if name == NON_FIELD_ERRORS else RECEIVE_INPUTS.get(name, name)
        code = "INVALID_LOT" if name == "lot_code" else "INVALID"
        found += [field_error(field, message, code) for message in messages]
    return found


class BatchCreateInput(graphene.InputObjectType):
    variant_id = graphene.ID(required=True)
    quantity = graphene.Int(required=True)
    harvest_date = graphene.Date(required=True)
    best_before = graphene.Date(required=True)
    village_id = graphene.ID(required=True)
    packing_date = graphene.Date(description="Default: the harvest date.")
    lot_code = graphene.String(description="Default: the product's initials and the day.")


class BatchCreate(graphene.Mutation):
    """Receive a new batch: a batch row and its opening `received` ledger movement."""

    class Arguments:
        input = BatchCreateInput(required=True)

    batch = graphene.Field(CooperativeBatchType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @classmethod
    def mutate(cls, root, info, input):
        user = staff_member(info)
        if user is None:
            return cls(errors=[field_error(None, *refusal(info))])
        data = {name: input.get(RECEIVE_INPUTS.get(name, name)) for name in RECEIVE_FIELDS}
        form = ReceiveForm(
            {name: value for name, value in data.items() if value is not None},
            cooperative_id=user.cooperative_id,
        )
        if not form.is_valid():
            return cls(
                errors=form_errors(form, codes={"lot_code": "INVALID_LOT"}, rename=RECEIVE_INPUTS)
            )
        values = form.cleaned_data
        try:
            batch = receipts.receive_lot(
                variant=values["variant"],
                lot_code=values["lot_code"],
                harvest_date=values["harvest_date"],
                packing_date=values["packing_date"],
                best_before=values["best_before"],
                village=values["village"],
                quantity=values["quantity"],
                actor=user,
                reason=coded("received_api"),
            )
        except ValidationError as error:
            return cls(errors=validation_errors(error))
        except inventory.InventoryError as error:
            return cls(errors=[field_error("quantity", error, "INVALID")])
        except IntegrityError:
            message = _("This lot code was just used. Please send again.")
            return cls(errors=[field_error("lot_code", message, "INVALID_LOT")])
        return cls(batch=fresh(user, batch), errors=[])


class StockMovementType(graphene.ObjectType):
    class Meta:
        name = "StockMovement"

    id = graphene.ID(required=True, resolver=lambda m, i: m.pk)
    kind = graphene.String(required=True)
    quantity = graphene.Int(required=True, description="Positive in, negative out.")
    reason = graphene.String(
        required=True,
        description="In the reader's language when the system wrote it; typed text as typed.",
        resolver=lambda m, i: m.shown_reason,
    )
    created_at = graphene.DateTime(required=True)


class StockMovementCreate(graphene.Mutation):
    """Change a batch's stock through the ledger: damaged, expired, returned, or counted."""

    class Arguments(BatchRefArguments):
        change = StockChange(required=True)
        quantity = graphene.Int(required=True, description="Units, always positive.")
        note = graphene.String(description="Needed when the count changed.")

    batch = graphene.Field(CooperativeBatchType)
    movement = graphene.Field(StockMovementType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @classmethod
    def mutate(cls, root, info, change, quantity, note="", **ref):
        user, batch, errors = caller_and_batch(info, **ref)
        if errors:
            return cls(errors=errors)
        form = AdjustForm({"change": enum_value(change), "quantity": quantity, "note": note or ""})
        if not form.is_valid():
            return cls(errors=form_errors(form))
        try:
            movement = inventory.record_movement(batch_id=batch.pk, actor=user, **form.movement())
        except inventory.InsufficientStock as error:
            message = _(
                "Only %(available)d units can be taken out now (the rest is in carts or orders)."
            ) % {"available": error.available}
            return cls(
                errors=[
                    field_error(
                        "quantity", message, "INSUFFICIENT_STOCK", available=error.available
                    )
                ]
            )
        except inventory.InvalidMovement:
            return cls(errors=[field_error(None, _("This change is not possible."), "INVALID")])
        return cls(batch=fresh(user, batch), movement=movement, errors=[])


class TraceEventAdd(graphene.Mutation):
    """Append a step to the batch's hash-chained story (harvest, processing, packing...)."""

    class Arguments(BatchRefArguments):
        kind = TraceEventKind(required=True)
        occurred_at = graphene.DateTime(required=True, description="With its time zone.")
        place = graphene.String(required=True)
        notes = graphene.String()
        language = Language(description="The notes' language (default: the request's).")

    batch = graphene.Field(CooperativeBatchType)
    event = graphene.Field(TraceEventType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @classmethod
    def mutate(cls, root, info, kind, occurred_at, place, notes="", language=None, **ref):
        user, batch, errors = caller_and_batch(info, **ref)
        if errors:
            return cls(errors=errors)
        form = EventForm(
            {
                "kind": enum_value(kind),
                "occurred_at": occurred_at,
                "place": place,
                "notes": notes or "",
            }
        )
        if not form.is_valid():
            return cls(errors=form_errors(form))
        values = form.cleaned_data
        language = enum_value(language) or translation.get_language()
        try:
            event = events.append_event(
                batch=batch,
                kind=values["kind"],
                occurred_at=values["occurred_at"],
                place=values["place"],
                actor=user.get_full_name() or user.cooperative.name,
                village=batch.village if values["kind"] == EventKind.HARVEST else None,
                recorded_by=user,
                **{"notes_vi" if language == "vi" else "notes_en": values["notes"]},
            )
        except events.InvalidEvent as error:
            message = _("This event cannot be saved: %(detail)s") % {"detail": error}
            return cls(errors=[field_error(None, message, "INVALID")])
        except events.ChainBusy:
            message = _("Someone else is adding an event to this batch. Send again.")
            return cls(errors=[field_error(None, message, "CONFLICT")])
        return cls(batch=fresh(user, batch), event=event, errors=[])


class RecallType(graphene.ObjectType):
    class Meta:
        name = "Recall"

    reason = graphene.String(
        required=True, description="In the reader's language, else the other one."
    )
    reason_vi = graphene.String(resolver=lambda recall, info: recall.reason_vi)
    reason_en = graphene.String(resolver=lambda recall, info: recall.reason_en)
    created_at = graphene.DateTime(required=True)


# The recall's reason fields and their input names.
RECALL_INPUTS = {"reason_vi": "reasonVi", "reason_en": "reasonEn", "reason": "reason"}


class BatchRecall(graphene.Mutation):
    """Recall a batch: off sale at once, its event log told, every buyer emailed once.
    Recalling a recalled batch again changes nothing."""

    class Arguments(BatchRefArguments):
        reason_vi = graphene.String(description="Buyers read it; 5-500 characters, Vietnamese.")
        reason_en = graphene.String(description="The same reason in English; 5-500 characters.")
        reason = graphene.String(
            description="One text in the language it is written in, when reasonVi and "
            "reasonEn are not given (older clients); 5-500 characters."
        )

    batch = graphene.Field(CooperativeBatchType)
    recall = graphene.Field(RecallType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @classmethod
    def mutate(cls, root, info, reason_vi=None, reason_en=None, reason=None, **ref):
        user, batch, errors = caller_and_batch(info, **ref)
        if errors:
            return cls(errors=errors)
        if reason_vi is None and reason_en is None:
            form = RecallReasonForm({"reason": reason or ""})
        else:
            form = RecallForm({"reason_vi": reason_vi or "", "reason_en": reason_en or ""})
        if not form.is_valid():
            return cls(errors=form_errors(form, rename=RECALL_INPUTS))
        texts = {name: form.cleaned_data.get(name, "") for name in RECALL_INPUTS}
        try:
            recall = recalls.recall_batch(batch=batch, actor=user, **texts)
        except recalls.RecallNotAllowed as error:
            return cls(errors=[field_error(None, error, "PERMISSION_DENIED")])
        except recalls.RecallError:
            message = _("This recall cannot be saved. Check the reason.")
            return cls(errors=[field_error("reason", message, "INVALID")])
        return cls(batch=fresh(user, batch), recall=recall, errors=[])


BatchCorrectionField = graphene.Enum(
    "BatchCorrectionField", [(k.upper(), k) for k in CorrectedField.values]
)


class BatchCorrect(graphene.Mutation):
    """Correct a mistake in a fact fixed at receipt (lot code, a date, the village): the
    correction, with the value before and after and the reason, joins the batch's story.
    The quantity received is not correctable: use stockMovementCreate."""

    class Arguments(BatchRefArguments):
        field = BatchCorrectionField(required=True)
        lot_code = graphene.String(description="For LOT_CODE: the right lot code.")
        date = graphene.Date(description="For a date: the right date.")
        village_id = graphene.ID(description="For VILLAGE: the right village.")
        reason = graphene.String(required=True, description="Shown on the trace page.")

    batch = graphene.Field(CooperativeBatchType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @classmethod
    def mutate(cls, root, info, field, reason, lot_code=None, date=None, village_id=None, **ref):
        user, batch, errors = caller_and_batch(info, **ref)
        if errors:
            return cls(errors=errors)
        data = {"field": enum_value(field), "lot_code": lot_code or "", "reason": reason}
        data |= {"day": date, "village": village_id}
        villages = selectors.villages(cooperative_id=user.cooperative_id)
        form = CorrectionForm({k: v for k, v in data.items() if v is not None}, villages=villages)
        if not form.is_valid():
            return cls(errors=form_errors(form, rename={"day": "date", "village": "village_id"}))
        try:
            corrections.correct_batch(batch=batch, actor=user, **form.correction())
        except corrections.InvalidCorrection as error:
            form.add_refusal(error)
            return cls(errors=form_errors(form, rename={"day": "date", "village": "village_id"}))
        return cls(batch=fresh(user, batch), errors=[])


class CooperativeMutations(graphene.ObjectType):
    batch_create = BatchCreate.Field()
    stock_movement_create = StockMovementCreate.Field()
    trace_event_add = TraceEventAdd.Field()
    batch_recall = BatchRecall.Field()
    batch_correct = BatchCorrect.Field()
    shipment_mark_packed = ShipmentMarkPacked.Field()
    shipment_mark_shipped = ShipmentMarkShipped.Field()
    shipment_mark_delivered = ShipmentMarkDelivered.Field()
