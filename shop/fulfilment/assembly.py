"""Gift boxes are made, then sold: an assembly run turns component lots into a box lot.

A gift set is sold from its box lots only. A run takes `boxes` × the set's recipe from
component lots (FEFO by default, or the lots the assembler chose), moves those units out of
the component lots and opens a box lot of the gift set, in one transaction under the batch
locks (shop.inventory.assembly takes them, primary-key order). The run, its inputs and an
EPCIS transformation event (traceability.events.record_transformation) are written in the
same transaction. A component lot of another cooperative gives that cooperative a transfer
to send (shop.fulfilment.transfers); the box lot then waits, ASSEMBLING and not on sale,
until every transfer of the run is received.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from shop import inventory
from shop.inventory.locks import Need, take_fefo
from shop.models import (
    AssemblyInput,
    AssemblyRun,
    Batch,
    BatchStatus,
    Cooperative,
    GiftSetComponent,
    Transfer,
    User,
    Variant,
)
from traceability import events

MAX_BOXES = 1000


class AssemblyError(Exception):
    """A refused assembly run; nothing was written."""


class NotAGiftSet(AssemblyError):
    def __init__(self, *, variant_id: int):
        self.variant_id = variant_id
        super().__init__(f"Variant {variant_id} is not a gift set with components.")


class InvalidBoxes(AssemblyError):
    def __init__(self, boxes):
        self.boxes = boxes
        super().__init__(f"Boxes must be 1 to {MAX_BOXES}, not {boxes!r}.")


class NotEnoughComponents(AssemblyError):
    """A component has fewer free units than the run needs; `available` is what there is."""

    def __init__(self, *, variant_id: int, needed: int, available: int):
        self.variant_id, self.needed, self.available = variant_id, needed, available
        super().__init__(f"Component {variant_id}: {needed} needed, {available} available.")


class LotNotUsable(AssemblyError):
    """A chosen lot is not of one of the set's components, or is not on sale."""

    def __init__(self, *, batch_id: int):
        self.batch_id = batch_id
        super().__init__(f"Batch {batch_id} cannot go into this gift set.")


class InvalidLotCode(AssemblyError):
    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


class NotAllowed(AssemblyError):
    """Only the assembler's staff (or a superuser) may assemble for it."""


def recipe(*, gift_set: Variant) -> list[tuple[int, int]]:
    """(component variant id, units per box) of a gift set, in a stable order."""
    return list(
        GiftSetComponent.objects.filter(gift_set=gift_set)
        .order_by("component_id")
        .values_list("component_id", "quantity")
    )


def suggest_lot_code(*, gift_set: Variant, day: datetime.date | None = None) -> str:
    """A free lot code for a new box lot of the gift set: BOX<yymmdd>-<n>."""
    day = day or timezone.localdate()
    prefix = f"BOX{day:%y%m%d}-"
    taken = set(
        Batch.objects.filter(variant=gift_set, lot_code__startswith=prefix).values_list(
            "lot_code", flat=True
        )
    )
    number = len(taken) + 1
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


def fefo_suggestion(
    *, gift_set: Variant, boxes: int, now: datetime.datetime | None = None
) -> list[tuple[Batch, int]]:
    """The lots a FEFO run of `boxes` would take now (a read: no lock, nothing written).
    Raises NotEnoughComponents when a component cannot give its units."""
    needs = [Need(cid, per_box * boxes) for cid, per_box in recipe(gift_set=gift_set)]
    batches = list(
        Batch.objects.on_sale()
        .filter(variant_id__in=[n.variant_id for n in needs])
        .select_related("variant__product__cooperative")
        .with_available(now)
        .fefo()
    )
    plan = []
    for need in needs:
        available = sum(max(b.available, 0) for b in batches if b.variant_id == need.variant_id)
        taken = take_fefo(batches, need)
        if not taken:
            raise NotEnoughComponents(
                variant_id=need.variant_id, needed=need.units, available=available
            )
        plan.extend(taken)
    return plan


