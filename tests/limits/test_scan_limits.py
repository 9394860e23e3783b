"""The scan log cannot fill Redis (issue #14): the queue of scans is capped, scans beyond the cap are dropped
and counted (the page still answers), and a scan URL no label could carry is a 400, never a database error."""

import json
import logging

import pytest

from traceability import services
from traceability.models import ScanEvent
from traceability.services import scans

pytestmark = pytest.mark.django_db


def test_scans_beyond_the_cap_are_dropped_and_counted_while_the_page_still_answers(
    client, item, scan_queue, settings, caplog
):
    settings.TRACEABILITY_SCAN_QUEUE_MAX = 5
    answers = [client.get(f"/q/{item.serial}").status_code for _ in range(8)]
    unknown = client.get("/q/ZZZZZZZZZZZZZZZZ").status_code

    assert answers == [200] * 8 and unknown == 404
    assert scan_queue.llen(services.SCAN_QUEUE_KEY) == 5
    assert int(scan_queue.get(services.SCAN_DROPPED_KEY)) == 4

    with caplog.at_level(logging.WARNING, logger="traceability.services"):
        inserted = services.ingest_scans()

    assert inserted == 5 and ScanEvent.objects.count() == 5
    assert "Scan queue full: 4 scans were not logged" in caplog.text
    assert scan_queue.get(services.SCAN_DROPPED_KEY) is None  # counted once, reset by the ingest
    client.get(f"/q/{item.serial}")
    assert scan_queue.llen(services.SCAN_QUEUE_KEY) == 1  # room again


def test_a_batch_larger_than_the_room_left_is_cut_at_the_cap(scan_queue, settings):
    settings.TRACEABILITY_SCAN_QUEUE_MAX = 3
    scans._push([json.dumps({"t": 1.7e9, "s": f"S{n}", "ref": str(n)}) for n in range(5)])

    queued = [json.loads(entry)["s"] for entry in scan_queue.lrange(services.SCAN_QUEUE_KEY, 0, -1)]
    assert queued == ["S0", "S1", "S2"] and int(scan_queue.get(services.SCAN_DROPPED_KEY)) == 2


@pytest.mark.parametrize(
    "path", ["/q/%00", "/q/AB%00CD", "/q/" + "A" * 65, "/q/%1B%5B31m", "/01/09506000134352/21/AB%00CD"]
)
def test_a_scan_url_no_label_could_carry_is_a_clear_400_and_logs_nothing(client, scan_queue, path):
    response = client.get(path)

    assert response.status_code == 400
    assert "This is not a product code" in response.content.decode()
    assert scan_queue.llen(services.SCAN_QUEUE_KEY) == 0


def test_the_400_is_vietnamese_for_vietnamese_visitors(client, scan_queue):
    response = client.get("/q/%00", HTTP_ACCEPT_LANGUAGE="vi")

    assert response.status_code == 400 and "Đây không phải là mã sản phẩm" in response.content.decode()


def test_a_user_agent_with_a_nul_byte_does_not_lose_the_batch(client, item, scan_queue):
    client.get(f"/q/{item.serial}", HTTP_USER_AGENT="bad\x00agent")
    client.get(f"/q/{item.serial}", HTTP_USER_AGENT="phone")

    assert services.ingest_scans() == 2
    assert sorted(ScanEvent.objects.values_list("user_agent", flat=True)) == ["badagent", "phone"]
