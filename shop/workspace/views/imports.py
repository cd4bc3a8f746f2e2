"""Importing batches from a CSV or XLSX file, and the templates to start from."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from shop.workspace import imports, spreadsheets
from shop.workspace.access import staff_only
from shop.workspace.forms import ImportForm

TEMPLATES = {
    "csv": (spreadsheets.template_csv, spreadsheets.CSV_TYPE),
    "xlsx": (spreadsheets.template_xlsx, spreadsheets.XLSX_TYPE),
}


def _page(request: HttpRequest, form: ImportForm, report=None, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "report": report,
        "columns": list(zip(spreadsheets.COLUMNS, spreadsheets.EXAMPLE, strict=True)),
    }
    return render(request, "coop/import.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_only
def import_batches(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _page(request, form)
    if not form.is_valid():
        return _page(request, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        sheet = spreadsheets.read_upload(name=upload.name, stream=upload)
        report = imports.import_batches(
            cooperative_id=request.cooperative_id, sheet=sheet, actor=request.user
        )
    except spreadsheets.UnreadableFile as error:
        form.add_error("file", str(error))
        return _page(request, form, status=400)
    except imports.ImportRejected as rejected:
        return _page(request, form, report=rejected.report, status=400)
    count = len(report.batches)
    messages.success(
        request,
        ngettext("%(count)d batch imported.", "%(count)d batches imported.", count)
        % {"count": count},
    )
    return redirect("coop:batch_list")


@require_safe
@staff_only
def import_template(request: HttpRequest, extension: str) -> HttpResponse:
    if extension not in TEMPLATES:
        raise Http404(_("No such template."))
    build, content_type = TEMPLATES[extension]
    response = HttpResponse(build(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="ocop-batches.{extension}"'
    return response
