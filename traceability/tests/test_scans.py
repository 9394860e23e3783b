import datetime
import json

from django.db import connection
from django.test import Client
from django.utils import timezone

from traceability import services
from traceability.models import ScanEvent, SerialFlag


def scan_at(item, minutes_ago, lat=None, lon=None):
    return ScanEvent.objects.create(
        item=item,
        serial=item.serial,
        scanned_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        latitude=lat,
        longitude=lon,
    )


def test_queued_scans_are_inserted_in_bulk_with_a_consented_location(client, item, scan_queue, sales_point):
    client.get(f"/q/{item.serial}?sp=BMT-AIRPORT", HTTP_USER_AGENT="phone")  # the point's code, as printed
    ref = json.loads(scan_queue.lindex(services.SCAN_QUEUE_KEY, 0))["ref"]
    browser = Client(enforce_csrf_checks=True)  # the page's form carries no token: the ref is what it names
    shared = browser.post("/trace/scan-location", {"ref": ref, "lat": "12.66789", "lon": "108.03812"})

    inserted = services.ingest_scans()

    scan = ScanEvent.objects.get()
    assert shared.status_code == 204 and inserted == 1 and scan_queue.llen(services.SCAN_QUEUE_KEY) == 0
    assert (scan.item, scan.sales_point_code, scan.user_agent) == (item, "bmt-airport", "phone")
    assert (str(scan.latitude), str(scan.longitude)) == ("12.7", "108.0")  # coarse: about 11 km


def test_location_given_after_the_scan_was_stored_is_attached(client, item, scan_queue):
    client.get(f"/q/{item.serial}")
    ref = json.loads(scan_queue.lindex(services.SCAN_QUEUE_KEY, 0))["ref"]
    services.ingest_scans()

    client.post("/trace/scan-location", {"ref": ref, "lat": "10.8", "lon": "106.7"})
    services.ingest_scans()

    assert str(ScanEvent.objects.get().latitude) == "10.8"


def test_unknown_codes_are_logged_too(client, db, scan_queue):
    client.get("/q/AAAABBBBCCCCDDDD")

    services.ingest_scans()

    assert ScanEvent.objects.get().item is None


def test_a_serial_scanned_far_apart_within_a_short_time_is_flagged(item):
    scan_at(item, 60, lat=12.7, lon=108.0)  # Buôn Ma Thuột
    scan_at(item, 20, lat=21.0, lon=105.8)  # Hà Nội, 40 minutes later

    services.evaluate_flags({item.pk})

    flag = SerialFlag.objects.get()
    assert (flag.item, flag.reason) == (item, SerialFlag.Reason.FAR_APART)


def test_far_apart_but_days_apart_or_nearby_is_not_flagged(item):
    scan_at(item, 60 * 24 * 3, lat=12.7, lon=108.0)
    scan_at(item, 60, lat=21.0, lon=105.8)  # three days later: a tourist flew home
    scan_at(item, 30, lat=21.1, lon=105.9)  # same city

    services.evaluate_flags({item.pk})

    assert not SerialFlag.objects.exists()


def test_a_serial_scanned_far_more_than_its_peers_is_flagged_once(lot, issue):
    copied, *peers = issue(lot, 6)
    for peer in peers:
        scan_at(peer, 5)
        scan_at(peer, 4)
    for minute in range(25):
        scan_at(copied, minute)

    services.evaluate_flags({copied.pk, peers[0].pk})
    services.evaluate_flags({copied.pk})

    assert list(SerialFlag.objects.values_list("item", "reason")) == [(copied.pk, "over_scanned")]


def test_staff_see_the_flagged_serials_in_the_admin(admin_client, item):
    SerialFlag.objects.create(item=item, reason=SerialFlag.Reason.OVER_SCANNED, detail="40 scans")

    page = admin_client.get("/admin/traceability/serialflag/").content.decode()

    assert item.serial in page and "40 scans" in page


def test_staff_without_permission_cannot_see_flags(client, item, trace_staff):
    client.force_login(trace_staff("view_item"))

    assert client.get("/admin/traceability/serialflag/").status_code == 403


def test_a_scan_of_an_item_gone_since_does_not_lose_the_rest_of_the_batch(client, item, scan_queue):
    client.get(f"/q/{item.serial}", HTTP_USER_AGENT="phone")
    scan_queue.rpush(services.SCAN_QUEUE_KEY, json.dumps({"t": 1.7e9, "i": 999_999_999, "s": "GONE", "ref": "x"}))

    assert services.ingest_scans() == 2
    connection.check_constraints()  # what the commit would check: no scan points at a missing item

    assert {(scan.item_id, scan.serial) for scan in ScanEvent.objects.all()} == {(item.pk, item.serial), (None, "GONE")}
