"""Views of traceability: the public scan page / GS1 resolver, and the staff and partner endpoints.

Views parse input, check permissions, call one service or query, and shape the answer.
"""

import functools
import json
import time
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.dateformat import format as date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from catalog import permissions, private_files
from catalog.models import Product
from catalog.programme.querysets import meet_the_producer, tours_of
from catalog.querysets import local_today

from . import capture_tokens, epcis, qr, services, visibility, where_to_buy
from .capture_tokens import Party
from .error_codes import TraceabilityErrorCode
from .identifiers import ItemKey, base_url, display_serial, item_path, normalise_serial, parse_item_uri
from .models import IssuanceJob, Item, LabelSheetJob, Lot
from .permissions import label_sheets_for
from .querysets import Status, scan_record

GS1_VOC = "https://gs1.org/voc/"
LINK_TYPES = ("pip", "certificationInfo", "traceability", "epcis")
LINKSET = "application/linkset+json"

# --- Scan page and resolver ---------------------------------------------------------------------------


def gs1_item(request, rest: str):
    key = parse_item_uri(request.path)
    if key is None:
        key = ItemKey(serial="", gtin="-")
    return _resolve(request, serial=key.serial, gtin=key.gtin, lot=key.lot)


def short_item(request, serial: str):
    return _resolve(request, serial=normalise_serial(serial))


def _wanted_link_type(request) -> str | None:
    value = request.GET.get("linkType")
    if value:
        return value.removeprefix(GS1_VOC).removeprefix("gs1:")
    if LINKSET in request.headers.get("Accept", ""):
        return "all"
    return None


def _resolve(request, *, serial: str, gtin: str = "", lot: str = ""):
    today = local_today()
    record = scan_record(serial, today) if 0 < len(serial) <= 20 else None
    if record is not None and gtin and (record.gtin.zfill(14) != gtin or (lot and record.lot_number != lot)):
        record = None  # a real serial on the wrong product or lot is a copied code
    link_type = _wanted_link_type(request)
    if link_type is not None:
        return _resolver_answer(request, record, link_type)
    ref = uuid.uuid4().hex
    services.queue_scan(
        serial=serial, item_id=record.item_id if record else None, sales_point=request.GET.get("sp", ""),
        user_agent=request.headers.get("User-Agent", ""), ref=ref,
    )
    return _scan_page(request, record, today=today, ref=ref, serial=serial)


def _links(record) -> dict[str, str]:
    path = item_path(gtin=record.gtin, lot=record.lot_number, serial=record.serial, expires_on=record.expires_on)
    page = base_url() + path
    store = _store_url(record.product_id)
    return {
        "pip": base_url() + store if store else f"{page}#product",
        "certificationInfo": f"{page}#certificate",
        "traceability": f"{page}#history",
        "epcis": base_url() + reverse("traceability:epcis_events") + f"?item={record.serial}",
        "defaultLink": page,
    }


def _resolver_answer(request, record, link_type: str):
    if record is None:
        return JsonResponse({"error": "unknown_code", "message": str(Status.LABELS[Status.UNKNOWN])}, status=404)
    links = _links(record)
    if link_type in links:
        return HttpResponseRedirect(links[link_type], status=307)
    if link_type != "all":  # GS1 resolver: an unavailable link type falls back to the default link
        return HttpResponseRedirect(links["defaultLink"], status=307)
    titles = {"pip": "Product information", "certificationInfo": "OCOP certificate",
              "traceability": "Traceability", "epcis": "EPCIS events", "defaultLink": "Scan page"}
    anchor = links["defaultLink"]
    body = {"linkset": [{
        "anchor": anchor,
        **{
            f"{GS1_VOC}{kind}": [{
                "href": href, "title": titles[kind],
                "type": "application/ld+json" if kind == "epcis" else "text/html",
                "hreflang": ["vi", "en"],
            }]
            for kind, href in links.items()
        },
    }]}
    response = HttpResponse(json.dumps(body), content_type=LINKSET)
    response["Link"] = f'<{anchor}>; rel="{GS1_VOC}defaultLink"'
    response["Vary"] = "Accept"
    return response


def _store_url(product_id: int) -> str | None:
    try:
        return reverse("storefront:product", args=[product_id])
    except NoReverseMatch:
        return None


_fragments: dict[tuple, tuple[float, str]] = {}


def _cached(key: tuple, ttl: float, build) -> str:
    now = time.monotonic()
    hit = _fragments.get(key)
    if hit and hit[0] > now:
        return hit[1]
    html = build()
    if len(_fragments) > 5000:
        _fragments.clear()
    _fragments[key] = (now + ttl, html)
    return html


def _product_fragment(record) -> tuple[str, str]:
    """The descriptive product part (top: the product; bottom: where to buy it, other products), cached
    in-process and keyed by the live status (the "buy online" link is shown only for a listable product).

    The top is keyed by the product's and producer's versions, the bottom (the producer's other listable
    products, the sales points stocking it) by the registry version (every certificate, assortment or listing
    change records an outbox event) and the date (expiry). Both are kept ``TRACEABILITY_PRODUCT_TTL``, which
    bounds only edits of reference data such as names.
    The live status and the certificate never come from here: they are read on every request.
    """
    lang = translation.get_language()

    def top() -> str:
        product = Product.objects.select_related("producer__commune", "group").get(pk=record.product_id)
        return render_to_string("traceability/_product.html", {
            "product": product,
            "lang": lang,
            "name": product.name_en if lang == "en" and product.name_en else product.name_vi,
            "producer": product.producer,
            "store_url": _store_url(product.pk) if product.is_listable() else None,
        })

    def bottom() -> str:
        product = Product(pk=record.product_id, producer_id=record.producer_id)
        others = (Product.objects.listable().filter(producer_id=record.producer_id).exclude(pk=product.pk)
                  .only("pk", "name_vi", "name_en")[:6])
        return render_to_string("traceability/_links.html", {
            "others": [(p, _store_url(p.pk), p.name_en if lang == "en" and p.name_en else p.name_vi) for p in others],
            "sales_points": _sales_points(product),
            "meet": meet_the_producer(product),
            "tours": tours_of(product.producer_id),
        })

    return (
        _cached(("top", record.product_id, record.product_version, record.producer_version, record.status, lang),
                getattr(settings, "TRACEABILITY_PRODUCT_TTL", 60.0), top),
        _cached(("bottom", record.product_id, record.producer_id, record.status, lang, record.registry_version,
                 local_today()),
                getattr(settings, "TRACEABILITY_PRODUCT_TTL", 60.0), bottom),
    )


