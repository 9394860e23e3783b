"""EPCIS 2.0 JSON-LD: building the events we emit and validating the ones partners capture.

We accept ObjectEvents with the CBV business steps of our supply chain (commissioning, shipping,
receiving, retail_selling); EPCs are item URIs (GS1 Digital Link or our short URIs). Every refusal
names the event (by index), the field, a code and a readable message.
"""

import dataclasses
import datetime
import uuid

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from .error_codes import TraceabilityErrorCode as Code
from .identifiers import parse_item_uri

CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
CBV_BIZSTEP = "https://ref.gs1.org/cbv/BizStep-"
ACTIONS = {"ADD", "OBSERVE", "DELETE"}
BIZ_STEPS = {"commissioning", "shipping", "receiving", "retail_selling"}
MAX_EPCS = 100_000


def producer_location(producer_id: int) -> str:
    return f"urn:ocop-daklak:producer:{producer_id}"


def sales_point_location(code: str) -> str:
    return f"urn:ocop-daklak:sp:{code}"


def time_zone_offset(moment: datetime.datetime) -> str:
    offset = timezone.localtime(moment).strftime("%z")
    return f"{offset[:3]}:{offset[3:]}"


def commissioning_event(*, epcs: list[str], lot, producer_id: int, at: datetime.datetime) -> dict:
    ilmd = {"cbvmda:lotNumber": lot.number}
    if lot.expires_on:
        ilmd["cbvmda:itemExpirationDate"] = lot.expires_on.isoformat()
    return {
        "type": "ObjectEvent",
        "eventID": f"urn:uuid:{uuid.uuid4()}",
        "eventTime": timezone.localtime(at).isoformat(),
        "eventTimeZoneOffset": time_zone_offset(at),
        "epcList": epcs,
        "action": "ADD",
        "bizStep": "commissioning",
        "disposition": "active",
        "readPoint": {"id": producer_location(producer_id)},
        "bizLocation": {"id": producer_location(producer_id)},
        "ilmd": ilmd,
    }


