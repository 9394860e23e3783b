"""Sales across every channel and the consolidated report for the People's Committee, checked against figures
computed by hand from the data set up here (year 2026).

By hand:
- certificates: "Cà phê bột" 4★ (2025) → 5★ on 10/03/2026 (upgraded); "Mật ong" 3★ on 01/02/2026 (new);
  "Cà phê hạt" 4★ (2023) → 4★ on 01/05/2026 (retained); "Tiêu đen" 3★ on 01/04/2026 (new), revoked 15/06/2026.
  On 31/12/2026: 3★ 1, 4★ 1, 5★ 1 (3 certified); producers: cooperative 1, household 1.
- sales: store 2 × 150.000 (paid 05/03) + a cancelled store order; Shopee 3 × 140.000 (02/04) + a cancelled
  order; the airport point 10 for 1.500.000 (05/2026); the coffee festival 20 for 3.000.000 (ends 22/06).
  All channels: 35 items, 5.220.000 ₫. A 2025 sale is outside the year.
- events: one festival, 2 applications, 1 selected, 3.000.000 ₫ and 5 contacts reported.
- pipeline: 2 potential products recorded in 2026 (one still potential, one dropped); one of 2025.
- reports: the second quarter asked 2 communes, 1 answered.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from catalog import services as registry
from catalog.models import Level, Product, ProductGroup
from catalog.programme.models import (
    CommuneReport,
    Event,
    EventSale,
    Participation,
    PotentialProduct,
    ReportingPeriod,
)
from integrations.channel_sales import consolidated, sales
from integrations.channel_sales import services as channel_services
from integrations.channel_sales.consolidated import Period
from integrations.marketplaces.adapters.base import PulledLine, PulledOrder
from integrations.models import SalesReport
from storefront.saleor_app.models import SaleorInstance, SaleorOrder

pytestmark = pytest.mark.django_db
YEAR = Period.of(2026)


def _local(day: datetime.date, hour=10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def world(
    product,
    other_product,
    producer,
    other_producer,
    coffee_group,
    certify,
    office_user,
    commune,
    other_commune,
    sales_point,
    make_destination,
    offer_for,
):
    beans = Product.objects.create(producer=producer, name_vi="Cà phê hạt", group=coffee_group)
    pepper = Product.objects.create(producer=other_producer, name_vi="Tiêu đen", group=coffee_group)
    certify(product, stars=4, signed_on=datetime.date(2025, 9, 1))
    certify(product, stars=5, signed_on=datetime.date(2026, 3, 10))
    certify(other_product, stars=3, signed_on=datetime.date(2026, 2, 1))
    certify(beans, stars=4, signed_on=datetime.date(2023, 5, 1))
    certify(beans, stars=4, signed_on=datetime.date(2026, 5, 1))
    revoked = certify(pepper, stars=3, signed_on=datetime.date(2026, 4, 1))
    registry.revoke_certificates(
        number="9/QĐ-THU-HOI",
        signed_on=datetime.date(2026, 6, 15),
        authority_level=Level.PROVINCE,
        authority_name="UBND tỉnh Đắk Lắk",
        reason="Vi phạm",
        certificates=[revoked],
        actor=office_user,
    )

    instance = SaleorInstance.objects.create(api_url="https://saleor.test/graphql/")
    for number, status, paid in (
        ("1001", SaleorOrder.Status.PAID, datetime.date(2026, 3, 5)),
        ("1002", SaleorOrder.Status.CANCELLED, datetime.date(2026, 3, 6)),
        ("0999", SaleorOrder.Status.PAID, datetime.date(2025, 12, 30)),
    ):
        order = SaleorOrder.objects.create(
            instance=instance,
            saleor_id=f"T3JkZXI6{number}",
            number=number,
            status=status,
            paid_at=_local(paid),
            total=Decimal(300000),
            currency="VND",
        )
        order.lines.create(product=product, quantity=2, unit_price=Decimal(150000), currency="VND")
    listing = offer_for(product)
    shopee = make_destination("shopee", "https://shopee.test")
    channel_services.record_orders(
        shopee,
        [
            PulledOrder(
                "S1",
                "COMPLETED",
                False,
                _local(datetime.date(2026, 4, 2)),
                (PulledLine(listing.sku, 3, Decimal(140000)),),
            ),
            PulledOrder(
                "S2",
                "CANCELLED",
                True,
                _local(datetime.date(2026, 4, 3)),
                (PulledLine(listing.sku, 1, Decimal(140000)),),
            ),
        ],
    )
    SalesReport.objects.create(
        point=sales_point,
        product=product,
        month=datetime.date(2026, 5, 1),
        quantity_sold=10,
        revenue=Decimal(1500000),
        closing_stock=4,
    )
    festival = Event.objects.create(
        name_vi="Lễ hội Cà phê Buôn Ma Thuột",
        kind=Event.Kind.FESTIVAL,
        level=Event.Level.NATIONAL,
        organiser="UBND tỉnh",
        place="Buôn Ma Thuột",
        starts_on=datetime.date(2026, 6, 20),
        ends_on=datetime.date(2026, 6, 22),
        status=Event.Status.SELECTED,
    )
    selected = Participation.objects.create(
        event=festival, producer=producer, booth="A1", contacts=5, status=Participation.Status.SELECTED
    )
    Participation.objects.create(event=festival, producer=other_producer, status=Participation.Status.NOT_SELECTED)
    EventSale.objects.create(participation=selected, product=product, quantity=20, revenue=Decimal(3000000))

    group = ProductGroup.objects.get(code="1")
    PotentialProduct.objects.create(
        commune=commune, holder="Hộ A", idea="Cà phê chồn", group=group, recorded_on=datetime.date(2026, 3, 1)
    )
    PotentialProduct.objects.create(
        commune=other_commune,
        holder="Hộ B",
        idea="Mật ong rừng",
        group=group,
        recorded_on=datetime.date(2026, 4, 1),
        dropped=True,
    )
    PotentialProduct.objects.create(
        commune=commune, holder="Hộ C", idea="Rượu", group=group, recorded_on=datetime.date(2025, 4, 1)
    )
    quarter = ReportingPeriod.objects.create(
        kind=ReportingPeriod.Kind.QUARTERLY,
        title="Quý II/2026",
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 6, 30),
        deadline=datetime.date(2026, 7, 10),
    )
    quarter.communes.set([commune, other_commune])
    CommuneReport.objects.create(
        period=quarter,
        commune=commune,
        producers=1,
        certified_products=2,
        new_products=0,
        potential_products=0,
        applications=0,
    )
    return {"product": product}


def test_sales_in_every_channel_in_one_figure_and_one_table(world):
    rows = sales.sales(YEAR.start, YEAR.end, products=Product.objects.all())

    assert sales.total(rows) == (35, Decimal(5220000))
    assert [(c["channel"], c["quantity"], c["revenue"]) for c in sales.by_channel(rows)] == [
        ("store", 2, 300000),
        ("marketplace", 3, 420000),
        ("sales_point", 10, 1500000),
        ("event", 20, 3000000),
    ]
    assert [(r.month, r.channel) for r in rows] == [
        (datetime.date(2026, 3, 1), "store"),
        (datetime.date(2026, 4, 1), "marketplace"),
        (datetime.date(2026, 5, 1), "sales_point"),
        (datetime.date(2026, 6, 1), "event"),
    ]
    assert {r.producer for r in rows} == {"HTX Cà phê Buôn Ma Thuột"}


def test_sales_follow_the_readers_scope(world, other_product, certify):
    none = sales.sales(YEAR.start, YEAR.end, products=Product.objects.filter(pk=other_product.pk))
    assert sales.total(none) == (0, 0)


def test_the_consolidated_report_matches_the_hand_computed_figures(world):
    tables = {table.key: table for table in consolidated.tables(YEAR, products=Product.objects.all())}

    assert tables["products_stars"].rows == [["3★", 1], ["4★", 1], ["5★", 1], ["Total", 3]]
    assert dict(tables["producers_kind"].rows) == {
        "Enterprise": 0,
        "Cooperative": 1,
        "Cooperative group": 0,
        "Registered household business": 1,
    }
    assert [row[1] for row in tables["changes"].rows] == [2, 1, 1, 0, 1]  # new, retained, upgraded, fewer, revoked
    assert [row[0] for row in tables["new"].rows] == ["Mật ong hoa cà phê", "Tiêu đen"]
    assert [row[0] for row in tables["revoked"].rows] == ["Tiêu đen"]
    assert tables["sales_channel"].rows[-1] == ["All channels", 35, Decimal(5220000)]
    assert tables["events"].rows[0][4:] == [2, 1, Decimal(3000000), 5]
    pipeline = dict(tables["pipeline"].rows)
    assert pipeline["Recorded in the period: Potential"] == 1 and pipeline["Recorded in the period: Dropped"] == 1
    assert tables["reporting"].rows == [["Quý II/2026", "10/07/2026", 2, 1, 1]]


def test_the_office_downloads_the_report_as_xlsx_and_pdf_and_others_cannot(world, office_user, producer_user, client):
    client.force_login(office_user)
    workbook = client.get("/dashboards/consolidated/?year=2026&format=xlsx")
    pdf = client.get("/dashboards/consolidated/?year=2026&format=pdf")

    book = load_workbook(io.BytesIO(workbook.content))
    sheet = next(s for s in book.worksheets if s.title.startswith("Sales by channel"))
    assert [c.value for c in list(sheet.iter_rows())[-1]] == ["All channels", 35, 5220000]
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.force_login(producer_user)
    assert client.get("/dashboards/consolidated/?year=2026&format=xlsx").status_code == 403
