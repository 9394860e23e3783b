import datetime
import json

import pytest
from django.utils import timezone

from traceability import capture_tokens
from traceability.epcis import producer_location, sales_point_location
from traceability.identifiers import item_path, uri_of
from traceability.models import EpcisEvent

AIRPORT = sales_point_location("bmt-airport")


@pytest.fixture
def token(item):
    """The key of a token of the item's producer (which ships it)."""
    return capture_tokens.issue(name="HTX Cà phê — kho", producer=item.lot.product.producer, actor=None)[1]


@pytest.fixture
def till_token(sales_point):
    """The key of the airport point's till."""
    return capture_tokens.issue(name="Quầy OCOP sân bay BMT", sales_point_id=sales_point.pk, actor=None)[1]


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
        "bizLocation": {"id": producer_location(item.lot.product.producer_id)},
        "destinationList": [{"type": "owning_party", "destination": AIRPORT}],
    }
    event.update(overrides)
    return event


def capture(client, body, key):
    return client.post(
        "/trace/epcis/capture",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def document(*events):
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-20T09:00:00+07:00",
        "epcisBody": {"eventList": list(events)},
    }


def test_a_token_holder_captures_a_shipping_event(client, item, token):
    response = capture(client, document(shipping(item, eventID="urn:uuid:1")), token)

    assert response.status_code == 201 and response.json()["captured"] == ["urn:uuid:1"]
    event = EpcisEvent.objects.get(event_id="urn:uuid:1")
    assert (event.biz_step, event.destination, list(event.items.all())) == ("shipping", AIRPORT, [item])


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

    response = capture(client, document(good, *bad), token)

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
    malformed = client.post(
        "/trace/epcis/capture", data="{oops", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    capture(client, shipping(item, eventID="urn:uuid:dup"), token)
    duplicate = capture(client, shipping(item, eventID="urn:uuid:dup"), token)

    assert malformed.status_code == 400 and malformed.json()["errors"][0]["code"] == "invalid_json"
    assert duplicate.status_code == 400 and duplicate.json()["errors"][0]["code"] == "duplicate_event"


def test_query_by_item_and_by_lot_returns_epcis_documents(client, item, token):
    capture(client, shipping(item, eventID="urn:uuid:ship"), token)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

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


def test_scan_page_shows_one_step_back_and_forward_by_name(client, item, token, till_token, certify, sales_point):
    certify(item.lot.product)
    here = producer_location(item.lot.product.producer_id)
    assert capture(client, shipping(item), token).status_code == 201
    received = capture(
        client,
        shipping(
            item,
            bizStep="receiving",
            eventTime=soon(2),
            bizLocation={"id": AIRPORT},
            sourceList=[{"type": "owning_party", "source": here}],
            destinationList=[],
        ),
        till_token,
    )
    assert received.status_code == 201
    lot = item.lot

    page = client.get(
        item_path(gtin=lot.product.gtin, lot=lot.number, serial=item.serial, expires_on=lot.expires_on)
    ).content.decode()

    back = page.split("data-step-back>")[1].split("</dd>")[0]
    forward = page.split("data-step-forward>")[1].split("</dd>")[0]
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert back == f"Shipped from {item.lot.product.producer.name}, {today}"
    assert forward == f"Received at {sales_point.name}, {today}"
    assert "urn:" not in page  # the events keep their URNs; the page names places and parties


def test_staff_issue_a_till_token_in_the_admin_shown_once_and_revoke_it(admin_client, item, sales_point):
    from django.test import Client

    from traceability.models import CaptureToken

    form = admin_client.get("/admin/traceability/capturetoken/add/").content.decode()
    assert sales_point.name in form  # the points to choose from
    neither = admin_client.post("/admin/traceability/capturetoken/add/", {"name": "Quầy"})
    issued = admin_client.post(
        "/admin/traceability/capturetoken/add/", {"name": "Quầy sân bay", "sales_point": sales_point.pk}, follow=True
    )
    key = [str(m) for m in issued.context["messages"]][0].rsplit(": ", 1)[1]
    token = CaptureToken.objects.get()
    till = Client()

    assert neither.status_code == 200 and "exactly one" in neither.content.decode()
    assert (token.sales_point_id, token.producer_id, token.created_by.is_superuser) == (sales_point.pk, None, True)
    assert key not in issued.content.decode().replace(f"copy it now): {key}", "")  # shown in the message only
    sales_point.assortment.create(product=item.lot.product)
    received = capture(till, shipping(item, bizStep="receiving", bizLocation={"id": AIRPORT}, destinationList=[]), key)
    assert received.status_code == 201, received.content

    admin_client.post("/admin/traceability/capturetoken/", {"action": "revoke", "_selected_action": [token.pk]})

    token.refresh_from_db()
    assert not token.active and token.revoked_at is not None
    assert (
        capture(
            till, shipping(item, bizStep="receiving", bizLocation={"id": AIRPORT}, destinationList=[]), key
        ).status_code
        == 403
    )