def assemble(
    *,
    gift_set: Variant,
    boxes: int,
    actor: User | None,
    assembler: Cooperative | None = None,
    lots: dict[int, int] | None = None,
    lot_code: str | None = None,
    now: datetime.datetime | None = None,
) -> AssemblyRun:
    """Make `boxes` boxes of `gift_set` from component lots; returns the run.

    Rules: the variant is a gift set with components; 1 ≤ boxes ≤ MAX_BOXES; the assembler
    (default: the set's cooperative) is the actor's cooperative unless the actor is a
    superuser (None: the system). Units come FEFO from on-sale component lots with free units,
    or from `lots` ({batch id: units}, which must add up to the recipe exactly).
    Side effects, in one transaction: locks the component batch rows (primary-key order);
    an `assembled` −units movement on each component lot ("lot <box lot>"); a new box lot
    (lot code suggested when not given; harvested on its earliest component's harvest date,
    packed today, best before its earliest component; in the assembler's village) with an
    `assembled` +boxes movement; the AssemblyRun and its AssemblyInputs; one REQUESTED
    Transfer per component lot of another cooperative, in which case the box lot is
    ASSEMBLING until all are received; a transformation event on the box lot's chain.
    Raises InvalidBoxes, NotAGiftSet, NotAllowed, NotEnoughComponents, LotNotUsable,
    InvalidLotCode; nothing is written then.
    """
    if type(boxes) is not int or not 1 <= boxes <= MAX_BOXES:
        raise InvalidBoxes(boxes)
    gift_set = Variant.objects.select_related("product__cooperative").get(pk=gift_set.pk)
    parts = recipe(gift_set=gift_set)
    if not gift_set.product.is_gift_set or not parts:
        raise NotAGiftSet(variant_id=gift_set.pk)
    assembler = assembler or gift_set.product.cooperative
    _check_actor(actor, assembler)
    now = now or timezone.now()
    needs = [Need(component_id, per_box * boxes) for component_id, per_box in parts]
    user = actor if actor is not None and actor.is_authenticated else None
    with transaction.atomic():
        try:
            plan = inventory.plan_components(needs=needs, lots=lots, now=now)
        except inventory.OutOfStock as exc:
            raise NotEnoughComponents(
                variant_id=exc.variant_id, needed=exc.requested, available=exc.available
            ) from None
        except inventory.LotNotUsable as exc:
            raise LotNotUsable(batch_id=exc.batch_id) from None
        owners = dict(
            Batch.objects.filter(pk__in=[b.pk for b, _units in plan]).values_list(
                "pk", "variant__product__cooperative_id"
            )
        )
        foreign = [(b, units) for b, units in plan if owners[b.pk] != assembler.pk]
        status = BatchStatus.ASSEMBLING if foreign else BatchStatus.ON_SALE
        code = lot_code or suggest_lot_code(gift_set=gift_set, day=timezone.localdate(now))
        try:
            box = inventory.open_box_lot(
                gift_set=gift_set,
                boxes=boxes,
                plan=plan,
                box=inventory.BoxLot(lot_code=code, village=assembler.village, status=status),
                actor=user,
            )
        except ValidationError as exc:
            raise InvalidLotCode(exc.messages) from None
        except IntegrityError:
            # Another run took the same code between the check and the insert.
            raise InvalidLotCode([f"Lot code {code} was just used."]) from None
        run = AssemblyRun.objects.create(
            gift_set=gift_set,
            box_batch=box,
            boxes=boxes,
            assembler=assembler,
            created_by=user,
            created_at=now,
        )
        AssemblyInput.objects.bulk_create(
            AssemblyInput(run=run, batch=batch, quantity=units) for batch, units in plan
        )
        Transfer.objects.bulk_create(
            Transfer(
                run=run,
                batch=batch,
                quantity=units,
                from_cooperative_id=owners[batch.pk],
                to_cooperative=assembler,
                created_at=now,
            )
            for batch, units in foreign
        )
        events.record_transformation(
            output=box,
            inputs=[batch for batch, _units in plan],
            occurred_at=now,
            place=assembler.address,
            actor=assembler.name,
            village=assembler.village,
            recorded_by=user,
        )
    return run


def _check_actor(actor: User | None, assembler: Cooperative) -> None:
    if actor is None or actor.is_superuser:
        return
    if not (actor.is_cooperative_staff and actor.cooperative_id == assembler.pk):
        raise NotAllowed(f"{actor} may not assemble for cooperative {assembler.pk}.")
