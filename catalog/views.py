"""Staff pages of the registry: the import of producers, products and decisions from a spreadsheet."""

from django import forms
from django.contrib import admin
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from . import importing

IMPORT_PERMISSION = "catalog.add_certificationdecision"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and show what would change, write nothing"), required=False, initial=True
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("Upload a .csv or .xlsx file."), code="invalid")
        if file.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."), code="invalid")
        return file


def _staff_page(view):
    return login_required(permission_required(IMPORT_PERMISSION, raise_exception=True)(view), login_url="admin:login")


@_staff_page
@require_http_methods(["GET", "POST"])
def import_registry(request):
    result = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = importing.import_registry(
            upload.read(), filename=upload.name, actor=request.user, dry_run=form.cleaned_data["dry_run"]
        )
    context = {
        **admin.site.each_context(request),
        "title": _("Import the OCOP registry"),
        "form": form,
        "result": result,
        "columns": importing.COLUMNS,
    }
    return render(request, "catalog/import.html", context)


@_staff_page
def import_template_xlsx(request):
    response = HttpResponse(
        importing.template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="ocop-registry-template.xlsx"'
    return response


@_staff_page
def import_template_csv(request):
    response = HttpResponse(importing.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ocop-registry-template.csv"'
    return response
