"""The producer's dashboard (/portal/): where its products are listed, scans, flagged codes and sales — its own
only (another producer's scans and sales are never counted) — and the follow-up of approved listing changes."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Product
from integrations import handlers
from integrations.models import Assortment, DestinationDelivery, ListingState, SalesReport
from ocop.outbox.models import OutboxEvent
from storefront import services as store_services
from storefront.events import LISTING_CHANGE_APPLIED
from storefront.saleor_app.models import SaleorInstance, SaleorOrder, SaleorOrderLine
from storefront.tests.fixtures import list_in_store
from traceability import services as trace_services
from traceability.models import ScanEvent, SerialFlag

ZONE = timezone.get_default_timezone()


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=ZONE)


@pytest.fixture
def two_producers(certified_product, other_product, certify, office_user, issue, sales_point, make_destination):
    """Both producers: certified, in the store, on a marketplace, at a sales point, scanned, flagged and sold."""
    certify(other_product, stars=3)
    other_product.refresh_from_db()
    list_in_store(certified_product, "120000")
    list_in_store(other_product, "250000")
    shop = make_destination("shopee", "http://127.0.0.1:9", name="Shopee OCOP Đắk Lắk")
    for product in (certified_product, other_product):
        ListingState.objects.create(destination=shop, product=product, listed=True, external_id=f"X{product.pk}")
        Assortment.objects.create(point=sales_point, product=product)
    lots = {}
    for product, number in ((certified_product, "CF-1"), (other_product, "MO-1")):
        lots[product.pk] = trace_services.create_lot(
            product=product, number=number, produced_on=datetime.date(2026, 9, 1), quantity=50, actor=office_user
        )
    mine, theirs = issue(lots[certified_product.pk], 2), issue(lots[other_product.pk], 2)
    ScanEvent.objects.bulk_create(
        [
            ScanEvent(item=mine[0], serial=mine[0].serial, scanned_at=at(2026, 11, 28), sales_point_code="bmt-airport"),
            ScanEvent(
                item=mine[0],
                serial=mine[0].serial,
                scanned_at=at(2026, 11, 29),
                latitude=Decimal("12.7"),
                longitude=Decimal("108.0"),
            ),
            ScanEvent(
                item=mine[1],
                serial=mine[1].serial,
                scanned_at=at(2026, 10, 3),
                latitude=Decimal("10.8"),
                longitude=Decimal("106.7"),
            ),
            ScanEvent(item=mine[1], serial=mine[1].serial, scanned_at=at(2025, 12, 31)),  # another year
            *[
                ScanEvent(
                    item=theirs[0], serial=theirs[0].serial, scanned_at=at(2026, 11, 28), sales_point_code="bmt-airport"
                )
                for _ in range(5)
            ],
            ScanEvent(item=None, serial="UNKNOWN", scanned_at=at(2026, 11, 28)),
        ]
    )
    SerialFlag.objects.create(item=mine[0], reason=SerialFlag.Reason.FAR_APART, detail="350 km in 20 min")
    SerialFlag.objects.create(item=theirs[0], reason=SerialFlag.Reason.OVER_SCANNED, detail="40 scans")
    instance = SaleorInstance.objects.create(api_url="http://127.0.0.1:9/graphql/", token_encrypted="-")
    for number, product, status, quantity in (
        ("1", certified_product, "paid", 2),
        ("2", certified_product, "cancelled", 7),
        ("3", other_product, "paid", 9),
    ):
        order = SaleorOrder.objects.create(
            instance=instance, saleor_id=f"O{number}", number=number, status=status, paid_at=at(2026, 11, 2)
        )
        SaleorOrderLine.objects.create(
            order=order, product=product, quantity=quantity, unit_price=Decimal("120000"), currency="VND"
        )
    for product, quantity, revenue in ((certified_product, 5, 600000), (other_product, 11, 2750000)):
        SalesReport.objects.create(
            point=sales_point,
            product=product,
            month=datetime.date(2026, 11, 1),
            quantity_sold=quantity,
            revenue=Decimal(revenue),
            closing_stock=3,
        )
    return {"mine": certified_product, "theirs": other_product, "shop": shop, "point": sales_point}


def dashboard(client, user, year=2026):
    client.force_login(user)
    response = client.get(f"/portal/?year={year}")
    assert response.status_code == 200
    return response, {table.key: table for table in response.context["tables"]}


def test_the_dashboard_shows_where_the_producers_products_are_listed(client, producer_user, two_producers):
    _response, tables = dashboard(client, producer_user)

    (row,) = tables["products"].rows
    assert row[0] == two_producers["mine"].name_vi
    assert row[3].startswith("listed, 120.000 ₫")  # Vietnamese money format in every language
    assert row[4] == "Shopee OCOP Đắk Lắk" and row[5] == two_producers["point"].name


def test_scans_are_counted_by_month_day_and_place_for_the_producers_codes_only(
    client,
    producer_user,
    two_producers,
):
    response, tables = dashboard(client, producer_user)

    months = dict(tables["scans_month"].rows)
    assert (months["10/2026"], months["11/2026"], sum(months.values())) == (1, 2, 3)
    days = dict(tables["scans_day"].rows)
    assert (days["28/11/2026"], days["29/11/2026"], sum(days.values())) == (1, 1, 2)
    assert tables["scans_point"].rows == [[two_producers["point"].name, 1], ["—", 2]]
    assert sorted(tables["scans_place"].rows) == [["10.8, 106.7", 1], ["12.7, 108.0", 1]]
    assert response.context["summary"]["scans"] == 3
    monthly = tables["scans_month"].chart.spec()  # the monthly chart (drawn by Chart.js from this spec)
    assert dict(zip(monthly["labels"], monthly["values"], strict=True))["11/2026"] == 2
    assert 'id="chart-data-scans_month"' in response.content.decode()


def test_flagged_codes_and_sales_are_the_producers_own(client, producer_user, two_producers):
    response, tables = dashboard(client, producer_user)

    assert [row[1] for row in tables["flags"].rows] == [two_producers["mine"].name_vi]
    november = {row[0]: row[1:] for row in tables["sales_month"].rows}["11/2026"]
    assert november == [2, Decimal("240000"), 5, Decimal("600000")]  # the cancelled order is not a sale
    assert tables["sales_point"].rows == [[two_producers["point"].name, 5, Decimal("600000")]]
    assert response.context["summary"]["revenue"] == Decimal("840000")
    page = response.content.decode()
    assert two_producers["theirs"].name_vi not in page


def test_the_other_producer_sees_its_own_figures(client, other_producer_user, two_producers):
    response, tables = dashboard(client, other_producer_user)

    assert response.context["summary"]["scans"] == 5
    assert [row[1] for row in tables["flags"].rows] == [two_producers["theirs"].name_vi]
    assert response.context["summary"]["revenue"] == Decimal("9") * 120000 + 2750000


def test_the_dashboard_needs_a_producer_account_and_exports_to_xlsx(client, office_user, producer_user, two_producers):
    assert client.get("/portal/")["Location"].startswith("/portal/applications/login/")
    client.force_login(office_user)
    assert client.get("/portal/").status_code == 403
    client.force_login(producer_user)
    export = client.get("/portal/?year=2026&format=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert export.content[:2] == b"PK"


def test_an_approved_price_change_reaches_marketplaces_and_sales_points(
    producer_user,
    office_user,
    two_producers,
    monkeypatch,
):
    monkeypatch.setattr("ocop.outbox.services._kick_drain", lambda: None)
    mine = two_producers["mine"]
    change = store_services.propose_change(
        producer=mine.producer, product=mine, actor=producer_user, price=Decimal("130000"), story_vi="Câu chuyện mới"
    )
    store_services.approve_change(change=change, actor=office_user)
    event = OutboxEvent.objects.get(topic=LISTING_CHANGE_APPLIED)

    handlers.on_listing_change_applied(event)
    handlers.on_listing_change_applied(event)  # a repeated delivery plans nothing more

    deliveries = DestinationDelivery.objects.filter(product=mine, destination=two_producers["shop"])
    assert sorted(deliveries.values_list("action", "cause")) == [
        (DestinationDelivery.Action.STOCK_PRICE, f"listing-change:{change.pk}:offer"),
        (DestinationDelivery.Action.SYNC, f"listing-change:{change.pk}:content"),
    ]
    assert OutboxEvent.objects.filter(
        topic="integrations.sales_point_changed", payload={"point_id": two_producers["point"].pk}
    ).exists()


def test_the_dashboard_query_count_does_not_grow_with_products_or_scans(
    client, producer_user, two_producers, certify, issue, office_user
):
    client.force_login(producer_user)
    with CaptureQueriesContext(connection) as before:
        first = client.get("/portal/?year=2026")
    assert first.status_code == 200
    scans_before = first.context["summary"]["scans"]
    for n in range(3):
        extra = Product.objects.create(
            producer=two_producers["mine"].producer, name_vi=f"Sản phẩm {n}", group=two_producers["mine"].group
        )
        certify(extra)
        lot = trace_services.create_lot(
            product=extra, number=f"X-{n}", produced_on=datetime.date(2026, 9, 1), quantity=5, actor=office_user
        )
        (item,) = issue(lot, 1)
        ScanEvent.objects.create(item=item, serial=item.serial, scanned_at=at(2026, 11, 20))
    with CaptureQueriesContext(connection) as after:
        response = client.get("/portal/?year=2026")

    assert response.status_code == 200
    assert response.context["summary"]["scans"] == scans_before + 3 == 6  # the new scans are counted…
    assert len(after) == len(before)  # …for the same number of queries


def test_every_portal_page_of_a_producer_links_the_whole_portal(client, producer_user):
    from django.urls import reverse

    client.force_login(producer_user)
    for page in ("applications:list", "producer_portal:home", "producer_lots:list", "listings:mine"):
        html = client.get(reverse(page)).content.decode()
        assert all(
            reverse(target) in html
            for target in ("producer_portal:home", "applications:list", "producer_lots:list", "listings:mine")
        ), page
