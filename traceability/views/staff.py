"""Staff JSON endpoints for lots: issuance, label sheets and QR images. 401 without a session, 403 without the
permission; each object is found within the user's scope (``catalog.permissions``): another producer's is a 404."""

import functools

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from catalog import permissions
from ocop.files import private
from traceability import qr, services
from traceability.identifiers import base_url, item_path
from traceability.models import IssuanceJob, Item, LabelSheetJob, Lot
from traceability.permissions import label_sheets_for


def staff_permission(perm: str):
    """JSON endpoints for staff: 401 without a session, 403 without the permission. Each endpoint then finds its
    object within the user's scope (``permissions.scope``): another producer's lot, job or serial is a 404."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return JsonResponse({"error": "not_authenticated"}, status=401)
            if not (request.user.is_staff and request.user.has_perm(perm)):
                return JsonResponse({"error": "permission_denied"}, status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _errors(exc: ValidationError) -> dict:
    return {"errors": [{"code": e.code, "message": m} for e in exc.error_list for m in e.messages]}


@require_POST
@staff_permission("traceability.add_issuancejob")
def start_issuance(request, lot_id: int):
    lot = get_object_or_404(permissions.scope(Lot.objects.all(), request.user), pk=lot_id)
    try:
        count = int(request.POST.get("count", ""))
    except ValueError:
        return JsonResponse({"errors": [{"code": "invalid", "message": "count must be a whole number"}]}, status=400)
    try:
        job = services.start_issuance(lot=lot, count=count, actor=request.user)
    except ValidationError as exc:
        return JsonResponse(_errors(exc), status=400)
    return JsonResponse(_job_json(job), status=202)


def _job_json(job: IssuanceJob) -> dict:
    return {
        "id": job.pk,
        "lot": job.lot_id,
        "requested": job.requested,
        "issued": job.issued,
        "status": job.status,
        "error": job.shown_error,
        "progress": round(job.issued / job.requested, 4) if job.requested else 0,
        "url": reverse("traceability:issuance_progress", args=[job.pk]),
    }


@require_GET
@staff_permission("traceability.view_issuancejob")
def issuance_progress(request, job_id: int):
    job = get_object_or_404(permissions.scope(IssuanceJob.objects.all(), request.user), pk=job_id)
    return JsonResponse(_job_json(job))


def _label_json(job: LabelSheetJob) -> dict:
    return {
        "id": job.pk,
        "lot": job.lot_id,
        "status": job.status,
        "labels": job.labels,
        "error": job.shown_error,
        "download": reverse("traceability:label_download", args=[job.pk]) if job.file else None,
        "file_deleted_at": job.file_deleted_at.isoformat() if job.file_deleted_at else None,
        "note": job.retention_note,
    }


@require_POST
@staff_permission("traceability.add_labelsheetjob")
def start_label_sheet(request, lot_id: int):
    lot = get_object_or_404(permissions.scope(Lot.objects.all(), request.user), pk=lot_id)
    try:
        job = services.start_label_sheet(lot=lot, actor=request.user)
    except ValidationError as exc:
        return JsonResponse(_errors(exc), status=400)
    return JsonResponse(_label_json(job), status=202)


@require_GET
@staff_permission("traceability.view_labelsheetjob")
def label_progress(request, job_id: int):
    job = get_object_or_404(permissions.scope(LabelSheetJob.objects.all(), request.user), pk=job_id)
    return JsonResponse(_label_json(job))


@require_GET
@staff_permission("traceability.view_labelsheetjob")
def label_download(request, job_id: int):
    job = get_object_or_404(
        label_sheets_for(request.user).select_related("lot"), pk=job_id, status=LabelSheetJob.Status.DONE
    )
    if job.file_deleted_at:
        return JsonResponse({"error": "deleted", "message": job.retention_note}, status=410)
    return private.serve(job.file, content_type="application/pdf", filename=f"labels-{job.lot.number}.pdf")


def _qr_params(request) -> dict:
    error = request.GET.get("ec", qr.DEFAULT_ERROR).upper()
    if error not in qr.ERROR_LEVELS:
        raise Http404
    try:
        size = min(max(float(request.GET.get("mm", "20")), 10.0), 200.0)
    except ValueError:
        size = 20.0
    return {"error": error, "size_mm": size}


def _item_uri(request, serial: str) -> str:
    items = permissions.scope(Item.objects.select_related("lot__product"), request.user)
    item = get_object_or_404(items, serial=serial)
    lot = item.lot
    return base_url() + item_path(gtin=lot.product.gtin, lot=lot.number, serial=item.serial, expires_on=lot.expires_on)


@require_GET
@staff_permission("traceability.view_item")
def item_qr_svg(request, serial: str):
    return HttpResponse(qr.svg(_item_uri(request, serial), **_qr_params(request)), content_type="image/svg+xml")


@require_GET
@staff_permission("traceability.view_item")
def item_qr_png(request, serial: str):
    params = _qr_params(request)
    try:
        dpi = min(max(int(request.GET.get("dpi", "300")), 72), 1200)
    except ValueError:
        dpi = 300
    return HttpResponse(qr.png(_item_uri(request, serial), dpi=dpi, **params), content_type="image/png")
