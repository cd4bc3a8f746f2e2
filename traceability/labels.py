"""Printable QR label sheets: which batches, how many labels of each, how many to a sheet.

Up to SYNC_MAX_LABELS labels are built while the user waits (`build_label_sheet`); larger
sheets go to a Celery task (`start_label_job`) whose state lives in the Django cache, so any
web process can report its progress (`job_status`) and the finished PDF is kept in
default_storage under labels/<job_id>.pdf.

Cooperative staff print labels of their own cooperative's batches only; a superuser prints any.
A recalled batch gets no labels, and an OCOP certificate that has lapsed prints no stars.
"""

import dataclasses
import functools
import logging
import re
import unicodedata
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import dateformat, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shop.models import Batch, BatchStatus, User
from traceability.labelsheet import LAYOUTS, LabelFace, draw_sheets

logger = logging.getLogger(__name__)

MAX_LABELS_PER_BATCH = 1000
MAX_LABELS = 5000
SYNC_MAX_LABELS = 200
JOB_TTL_SECONDS = 24 * 60 * 60
# Longer than the largest sheet takes to build, so a second delivery of the same task waits
# out the first instead of building beside it.
JOB_LOCK_SECONDS = 15 * 60
_DATE_FORMATS = {"en": "j M Y", "vi": "d/m/Y"}
# Labels go on packages in Vietnam: English or Vietnamese, not every language the shop speaks.
LABEL_LANGUAGES = [("en", _("English")), ("vi", _("Tiếng Việt"))]
_JOB_ID = re.compile(r"[0-9a-f]{32}")


class LabelError(Exception):
    """Base of refused label requests. Nothing was written or queued."""


class InvalidLabelRequest(LabelError):
    """The request is malformed: counts, layout, language, or a batch that can't be printed."""


class LabelPermissionDenied(LabelError):
    """The user is neither a superuser nor active staff of a cooperative."""


class LabelJobNotFound(LabelError):
    """No such job for this user (never started, someone else's, or expired)."""


