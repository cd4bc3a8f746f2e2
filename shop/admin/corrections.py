"""The admin's "Correct a mistake" page for a batch: the lot code, dates and village are
read-only after receipt and change only through traceability.corrections.correct_batch,
which records the correction in the batch's event log."""

from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shop.admin.scoping import confined_to
from shop.workspace import selectors
from traceability import corrections
from traceability.forms import CorrectionForm
from traceability.models import Village


class BatchCorrectionAdmin:
    """Mixin for BatchAdmin: the correction page, its link and the changelist action."""

    actions = ["correct_mistake"]

    @admin.display(description=gettext_lazy("correct a mistake"))
    def correct_link(self, obj) -> str:
        url = reverse("admin:shop_batch_correct", args=[obj.pk])
        return format_html(
            '<a class="button" href="{}">{}</a> <span class="help">{}</span>',
            url,
            _("Correct a mistake"),
            _("The lot code, dates and village are fixed at receipt; a correction is recorded."),
        )

    @admin.action(description=gettext_lazy("Correct a mistake in the selected batch"))
    def correct_mistake(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True)[:2])
        if len(ids) != 1:
            self.message_user(request, _("Select exactly one batch to correct."), messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("admin:shop_batch_correct", args=[ids[0]]))

    def get_urls(self):
        view = self.admin_site.admin_view(self.correct_view)
        return [path("<path:object_id>/correct/", view, name="shop_batch_correct")] + (
            super().get_urls()
        )

    def correct_view(self, request, object_id):
        batch = self.get_object(request, object_id)
        if batch is None:
            raise Http404(_("No batch has this id."))
        cooperative_id = confined_to(request.user)
        # A cooperative's staff pick among their villages, as when they receive a batch.
        villages = (
            Village.objects.all()
            if cooperative_id is None
            else selectors.villages(cooperative_id=cooperative_id)
        )
        form = CorrectionForm(request.POST or None, villages=villages)
        change_url = reverse("admin:shop_batch_change", args=[batch.pk])
        if request.method == "POST" and form.is_valid():
            try:
                corrections.correct_batch(batch=batch, actor=request.user, **form.correction())
            except corrections.CorrectionNotAllowed:
                form.add_error(None, _("Only the batch's own cooperative may correct it."))
            except corrections.InvalidCorrection as error:
                form.add_refusal(error)
            else:
                self.message_user(request, _("Corrected; the batch's story shows the change."))
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Correct a mistake in lot %(lot)s") % {"lot": batch.lot_code},
            "opts": self.opts,
            "batch": batch,
            "form": form,
            "change_url": change_url,
            "history": corrections.history(batch_id=batch.pk),
        }
        return TemplateResponse(request, "admin/shop/batch/correct.html", context)
