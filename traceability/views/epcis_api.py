"""The EPCIS 2.0 endpoints: capture (a partner's capture token or a staff session) and the events query."""

import json

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from catalog import permissions
from traceability import capture_tokens, epcis, services, visibility
from traceability.capture_tokens import Party
from traceability.error_codes import TraceabilityErrorCode
from traceability.identifiers import normalise_serial, parse_item_uri
from traceability.models import Item, Lot


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
        status, "SecurityException"
    )
    return JsonResponse({"type": f"epcisException:{kind}", "errors": errors}, status=status)


@csrf_exempt  # JSON only (a cross-site form cannot send it) and authenticated by token or staff session
@require_POST
def epcis_capture(request):
    try:
        actor, party = _epcis_caller(request, "traceability.add_epcisevent")
    except PermissionDenied as exc:
        return _epcis_error(403, [{"code": "forbidden", "message": str(exc)}])
    if request.content_type not in ("application/json", "application/ld+json"):
        return _epcis_error(
            415, [{"code": "unsupported_media_type", "message": "Send application/json or application/ld+json."}]
        )
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
