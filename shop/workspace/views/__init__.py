"""The workspace's pages. Each handler is wrapped in access.staff_only, reads through
shop.workspace.selectors (scoped to request.cooperative_id) and writes through one service."""

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest

from shop.models import Batch
from shop.workspace import selectors


def own_batch(request: HttpRequest, batch_id: int) -> Batch:
    """The staff's own batch, or 404 (another cooperative's batch answers like a missing one)."""
    try:
        return selectors.batch(cooperative_id=request.cooperative_id, batch_id=batch_id)
    except Batch.DoesNotExist as exc:
        raise Http404("No such batch.") from exc


def errors_onto(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, by field where the form has it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
