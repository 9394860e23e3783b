import datetime
import json

import pytest
from django.utils import timezone

from traceability.identifiers import item_path, uri_of
from traceability.models import CaptureToken, EpcisEvent

TOKEN = "sales-point-secret-key"


@pytest.fixture
def token(db):
    return CaptureToken.objects.create(name="Quầy OCOP sân bay BMT", key_hash=CaptureToken.hash(TOKEN))


def soon(minutes=1):
    """Event times just after the items' commissioning (which happened at test time)."""
    return timezone.localtime(timezone.now() + datetime.timedelta(minutes=minutes)).isoformat()


def shipping(item, **overrides):
    event = {
        "type": "ObjectEvent",
        "eventTime": soon(1),
        "eventTimeZoneOffset": "+07:00",
        "epcList": [uri_of(item)],
        "action": "OBSERVE",
        "bizStep": "https://ref.gs1.org/cbv/BizStep-shipping",
        "bizLocation": {"id": "urn:ocop-daklak:producer:1"},
        "destinationList": [{"type": "owning_party", "destination": "urn:ocop-daklak:sp:BMT-AIRPORT"}],
    }
    event.update(overrides)
    return event


def capture(client, body, key=TOKEN):
    return client.post("/trace/epcis/capture", data=json.dumps(body), content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {key}")


def document(*events):
    return {"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
            "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-11-20T09:00:00+07:00",
            "epcisBody": {"eventList": list(events)}}


def test_a_token_holder_captures_a_shipping_event(client, item, token):
    response = capture(client, document(shipping(item, eventID="urn:uuid:1")))

    assert response.status_code == 201 and response.json()["captured"] == ["urn:uuid:1"]
    event = EpcisEvent.objects.get(event_id="urn:uuid:1")
    assert (event.biz_step, event.destination, list(event.items.all())) == (
        "shipping", "urn:ocop-daklak:sp:BMT-AIRPORT", [item])


def test_capture_refuses_without_credentials(client, item):
    assert capture(client, shipping(item), key="wrong").status_code == 403
    response = client.post("/trace/epcis/capture", data=json.dumps(shipping(item)), content_type="application/json")
    assert response.status_code == 403


def test_staff_need_the_add_permission(client, item, trace_staff):
    client.force_login(trace_staff("view_epcisevent"))
    refused = client.post("/trace/epcis/capture", data=json.dumps(shipping(item)), content_type="application/json")

    client.force_login(trace_staff("add_epcisevent", username="capturer"))
    accepted = client.post("/trace/epcis/capture", data=json.dumps(shipping(item)), content_type="application/json")

    assert (refused.status_code, accepted.status_code) == (403, 201)


def test_bad_events_are_refused_with_every_error_named_and_nothing_stored(client, item, token):
    good = shipping(item)
    bad = [
        shipping(item, type="AggregationEvent"),
        shipping(item, bizStep="dancing"),
        shipping(item, eventTime="2026-11-20T09:00:00"),
        shipping(item, epcList=["https://x.vn/q/ZZZZZZZZZZZZZZZZ"]),
        shipping(item, epcList=["not a uri"]),
        shipping(item, action="MOVE"),
    ]

    response = capture(client, document(good, *bad))

    assert response.status_code == 400
    errors = {(e["event"], e["field"], e["code"]) for e in response.json()["errors"]}
    assert errors == {
        (1, "type", "unsupported_event_type"),
        (2, "bizStep", "unsupported_biz_step"),
        (3, "eventTime", "invalid_time"),
        (4, "epcList", "unknown_epc"),
        (5, "epcList[0]", "invalid"),
        (6, "action", "invalid_action"),
    }
    assert all(e["message"] for e in response.json()["errors"])
    assert not EpcisEvent.objects.exclude(biz_step="commissioning").exists()


def test_malformed_json_and_duplicates_are_refused(client, item, token):
    malformed = client.post("/trace/epcis/capture", data="{oops", content_type="application/json",
                            HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    capture(client, shipping(item, eventID="urn:uuid:dup"))
    duplicate = capture(client, shipping(item, eventID="urn:uuid:dup"))

    assert malformed.status_code == 400 and malformed.json()["errors"][0]["code"] == "invalid_json"
    assert duplicate.status_code == 400 and duplicate.json()["errors"][0]["code"] == "duplicate_event"


def test_query_by_item_and_by_lot_returns_epcis_documents(client, item, token):
    capture(client, shipping(item, eventID="urn:uuid:ship"))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}

    by_item = client.get("/trace/epcis/events", {"item": uri_of(item)}, **auth).json()
    by_serial = client.get("/trace/epcis/events", {"item": item.serial}, **auth).json()
    by_lot = client.get("/trace/epcis/events", {"lot": item.lot_id}, **auth).json()
    missing = client.get("/trace/epcis/events", **auth)

    steps = [e["bizStep"] for e in by_item["epcisBody"]["eventList"]]
    assert by_item["type"] == "EPCISDocument" and steps == ["commissioning", "https://ref.gs1.org/cbv/BizStep-shipping"]
    assert by_serial == by_item | {"creationDate": by_serial["creationDate"]}
    assert len(by_lot["epcisBody"]["eventList"]) == 2
    assert missing.status_code == 400
    assert client.get("/trace/epcis/events", {"lot": item.lot_id}).status_code == 403


def test_scan_page_shows_one_step_back_and_forward(client, item, token, certify):
    certify(item.lot.product)
    capture(client, shipping(item))
    capture(client, shipping(item, bizStep="receiving", eventTime=soon(2),
                             bizLocation={"id": "urn:ocop-daklak:sp:BMT-AIRPORT"},
                             sourceList=[{"type": "owning_party", "source": "urn:ocop-daklak:producer:1"}],
                             destinationList=[]))
    lot = item.lot

    page = client.get(item_path(gtin=lot.product.gtin, lot=lot.number, serial=item.serial,
                                expires_on=lot.expires_on)).content.decode()

    back = page.split("data-step-back>")[1].split("</dd>")[0]
    forward = page.split("data-step-forward>")[1].split("</dd>")[0]
    assert "urn:ocop-daklak:producer:1" in back
    assert "urn:ocop-daklak:sp:BMT-AIRPORT" in forward
