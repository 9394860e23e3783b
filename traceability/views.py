"""Views of traceability: the staff and partner endpoints (the public scan page and GS1 resolver are in
``traceability.resolver``).

Views parse input, check permissions, call one service or query, and shape the answer.
"""

import functools
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from catalog import permissions, private_files

from . import capture_tokens, epcis, qr, services, visibility
from .capture_tokens import Party
from .error_codes import TraceabilityErrorCode
from .identifiers import base_url, item_path, normalise_serial, parse_item_uri
from .models import IssuanceJob, Item, LabelSheetJob, Lot
from .permissions import label_sheets_for


@require_POST
def scan_location(request):
    """The visitor agreed (on the scan page, through the browser's prompt) to share an approximate location."""
    services.record_location(ref=request.POST.get("ref", ""), latitude=request.POST.get("lat"),
                             longitude=request.POST.get("lon"))
    return HttpResponse(status=204)


# --- Staff endpoints ----------------------------------------------------------------------------------


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
    return {"id": job.pk, "lot": job.lot_id, "requested": job.requested, "issued": job.issued,
            "status": job.status, "error": job.error,
            "progress": round(job.issued / job.requested, 4) if job.requested else 0,
            "url": reverse("traceability:issuance_progress", args=[job.pk])}


@require_GET
@staff_permission("traceability.view_issuancejob")
def issuance_progress(request, job_id: int):
    job = get_object_or_404(permissions.scope(IssuanceJob.objects.all(), request.user), pk=job_id)
    return JsonResponse(_job_json(job))


def _label_json(job: LabelSheetJob) -> dict:
    return {"id": job.pk, "lot": job.lot_id, "status": job.status, "labels": job.labels, "error": job.error,
            "download": reverse("traceability:label_download", args=[job.pk]) if job.file else None,
            "file_deleted_at": job.file_deleted_at.isoformat() if job.file_deleted_at else None,
            "note": job.retention_note}


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
    job = get_object_or_404(label_sheets_for(request.user).select_related("lot"), pk=job_id,
                            status=LabelSheetJob.Status.DONE)
    if job.file_deleted_at:
        return JsonResponse({"error": "deleted", "message": job.retention_note}, status=410)
    return private_files.serve(job.file, content_type="application/pdf", filename=f"labels-{job.lot.number}.pdf")


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
    return base_url() + item_path(gtin=lot.product.gtin, lot=lot.number, serial=item.serial,
                                  expires_on=lot.expires_on)


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


# --- EPCIS --------------------------------------------------------------------------------------------


def _epcis_caller(request, perm: str) -> tuple[str, Party | None]:
    """Who is calling and for which party: a bearer token's party (a producer or a sales point, limited by
    ``visibility``), or a staff user with ``perm`` (party None). Raises PermissionDenied."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        party = capture_tokens.authenticate(header[7:].strip())
        if party is None:
            raise PermissionDenied("invalid token")
        return party.label, party
    user = request.user
    if user.is_authenticated and user.is_staff and user.has_perm(perm):
        return f"user:{user.get_username()}", None
    raise PermissionDenied("not allowed")


def _epcis_error(status: int, errors: list[dict]) -> JsonResponse:
    kind = {400: "ValidationException", 404: "NoSuchResourceException", 415: "ValidationException"}.get(
        status, "SecurityException")
    return JsonResponse({"type": f"epcisException:{kind}", "errors": errors}, status=status)


@csrf_exempt  # JSON only (a cross-site form cannot send it) and authenticated by token or staff session
@require_POST
def epcis_capture(request):
    try:
        actor, party = _epcis_caller(request, "traceability.add_epcisevent")
    except PermissionDenied as exc:
        return _epcis_error(403, [{"code": "forbidden", "message": str(exc)}])
    if request.content_type not in ("application/json", "application/ld+json"):
        return _epcis_error(415, [{"code": "unsupported_media_type",
                                   "message": "Send application/json or application/ld+json."}])
    try:
        body = json.loads(request.body)
    except ValueError as exc:
        return _epcis_error(400, [{"event": None, "field": "", "code": "invalid_json", "message": str(exc)}])
    try:
        stored = services.capture_events(body=body, actor_label=actor, party=party)
    except epcis.EventErrors as exc:
        forbidden = any(error["code"] == TraceabilityErrorCode.FORBIDDEN for error in exc.errors)
        return _epcis_error(403 if forbidden else 400, exc.errors)
    return JsonResponse({"captured": [event.event_id for event in stored]}, status=201)


@require_GET
def epcis_events(request):
    """Query by item (serial or URI) or by lot id; answers an EPCISDocument of the events the caller may see.

    To a partner, an item or lot it may not see is answered exactly as one that does not exist.
    """
    try:
        _actor, party = _epcis_caller(request, "traceability.view_epcisevent")
    except PermissionDenied as exc:
        return _epcis_error(403, [{"code": "forbidden", "message": str(exc)}])
    if party is None:  # a signed-in user reads the events of the lots in their scope only
        items = permissions.scope(Item.objects.all(), request.user)
        lots = permissions.scope(Lot.objects.all(), request.user)
    else:
        items, lots = visibility.visible_items(party), Lot.objects.all()
    if request.GET.get("item"):
        value = request.GET["item"]
        key = parse_item_uri(value) if "/" in value else None
        item = items.filter(serial=key.serial if key else normalise_serial(value)).first()
        if item is None:
            return _epcis_error(404, [{"code": "unknown_epc", "message": "No such item."}])
        events = services.events_for_item(item)  # all visible: each names an item the caller may see
    elif request.GET.get("lot", "").isdigit():
        lot = lots.filter(pk=int(request.GET["lot"])).first()
        events = visibility.visible_events(party, services.events_for_lot(lot)) if lot else None
        if lot is None or (party is not None and not events.exists()):
            return _epcis_error(404, [{"code": "unknown_lot", "message": "No such lot."}])
    else:
        return _epcis_error(400, [{"code": "required", "message": "Give ?item=<serial or URI> or ?lot=<id>."}])
    documents = visibility.documents(party, list(events[:500]))
    response = JsonResponse(epcis.document(documents))
    response["Content-Type"] = "application/ld+json"
    return response
