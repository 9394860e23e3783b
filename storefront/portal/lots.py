"""The producers' portal pages for lots, serials, QR codes and label sheets: a producer's own lots only.

Every object is looked up within ``services.producer_lots(producer)`` / ``producer_items(producer)``, so
another producer's lot, job or serial is a 404 (its existence is not even confirmed).
"""

import io
import zipfile

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog.forms import apply_validation_error
from ocop.files import private
from ocop.service_messages import REFUSED, attempt, form_errors
from ocop.spreadsheets import csv_bytes
from traceability import approvals, permissions, qr, services
from traceability.forms import IssuanceForm, LotForm
from traceability.identifiers import display_serial, uri_of
from traceability.models import IssuanceJob, LabelSheetJob

from .access import producer_page

#: Most QR images in one ZIP download, built in the request (~7.6 ms per SVG measured: 250 ≈ 2 s);
#: larger lots print from the label sheet, built in the background.
MAX_QR_ZIP = 250
BUSY = (IssuanceJob.Status.PENDING, IssuanceJob.Status.RUNNING)
HELD_MESSAGE = gettext_noop(
    "Your account is new: the OCOP office approves label sheets and large serial requests "
    "during its first days. Your request waits for the office; you get a notice when it "
    "is decided."
)


def _own_lot(request, pk):
    return get_object_or_404(
        services.producer_lots(request.producer).select_related("product", "origin_commune"), pk=pk
    )


@producer_page
@require_http_methods(["GET", "POST"])
def lot_list(request):
    form = LotForm(request.POST or None, producer=request.producer)
    if request.method == "POST" and form.is_valid():
        try:
            lot = services.create_producer_lot(producer=request.producer, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Lot %(number)s created.") % {"number": lot.number})
            return redirect("producer_lots:detail", lot.pk)
    lots = (
        services.producer_lots(request.producer)
        .select_related("product", "origin_commune")
        .annotate(serials=Count("items"))
        .order_by("-produced_on", "-pk")
    )
    return render(
        request,
        "traceability/portal/lot_list.html",
        {
            "lots": lots[:500],
            "form": form,
            "producer": request.producer,
        },
    )


@producer_page
@require_GET
def lot_detail(request, pk):
    lot = _own_lot(request, pk)
    issuance_jobs = list(lot.issuance_jobs.all()[:20])
    label_jobs = list(lot.label_jobs.all()[:10])
    busy = any(job.status in BUSY for job in issuance_jobs) or any(job.status in BUSY for job in label_jobs)
    items = [(item, display_serial(item.serial)) for item in lot.items.order_by("pk")[:50]]
    return render(
        request,
        "traceability/portal/lot_detail.html",
        {
            "lot": lot,
            "issuance_jobs": issuance_jobs,
            "label_jobs": label_jobs,
            "busy": busy,
            "items": items,
            "item_count": lot.items.count(),
            "taken": services.serials_taken(lot),
            "issuance_form": IssuanceForm(),
            "max_qr_zip": MAX_QR_ZIP,
        },
    )


@producer_page
@require_POST
def start_issuance(request, pk):
    lot = _own_lot(request, pk)
    form = IssuanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("producer_lots:detail", lot.pk)
    job = attempt(
        request, lambda: services.start_producer_issuance(lot=lot, count=form.cleaned_data["count"], actor=request.user)
    )
    _say_started(request, job, _("Serial issuance started: this page shows its progress."))
    return redirect("producer_lots:detail", lot.pk)


def _say_started(request, job, started: str) -> None:
    """A background job the producer asked for: started, or held for the office's approval (new accounts)."""
    if job is REFUSED:
        return
    if job.status == job.Status.HELD:
        messages.info(request, _(HELD_MESSAGE))
    else:
        messages.success(request, started)


@producer_page
@require_GET
def issuance_progress(request, job_id):
    job = get_object_or_404(IssuanceJob.objects.filter(lot__in=services.producer_lots(request.producer)), pk=job_id)
    return JsonResponse(
        {
            "id": job.pk,
            "status": job.status,
            "issued": job.issued,
            "requested": job.requested,
            "progress": round(job.issued / job.requested, 4) if job.requested else 0,
        }
    )


@producer_page
@require_POST
def start_label_sheet(request, pk):
    lot = _own_lot(request, pk)
    job = attempt(request, lambda: services.start_producer_label_sheet(lot=lot, actor=request.user))
    _say_started(request, job, _("The label sheet is being prepared: this page shows when it is ready."))
    return redirect("producer_lots:detail", lot.pk)


@producer_page
@require_GET
def label_download(request, job_id):
    job = get_object_or_404(
        permissions.label_sheets_for(request.user).select_related("lot"), pk=job_id, status=LabelSheetJob.Status.DONE
    )
    if job.file_deleted_at:
        return render(request, "traceability/portal/label_sheet_deleted.html", {"job": job}, status=410)
    return private.serve(job.file, content_type="application/pdf", filename=f"labels-{job.lot.number}.pdf")


def _own_item(request, serial):
    return get_object_or_404(services.producer_items(request.producer).select_related("lot__product"), serial=serial)


def _qr_error(request) -> str:
    error = request.GET.get("ec", qr.DEFAULT_ERROR).upper()
    return error if error in qr.ERROR_LEVELS else qr.DEFAULT_ERROR


@producer_page
@require_GET
def item_qr(request, serial, kind):
    item = _own_item(request, serial)
    uri = uri_of(item)
    if kind == "svg":
        return HttpResponse(qr.svg(uri, error=_qr_error(request)), content_type="image/svg+xml")
    response = HttpResponse(qr.png(uri, error=_qr_error(request)), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{item.serial}.png"'
    return response


@producer_page
@require_GET
def lot_qr_zip(request, pk):
    """Every code of a lot as SVG files (vector: prints sharp at any size), with a CSV of serials and URIs."""
    lot = _own_lot(request, pk)
    if approvals.needs_approval(request.user):
        # The codes in bulk are label material: a young account prints through an approved label sheet.
        messages.error(request, _(HELD_MESSAGE))
        return redirect("producer_lots:detail", lot.pk)
    items = list(lot.items.select_related("lot__product").order_by("pk")[: MAX_QR_ZIP + 1])
    if len(items) > MAX_QR_ZIP:
        messages.error(
            request, _("This lot has more than %(max)s codes: print them from the label sheet.") % {"max": MAX_QR_ZIP}
        )
        return redirect("producer_lots:detail", lot.pk)
    buffer = io.BytesIO()
    error = _qr_error(request)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        rows = [["serial", "uri"]]
        for item in items:
            uri = uri_of(item)
            archive.writestr(f"{item.serial}.svg", qr.svg(uri, error=error))
            rows.append([item.serial, uri])
        archive.writestr("serials.csv", csv_bytes(rows))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="qr-{lot.number}.zip"'
    return response