def _sales_points(product) -> list:
    return where_to_buy.sales_points_stocking(product)


# Per-request values are spliced into a cached page at these markers (control characters never escaped
# by templates and never present in our data).
_SERIAL, _REF, _CSRF, _NEXT, _HISTORY = (f"\x1a{name}\x1a" for name in ("S", "R", "C", "N", "H"))
_pages: dict[tuple, tuple[float, str]] = {}


def _scan_page(request, record, *, today, ref: str, serial: str):
    """The scan page: cached per product, lot, live status and language, with the item's fields spliced in.

    The cache key holds the status and the certificate as read from the database on this request, so a
    registry change selects another entry at once; the TTL (about a second) only bounds the staleness of
    the descriptive parts (other products, sales points).
    """
    status = record.status if record else Status.UNKNOWN
    lang = translation.get_language()
    key = None
    if record is not None:
        key = (record.product_id, record.product_version, record.producer_version, record.lot_id, status,
               record.certificate, lang)
    now = time.monotonic()
    hit = _pages.get(key) if key else None
    if hit and hit[0] > now:
        page = hit[1]
    else:
        fragment = _product_fragment(record) if record else ("", "")
        context = {
            "status": status,
            "status_label": Status.LABELS[status],
            "record": record,
            "serial": _SERIAL,
            "certificate": record.certificate if record else None,
            "product_html": mark_safe(fragment[0]),  # noqa: S308 - rendered from our template
        "links_html": mark_safe(fragment[1]),  # noqa: S308 - rendered from our template
            "history_html": _HISTORY,
            "ref": _REF,
            "csrf_token": _CSRF,
            "next_path": _NEXT,
            "LANGUAGE_CODE": lang,
        }
        page = render_to_string("traceability/scan.html", context)
        if key:
            if len(_pages) > 5000:
                _pages.clear()
            _pages[key] = (now + getattr(settings, "TRACEABILITY_FRAGMENT_TTL", 1.0), page)
    shown = display_serial(record.serial) if record else serial[:32]
    page = (
        page.replace(_SERIAL, escape(shown))
        .replace(_REF, ref)
        .replace(_CSRF, get_token(request))
        .replace(_NEXT, escape(request.get_full_path()))
        .replace(_HISTORY, _history_html(record) if record else "")
    )
    response = HttpResponse(page, status=200 if record else 404)
    add_never_cache_headers(response)  # private (CSRF token, scan ref), and the status must be fresh
    response["Vary"] = "Accept, Accept-Language, Cookie"
    return response


def _history_html(record) -> str:
    if not record.last_events:
        return ""
    # Items issued in one batch share their commissioning event: the rendered steps repeat a lot.
    return _render_history(json.dumps(record.last_events), translation.get_language())


@functools.lru_cache(maxsize=4096)
def _render_history(last_events_json: str, lang: str) -> str:
    steps = services.history_steps(json.loads(last_events_json))
    rows = []
    for attribute, label in (("back", gettext("One step back")), ("forward", gettext("One step forward"))):
        step = steps[attribute]
        if step:
            rows.append(format_html(
                "<dt>{}</dt><dd data-step-{}>{} — {} ({})</dd>", label, attribute, step["label"], step["where"],
                date_format(timezone.localtime(step["at"]), "d/m/Y H:i") if step["at"] else "",
            ))
    return format_html('<section id="history"><h2>{}</h2><dl>{}</dl></section>',
                       gettext("Where it has been"), mark_safe("".join(rows)))  # noqa: S308 - format_html parts


@require_POST
def scan_location(request):
    """The visitor agreed (on the page, through the browser's prompt) to share an approximate location."""
    services.record_location(ref=request.POST.get("ref", ""), latitude=request.POST.get("lat"),
                             longitude=request.POST.get("lon"))
    return HttpResponse(status=204)


@require_GET
def resolver_description(request):
    """``/.well-known/gs1resolver``: what this resolver serves (GS1-Conformant Resolver standard)."""
    return JsonResponse({
        "name": "OCOP Đắk Lắk traceability resolver",
        "resolverRoot": base_url(),
        "supportedPrimaryKeys": ["01"],
        "linkTypeDefaultCanBeLinkset": False,
        "supportedLinkType": [
            {"namespace": GS1_VOC, "prefix": "gs1:", "profile": f"{GS1_VOC}{kind}"} for kind in LINK_TYPES
        ] + [{"namespace": GS1_VOC, "prefix": "gs1:", "profile": f"{GS1_VOC}defaultLink"}],
        "supportedContextValuesEnumerated": ["vi", "en"],
        "shortUriPattern": f"{base_url()}/q/{{serial}}",
    })


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
