"""recall_batch: the recall's one transaction (lock order in the package docstring)."""

import functools
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from shop import pagecache
from shop.fulfilment import withdrawals
from shop.fulfilment.withdrawals import LineOutcome
from shop.inventory.locks import lock_batches
from shop.models import AllocationState, Batch, BatchStatus, Order, OrderLineBatch, User
from shop.models.fulfilment import AssemblyInput
from traceability import cache, events
from traceability.models import EventKind, NoticeAction, Recall, RecallNotice

REASON_MAX_LENGTH = 1000
# The log of a recall names who stands behind it, never a person's email.
SHOP_ACTOR = "OCOP Village Shop"
# Stored on a box lot's Recall in each language, around the component lot's reason in that
# language; the box lot's event log carries it too.
CONTAINS = gettext_noop("Contains lot %(lot)s, recalled: %(reason)s")
# The languages a recall's reason is written in (traceability/translation.py), Vietnamese
# first: the cooperative writes it, buyers abroad read the English.
REASON_LANGUAGES = ("vi", "en")
# Letters only Vietnamese writes among the shop's languages: a reason given without its
# language (the API's older `reason`) is stored as Vietnamese when it has one, else English.
_VIETNAMESE_LETTERS = frozenset(
    "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
# When one order has units of the lot in several states, the buyer is told the gravest.
_GRAVITY = [
    NoticeAction.DO_NOT_USE,
    NoticeAction.REFUNDED,
    NoticeAction.REPLACED,
    NoticeAction.CANCELLED,
]


class RecallError(Exception):
    """Base of refused recalls; nothing was written."""


class RecallNotAllowed(RecallError, PermissionDenied):
    """Only a superuser or active staff of the batch's own cooperative may recall it."""


class InvalidReason(RecallError):
    """A recall needs a reason of 1 to 1000 characters: buyers read it."""

    def __init__(self, message: str, language: str = ""):
        self.language = language
        super().__init__(message)


def reasons_by_language(*, reason_vi: str = "", reason_en: str = "", reason: str = "") -> dict:
    """The reason's text per language column (reason_vi, reason_en), trimmed. `reason`,
    a text whose language was not told, fills the column of the language it is written
    in when that one was not given. Raises InvalidReason when none is given or one is
    over 1000 characters."""
    texts = {"vi": (reason_vi or "").strip(), "en": (reason_en or "").strip()}
    untold = (reason or "").strip()
    if untold:
        language = "vi" if _VIETNAMESE_LETTERS & set(untold.lower()) else "en"
        texts[language] = texts[language] or untold
    for language, text in texts.items():
        if len(text) > REASON_MAX_LENGTH:
            raise InvalidReason(
                f"The reason must be 1 to {REASON_MAX_LENGTH} characters.", language
            )
    if not any(texts.values()):
        raise InvalidReason(f"The reason must be 1 to {REASON_MAX_LENGTH} characters.")
    return {f"reason_{language}": text or None for language, text in texts.items()}


def may_recall(*, user: User | None, cooperative_id: int | None) -> bool:
    """Whether `user` may recall (and read the recall reports of) a cooperative's batches."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.is_cooperative_staff and user.cooperative_id == cooperative_id


def box_lots_of(batch_ids: Iterable[int]) -> list[int]:
    """Every box lot assembled, directly or through other box lots, from the batches."""
    found: set[int] = set()
    frontier = set(batch_ids)
    while frontier:
        boxes = set(
            AssemblyInput.objects.filter(batch_id__in=frontier).values_list(
                "run__box_batch_id", flat=True
            )
        )
        frontier = boxes - found
        found |= boxes
    return sorted(found)


def _lock_lots(root_id: int) -> list[int]:
    """Lock the recalled lot, its box lots and every lot that may replace their units in one
    primary-key-ordered statement; returns the recalled lot and its box lots."""
    lots = [root_id, *box_lots_of([root_id])]
    candidates = {c for lot in lots for c in withdrawals.candidate_ids(batch_id=lot)}
    lock_batches({*lots, *candidates})
    # A box lot assembled between the read and the lock: its run locked the recalled lot
    # first, so it committed before our lock; it has the highest keys, and nobody holding
    # it can wait on a row we hold (everyone locks batches in key order, and orders after).
    late = [b for b in box_lots_of([root_id]) if b not in lots]
    if late:
        lock_batches(late)
        lots += late
    return lots


def recall_batch(
    *,
    batch: Batch,
    actor: User,
    reason_vi: str = "",
    reason_en: str = "",
    reason: str = "",
) -> Recall:
    """Recall `batch` for its reason: off sale at once, goods not yet sent stopped, every
    buyer told once.

    Rule: `actor` is a superuser or active staff of the batch's own cooperative (else
    RecallNotAllowed); the reason is written in Vietnamese and English (`reason_vi`,
    `reason_en`; the workspace and admin forms ask for both), each at most 1000
    characters once trimmed, at least one given (else InvalidReason); `reason` is a text
    whose language was not told (reasons_by_language). Each reader is shown theirs.
    Nothing is written when refused. Recalling a batch that has a Recall already is a
    no-op that returns it (a double-clicked confirm button must not mail buyers twice).

    Side effects, in one transaction (locks: see the package docstring): the batch and every
    box lot assembled from it become recalled, each with a Recall (the box lots' `caused_by`
    the batch's, their reason "contains lot X, recalled: …") and an inspection event;
    shop.fulfilment.withdrawals.withdraw_lot stops each lot's units in shipments that have
    not left (on hold, units back on the lot to quarantine, re-allocated from another lot or
    to be refunded); one RecallNotice per order and lot with what the recall did for it
    (do not use / replaced / refunded / cancelled). After the commit: trace pages and the
    storefront's cached pages get a fresh version and worker.tasks.recalls.notify_recall is
    queued (it refunds, cancels unpaid orders and emails each buyer once).
    """
    reasons = reasons_by_language(reason_vi=reason_vi, reason_en=reason_en, reason=reason)
    cooperative_id = (
        Batch.objects.filter(pk=batch.pk)
        .values_list("variant__product__cooperative_id", flat=True)
        .first()
    )
    if not may_recall(user=actor, cooperative_id=cooperative_id):
        raise RecallNotAllowed("Only the batch's own cooperative or a superuser may recall it.")
    with transaction.atomic():
        lots = _lock_lots(batch.pk)
        existing = Recall.objects.filter(batch_id=batch.pk).first()
        if existing is not None:
            return existing
        now = timezone.now()
        already = set(Recall.objects.filter(batch_id__in=lots).values_list("batch_id", flat=True))
        lots = [lot for lot in lots if lot not in already]
        codes = dict(Batch.objects.filter(pk__in=lots).values_list("pk", "lot_code"))
        Batch.objects.filter(pk__in=lots).update(status=BatchStatus.RECALLED)
        _lock_orders(lots)
        root = Recall.objects.create(batch_id=batch.pk, actor=actor, created_at=now, **reasons)
        recalled = [root]
        for lot in lots[1:]:
            recalled.append(
                Recall.objects.create(
                    batch_id=lot,
                    actor=actor,
                    created_at=now,
                    caused_by=root,
                    **_contains(codes[batch.pk], reasons),
                )
            )
        for recall in recalled:
            outcomes = withdrawals.withdraw_lot(batch_id=recall.batch_id, now=now)
            RecallNotice.objects.bulk_create(_notices(recall, outcomes))
            _log_event(recall=recall, actor=actor)
            transaction.on_commit(
                functools.partial(cache.invalidate_batch_page, batch_id=recall.batch_id)
            )
        transaction.on_commit(pagecache.invalidate)
        _queue_notices(recall_id=root.pk)
    batch.status = BatchStatus.RECALLED
    return root


def _lock_orders(lots: list[int]) -> None:
    """The orders holding units of the lots, FOR NO KEY UPDATE in key order, after the
    batches: notices inserted later check their foreign key against these rows without
    waiting (KEY SHARE does not conflict with NO KEY UPDATE)."""
    order_ids = (
        OrderLineBatch.objects.filter(
            batch_id__in=lots, state__in=[AllocationState.ALLOCATED, AllocationState.SOLD]
        )
        .values_list("line__order_id", flat=True)
        .distinct()
    )
    list(
        Order.objects.select_for_update(no_key=True)
        .filter(pk__in=list(order_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _notices(recall: Recall, outcomes: list[LineOutcome]) -> list[RecallNotice]:
    """One notice per order holding units of the lot, saying what the recall did: units
    still allocated (an unpaid order, cancelled by the worker), units that left (do not
    use), units withdrawn and replaced or to be refunded."""
    found: dict[int, dict] = {}

    def add(order_id: int, action: str, units: int, lot: str = "") -> None:
        entry = found.setdefault(order_id, {"actions": set(), "units": 0, "lot": ""})
        entry["actions"].add(action)
        entry["units"] += units
        entry["lot"] = entry["lot"] or lot

    rows = (
        OrderLineBatch.objects.filter(
            batch_id=recall.batch_id,
            state__in=[AllocationState.ALLOCATED, AllocationState.SOLD],
        )
        .values("line__order_id", "state")
        .annotate(units=Sum("quantity"))
        .order_by()
    )
    for row in rows:
        action = (
            NoticeAction.CANCELLED
            if row["state"] == AllocationState.ALLOCATED
            else NoticeAction.DO_NOT_USE
        )
        add(row["line__order_id"], action, row["units"])
    for outcome in outcomes:
        if outcome.outcome == withdrawals.REPLACED:
            add(outcome.order_id, NoticeAction.REPLACED, outcome.units, outcome.replacement_lot)
        else:
            add(outcome.order_id, NoticeAction.REFUNDED, outcome.units)
    buyers = Order.objects.filter(pk__in=found).values_list("pk", "email", "language")
    notices = []
    for order_id, email, language in sorted(buyers):
        entry = found[order_id]
        action = next(a for a in _GRAVITY if a in entry["actions"])
        notices.append(
            RecallNotice(
                recall=recall,
                order_id=order_id,
                email=email,
                language=language,
                units=entry["units"],
                action=action,
                replacement_lot=entry["lot"] if action == NoticeAction.REPLACED else "",
            )
        )
    return notices


def _contains(root_lot: str, reasons: dict) -> dict:
    """A box lot's reason columns: "contains lot X, recalled: …" in each language, around
    the component lot's reason in that language (or the other one, when it has only one)."""
    texts = {}
    for language in REASON_LANGUAGES:
        why = reasons[f"reason_{language}"] or next(text for text in reasons.values() if text)
        with translation.override(language):
            text = _(CONTAINS) % {"lot": root_lot, "reason": why}
        texts[f"reason_{language}"] = text[:REASON_MAX_LENGTH]
    return texts


def _log_event(*, recall: Recall, actor: User) -> None:
    """The recall joins the lot's hash-chained log as an inspection, with its reason in
    both languages (each falling back to the other), so the timeline and EPCIS show it."""
    batch = Batch.objects.select_related("variant__product__cooperative").get(pk=recall.batch_id)
    cooperative = batch.variant.product.cooperative
    notes = {}
    for language in ("en", "vi"):
        with translation.override(language):
            why = recall.reason
            notes[language] = _("Batch recalled. Reason: %(reason)s") % {"reason": why}
    by = SHOP_ACTOR if actor.is_superuser else cooperative.name
    events.append_event(
        batch=batch,
        kind=EventKind.INSPECTION,
        occurred_at=recall.created_at,
        place=cooperative.name[:200],
        actor=by[:200],
        notes_en=notes["en"],
        notes_vi=notes["vi"],
        recorded_by=actor,
    )


def _queue_notices(*, recall_id: int) -> None:
    # The task module imports this package; importing it at call time keeps the graph
    # acyclic (the task is the door above us).
    from worker.tasks import recalls as tasks

    send = functools.partial(tasks.notify_recall.delay, recall_id=recall_id)
    functools.update_wrapper(send, tasks.notify_recall.delay)
    # robust: the recall is committed by then; a broker outage is logged (and the notices
    # stay pending on the report, where they can be sent again) rather than a 500.
    transaction.on_commit(send, robust=True)


def recall_of(*, batch_id: int) -> Recall | None:
    """The batch's recall, if it has one (for the trace page and gs1:recallStatus)."""
    return Recall.objects.filter(batch_id=batch_id).first()
