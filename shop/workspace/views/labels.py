"""Label sheets: choose batches and how many labels of each; a small sheet comes back as a
PDF at once, a large one is built by the worker while a page refreshes itself (no script)."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_safe

from shop.identifiers import parse_id
from shop.models import BatchStatus
from shop.workspace import selectors
from shop.workspace.access import staff_only
from shop.workspace.forms import LabelForm
from shop.workspace.views import own_batch
from traceability import labels

REFRESH_SECONDS = 2
LABEL_BATCHES = 60


def _choices(request: HttpRequest):
    """Batches to print for: those with stock, newest first, and the one asked for."""
    batches = (
        selectors.all_batches(cooperative_id=request.cooperative_id)
        .exclude(status=BatchStatus.RECALLED)
        .filter(on_hand__gt=0)
    )
    chosen = list(batches[:LABEL_BATCHES])
    counts = {}
    batch_id = parse_id(request.GET.get("batch", ""))
    if batch_id is not None:
        batch = own_batch(request, batch_id)
        if batch.pk not in {b.pk for b in chosen}:
            chosen.insert(0, batch)
        counts[batch.pk] = min(max(batch.on_hand, 1), labels.MAX_LABELS_PER_BATCH)
    return chosen, counts


def _pdf(data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    name = f"ocop-labels-{timezone.localdate():%Y%m%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def label_sheet(request: HttpRequest) -> HttpResponse:
    batches, counts = _choices(request)
    form = LabelForm(
        request.POST or None,
        batches=batches,
        initial_counts=counts,
        initial={"language": get_language()},
    )
    if request.method == "POST" and form.is_valid():
        request_args = {
            "items": form.items(),
            "per_sheet": form.cleaned_data["per_sheet"],
            "language": form.cleaned_data["language"],
            "requested_by_id": request.user.pk,
        }
        total = sum(count for _batch, count in form.items())
        try:
            if total <= labels.SYNC_MAX_LABELS:
                return _pdf(labels.build_label_sheet(**request_args))
            job_id = labels.start_label_job(**request_args)
        except labels.LabelError as error:
            form.add_error(None, str(error))
        else:
            return redirect("coop:label_job", job_id=job_id)
    status = 400 if form.is_bound else 200
    return render(request, "coop/labels.html", {"form": form}, status=status)


def _job(request: HttpRequest, job_id: str) -> labels.LabelJob:
    try:
        return labels.job_status(job_id=job_id, requested_by_id=request.user.pk)
    except labels.LabelJobNotFound as exc:
        raise Http404(str(exc)) from exc


@require_safe
@staff_only
def label_job(request: HttpRequest, job_id: str) -> HttpResponse:
    job = _job(request, job_id)
    waiting = job.status in (labels.JobState.QUEUED, labels.JobState.RUNNING)
    context = {"job": job, "waiting": waiting, "refresh": REFRESH_SECONDS}
    return render(request, "coop/label_job.html", context)


@require_safe
@staff_only
def label_job_pdf(request: HttpRequest, job_id: str) -> HttpResponse:
    job = _job(request, job_id)
    if job.status != labels.JobState.DONE or not default_storage.exists(job.path):
        raise Http404("The sheet is not ready.")
    name = f"ocop-labels-{job.job_id[:8]}.pdf"
    return FileResponse(
        default_storage.open(job.path, "rb"),
        as_attachment=True,
        filename=name,
        content_type="application/pdf",
    )