def document(events: list[dict]) -> dict:
    """An EPCISDocument (or a query result body) wrapping events."""
    return {
        "@context": [CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.now().isoformat(),
        "epcisBody": {"eventList": events},
    }


@dataclasses.dataclass
class CheckedEvent:
    index: int
    event_id: str
    action: str
    biz_step: str
    event_time: datetime.datetime
    biz_location: str
    source: str
    destination: str
    serials: list[str]
    data: dict


class EventErrors(Exception):
    def __init__(self, errors: list[dict]):
        super().__init__(f"{len(errors)} invalid event(s)")
        self.errors = errors


def _error(index, field, code: Code, message: str) -> dict:
    return {"event": index, "field": field, "code": code.value, "message": message}


def events_of(body) -> list:
    """The event list of an EPCISDocument, or a single event, or a bare list."""
    if isinstance(body, list):
        return body
    if isinstance(body, dict) and body.get("type") == "EPCISDocument":
        event_list = (body.get("epcisBody") or {}).get("eventList")
        if not isinstance(event_list, list):
            raise EventErrors(
                [
                    _error(
                        None,
                        "epcisBody.eventList",
                        Code.REQUIRED,
                        _("An EPCISDocument needs epcisBody.eventList (a list of events)."),
                    )
                ]
            )
        return event_list
    if isinstance(body, dict):
        return [body]
    raise EventErrors([_error(None, "", Code.INVALID_JSON, _("Send an EPCISDocument or an event object."))])


def _location_id(value) -> str:
    if isinstance(value, dict):
        return str(value.get("id", ""))
    return ""


def _first_id(entries) -> str:
    if isinstance(entries, list) and entries and isinstance(entries[0], dict):
        return str(entries[0].get("source") or entries[0].get("destination") or "")
    return ""


def check(raw_events: list) -> tuple[list[CheckedEvent], list[dict]]:
    """Validate the form of every event: the events that passed, and the errors of those that did not."""
    errors: list[dict] = []
    checked: list[CheckedEvent] = []
    if not raw_events:
        raise EventErrors([_error(None, "eventList", Code.REQUIRED, _("There are no events to capture."))])
    for index, event in enumerate(raw_events):
        before = len(errors)
        if not isinstance(event, dict):
            errors.append(_error(index, "", Code.INVALID, _("An event must be a JSON object.")))
            continue
        if event.get("type") != "ObjectEvent":
            errors.append(
                _error(
                    index,
                    "type",
                    Code.UNSUPPORTED_EVENT_TYPE,
                    _("Only ObjectEvent is accepted, not %(type)r.") % {"type": event.get("type")},
                )
            )
        action = event.get("action")
        if action not in ACTIONS:
            errors.append(_error(index, "action", Code.INVALID_ACTION, _("action must be ADD, OBSERVE or DELETE.")))
        biz_step = str(event.get("bizStep") or "")
        biz_step = biz_step.removeprefix(CBV_BIZSTEP).removeprefix("urn:epcglobal:cbv:bizstep:")
        if biz_step not in BIZ_STEPS:
            errors.append(
                _error(
                    index,
                    "bizStep",
                    Code.UNSUPPORTED_BIZ_STEP,
                    _("bizStep must be one of %(steps)s.") % {"steps": ", ".join(sorted(BIZ_STEPS))},
                )
            )
        raw_time = event.get("eventTime")
        event_time = parse_datetime(raw_time) if isinstance(raw_time, str) else None
        if event_time is None or timezone.is_naive(event_time):
            errors.append(
                _error(
                    index,
                    "eventTime",
                    Code.INVALID_TIME,
                    _("eventTime must be an ISO 8601 date-time with a time zone."),
                )
            )
        elif event_time > timezone.now() + datetime.timedelta(minutes=5):
            errors.append(_error(index, "eventTime", Code.INVALID_TIME, _("eventTime is in the future.")))
        offset = event.get("eventTimeZoneOffset")
        if not (isinstance(offset, str) and len(offset) == 6 and offset[0] in "+-" and offset[3] == ":"):
            errors.append(
                _error(index, "eventTimeZoneOffset", Code.INVALID_TIME, _("eventTimeZoneOffset must look like +07:00."))
            )
        epcs = event.get("epcList")
        serials = []
        if not isinstance(epcs, list) or not epcs:
            errors.append(_error(index, "epcList", Code.REQUIRED, _("epcList must list at least one item URI.")))
        elif len(epcs) > MAX_EPCS:
            errors.append(_error(index, "epcList", Code.TOO_MANY, _("Too many EPCs in one event.")))
        else:
            for position, epc in enumerate(epcs):
                key = parse_item_uri(epc) if isinstance(epc, str) else None
                if key is None:
                    errors.append(
                        _error(
                            index,
                            f"epcList[{position}]",
                            Code.INVALID,
                            _("%(epc)r is not an item URI (GS1 Digital Link with a serial, or /q/{serial}).")
                            % {"epc": epc},
                        )
                    )
                else:
                    serials.append(key.serial)
        if len(errors) > before:
            continue
        checked.append(
            CheckedEvent(
                index=index,
                event_id=str(event.get("eventID") or f"urn:uuid:{uuid.uuid4()}"),
                action=action,
                biz_step=biz_step,
                event_time=event_time,
                biz_location=_location_id(event.get("bizLocation")),
                source=_first_id(event.get("sourceList")),
                destination=_first_id(event.get("destinationList")),
                serials=serials,
                data=event,
            )
        )
    return checked, errors


def unknown_epc_error(index: int, serial: str) -> dict:
    return _error(
        index, "epcList", Code.UNKNOWN_EPC, _("No item with serial %(serial)s was issued.") % {"serial": serial}
    )


def mixed_lots_error(index: int) -> dict:
    return _error(index, "epcList", Code.MIXED_LOTS, _("All EPCs of one event must belong to the same lot."))


def duplicate_error(index: int, event_id: str) -> dict:
    return _error(index, "eventID", Code.DUPLICATE_EVENT, _("Event %(id)s was already captured.") % {"id": event_id})


def not_permitted_epc_error(index: int, serial: str) -> dict:
    """For a partner, an item it may not use and an item never issued get this same answer."""
    return _error(
        index,
        "epcList",
        Code.UNKNOWN_EPC,
        _("No item with serial %(serial)s that you may record this event for.") % {"serial": serial},
    )


def forbidden_error(index: int, field: str, message: str) -> dict:
    return _error(index, field, Code.FORBIDDEN, message)