class JobState:
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclasses.dataclass(frozen=True)
class LabelRequest:
    """A validated request: (batch id, count) pairs in print order, each batch once."""

    items: tuple[tuple[int, int], ...]
    per_sheet: int
    language: str

    @property
    def total(self) -> int:
        return sum(count for _batch_id, count in self.items)

    @property
    def pages(self) -> int:
        return -(-self.total // self.per_sheet)

    @property
    def builds_in_background(self) -> bool:
        return self.total > SYNC_MAX_LABELS


@dataclasses.dataclass(frozen=True)
class LabelJob:
    job_id: str
    status: str
    progress: int  # percent
    total_labels: int
    pages: int
    path: str = ""  # in default_storage, once done
    error: str = ""


def validate_request(
    *, items: Iterable[tuple[int, int]], per_sheet: int, language: str
) -> LabelRequest:
    """Check the shape of a request without touching the database; raise InvalidLabelRequest.

    A batch named twice gets the sum of its counts, printed where it was first named.
    """
    if per_sheet not in LAYOUTS:
        choices = ", ".join(str(n) for n in LAYOUTS)
        raise InvalidLabelRequest(_("Choose %(choices)s labels per sheet.") % {"choices": choices})
    if language not in dict(LABEL_LANGUAGES):
        raise InvalidLabelRequest(_("Labels are printed in English or Vietnamese."))
    counts: dict[int, int] = {}
    for item in items:
        batch_id, count = _pair(item)
        counts[batch_id] = counts.get(batch_id, 0) + count
    if not counts:
        raise InvalidLabelRequest(_("Choose at least one batch."))
    for count in counts.values():
        if not 1 <= count <= MAX_LABELS_PER_BATCH:
            raise InvalidLabelRequest(
                _("Print 1 to %(max)d labels of each batch.") % {"max": MAX_LABELS_PER_BATCH}
            )
    request = LabelRequest(tuple(counts.items()), per_sheet, language)
    if request.total > MAX_LABELS:
        raise InvalidLabelRequest(
            _("At most %(max)d labels can be printed at once.") % {"max": MAX_LABELS}
        )
    return request


def _pair(item) -> tuple[int, int]:
    try:
        batch_id, count = item
    except (TypeError, ValueError):
        raise InvalidLabelRequest(_("Each line names a batch and a number of labels.")) from None
    if not all(type(value) is int for value in (batch_id, count)) or batch_id < 1:
        raise InvalidLabelRequest(_("Each line names a batch and a number of labels."))
    return batch_id, count


def label_faces(*, request: LabelRequest, requested_by_id: int) -> list[tuple[LabelFace, int]]:
    """Each batch's label face and count, in request order. Two queries: the user, the batches.

    Raises LabelPermissionDenied for anyone but a superuser or active cooperative staff, and
    InvalidLabelRequest for a batch that doesn't exist, belongs to another cooperative (the
    same answer, so ids of other cooperatives' batches reveal nothing) or is recalled.
    """
    user = User.objects.filter(pk=requested_by_id, is_active=True).first()
    if user is None or not (user.is_superuser or user.is_cooperative_staff):
        raise LabelPermissionDenied(_("Only cooperative staff can print labels."))
    batches = Batch.objects.select_related("variant__product").filter(
        pk__in=[batch_id for batch_id, _count in request.items]
    )
    if not user.is_superuser:
        batches = batches.filter(variant__product__cooperative_id=user.cooperative_id)
    by_id = {batch.pk: batch for batch in batches}
    for batch_id, _count in request.items:
        batch = by_id.get(batch_id)
        if batch is None:
            raise InvalidLabelRequest(_("Batch %(id)d was not found.") % {"id": batch_id})
        if batch.status == BatchStatus.RECALLED:
            raise InvalidLabelRequest(
                _("Batch %(lot)s is recalled: no labels are printed for it.")
                % {"lot": batch.lot_code}
            )
    # Refusals above speak the user's language; the label itself speaks the one chosen for it.
    with translation.override(request.language):
        return [
            (_face(by_id[batch_id], request.language), count) for batch_id, count in request.items
        ]


def _face(batch: Batch, language: str) -> LabelFace:
    """Called with the label's language active, which picks the translated names."""
    product = batch.variant.product

    def nfc(text: str) -> str:
        # Text typed on some systems arrives decomposed; the PDF draws precomposed glyphs.
        return unicodedata.normalize("NFC", text or "")

    return LabelFace(
        name=nfc(product.name),
        variant=nfc(batch.variant.name),
        gtin=batch.variant.gtin,
        lot=batch.lot_code,
        lot_caption=gettext("Lot"),
        best_before_caption=gettext("Best before"),
        best_before=dateformat.format(batch.best_before, _DATE_FORMATS[language]),
        stars=product.ocop_stars if product.ocop_is_current else 0,
    )


def build_label_sheet(
    *, items: Iterable[tuple[int, int]], per_sheet: int, language: str, requested_by_id: int
) -> bytes:
    """The PDF of a sheet of at most SYNC_MAX_LABELS labels, built now; writes nothing.

    Larger sheets are refused (InvalidLabelRequest): they go through start_label_job.
    """
    request = validate_request(items=items, per_sheet=per_sheet, language=language)
    if request.builds_in_background:
        raise InvalidLabelRequest(
            _("Sheets of more than %(max)d labels are built in the background.")
            % {"max": SYNC_MAX_LABELS}
        )
    faces = label_faces(request=request, requested_by_id=requested_by_id)
    return _draw(request, faces)


def _draw(request: LabelRequest, faces, on_page=None) -> bytes:
    with translation.override(request.language):
        title = gettext("OCOP labels")
    return draw_sheets(faces=faces, layout=LAYOUTS[request.per_sheet], title=title, on_page=on_page)


def _key(job_id: str) -> str:
    return f"labels:job:{job_id}"


def start_label_job(
    *, items: Iterable[tuple[int, int]], per_sheet: int, language: str, requested_by_id: int
) -> str:
    """Queue a sheet of any size up to MAX_LABELS to be built by a Celery task; return its id.

    The request is checked now (shape, permission, batches), so a refusal is immediate and
    leaves nothing behind. Side effects: the job's state is stored in the cache for a day
    and worker.tasks.labels.build_label_sheet is queued on commit.
    """
    from worker.tasks.labels import build_label_sheet as build_task

    request = validate_request(items=items, per_sheet=per_sheet, language=language)
    label_faces(request=request, requested_by_id=requested_by_id)
    job_id = uuid.uuid4().hex
    state = {
        **dataclasses.asdict(_new_job(job_id, request)),
        "items": [list(item) for item in request.items],
        "per_sheet": request.per_sheet,
        "language": request.language,
        "requested_by_id": requested_by_id,
        # The worker explains a failure in the language the user asked in.
        "ui_language": translation.get_language() or settings.LANGUAGE_CODE,
    }
    cache.set(_key(job_id), state, JOB_TTL_SECONDS)
    transaction.on_commit(functools.partial(build_task.delay, job_id=job_id))
    return job_id


def _new_job(job_id: str, request: LabelRequest) -> LabelJob:
    return LabelJob(job_id, JobState.QUEUED, 0, request.total, request.pages)


def _job(state: dict) -> LabelJob:
    return LabelJob(**{field.name: state[field.name] for field in dataclasses.fields(LabelJob)})


def job_status(*, job_id: str, requested_by_id: int) -> LabelJob:
    """The job's state as its requester sees it; LabelJobNotFound for anyone else."""
    state = cache.get(_key(job_id)) if _JOB_ID.fullmatch(str(job_id)) else None
    if state is None or state["requested_by_id"] != requested_by_id:
        raise LabelJobNotFound(_("This label sheet is not (or no longer) available."))
    return _job(state)


def run_label_job(*, job_id: str) -> LabelJob:
    """Build a queued job's PDF page by page, reporting progress; the body of the Celery task.

    Idempotent: a finished job whose file exists is returned untouched, and while one run
    holds the job's lock another returns at once. The PDF is saved as labels/<job_id>.pdf in
    default_storage (a partial file from a crashed run is replaced, never kept beside).
    A request that can no longer be printed (a batch recalled or deleted since) ends the job
    as failed with the reason.
    """
    key = _key(job_id)
    state = cache.get(key)
    if state is None:
        raise LabelJobNotFound(_("This label sheet is not (or no longer) available."))
    path = f"labels/{job_id}.pdf"
    if state["status"] == JobState.DONE and default_storage.exists(state["path"]):
        return _job(state)
    if not cache.add(f"{key}:lock", 1, JOB_LOCK_SECONDS):
        return _job(state)
    try:
        with translation.override(state["ui_language"]):
            return _run(key, state, path)
    finally:
        cache.delete(f"{key}:lock")


def _run(key: str, state: dict, path: str) -> LabelJob:
    def save(**changes) -> None:
        state.update(changes)
        cache.set(key, state, JOB_TTL_SECONDS)

    def on_page(done: int, total: int) -> None:
        percent = done * 99 // total
        if percent != state["progress"]:
            save(progress=percent)

    save(status=JobState.RUNNING, progress=0, error="")
    try:
        request = validate_request(
            items=[tuple(item) for item in state["items"]],
            per_sheet=state["per_sheet"],
            language=state["language"],
        )
        faces = label_faces(request=request, requested_by_id=state["requested_by_id"])
    except LabelError as exc:
        save(status=JobState.FAILED, error=str(exc))
        return _job(state)
    pdf = _draw(request, faces, on_page)
    try:
        if default_storage.exists(path):
            default_storage.delete(path)
        saved = default_storage.save(path, ContentFile(pdf))
    except OSError:
        save(status=JobState.FAILED, error=gettext("The sheet could not be saved."))
        raise
    save(status=JobState.DONE, progress=100, path=saved)
    logger.info("Label job %s: %d labels, %d pages", state["job_id"], request.total, request.pages)
    return _job(state)
