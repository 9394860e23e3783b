"""Every dashboard figure against values computed by hand from the fixture data below.

Registry (today = 30/11/2026; a certificate is valid 36 months from signing, counted from the next day, so
through the same-numbered day: Civil Code 2015, Art. 147–148):
  P1 Cà phê bột   commune A, group 1: 4★ 01/10/2019 (to 01/10/2022), again 4★ 01/05/2024 (to 01/05/2027)  certified
  P2 Mật ong      commune B, group 1: 4★ 01/06/2020 (to 01/06/2023), never renewed            not certified
  P3 Trà atiso   commune A, group 2: 4★ 31/12/2020, 3★ 20/12/2023 (to 20/12/2026)          certified, 20 days left
  P4 Rượu cần     commune B, group 2: 4★ 01/02/2026                                         certified, new in 2026
  P5 Tiêu đen     commune A, group 1: 3★ 15/03/2026                                         certified, new in 2026
  P6 Cà phê nhân  commune B, group 1: 5★ 15/01/2024 (to 15/01/2027)                         certified, 46 days left
  P7 Ca cao       commune A, group 1: 4★ 01/09/2025, revoked 01/11/2026                      not certified
  Evaluations sent to the central level: P4 twice in 2026 (one product), P6 in 2025; P5 scored 75 in 2026 (not sent).
"""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from catalog import reports
from catalog import services as registry
from catalog.models import Level, Product
from integrations.dashboards import point_figures as point_reports
from integrations.dashboards import tables as dashboards
from integrations.models import (
    FollowUpAction,
    Inspection,
    InspectionFinding,
    ListingState,
    PointCriterion,
    SalesPoint,
    SalesReport,
)
from integrations.salespoints import services

TODAY = datetime.date(2026, 11, 30)
D = datetime.date


@pytest.fixture
def registry_data(producer, other_producer, coffee_group, certify, revoke, office_user):
    from catalog.models import ProductGroup

    drinks = ProductGroup.objects.get(code="2")

    def make(name, producer, group):
        return Product.objects.create(producer=producer, name_vi=name, group=group)

    p = {
        "P1": make("Cà phê bột", producer, coffee_group),
        "P2": make("Mật ong", other_producer, coffee_group),
        "P3": make("Trà atiso", producer, drinks),
        "P4": make("Rượu cần", other_producer, drinks),
        "P5": make("Tiêu đen", producer, coffee_group),
        "P6": make("Cà phê nhân", other_producer, coffee_group),
        "P7": make("Ca cao", producer, coffee_group),
    }
    certify(p["P1"], stars=4, signed_on=D(2019, 10, 1))
    certify(p["P1"], stars=4, signed_on=D(2024, 5, 1))
    certify(p["P2"], stars=4, signed_on=D(2020, 6, 1))
    certify(p["P3"], stars=4, signed_on=D(2020, 12, 31))
    certify(p["P3"], stars=3, signed_on=D(2023, 12, 20))
    certify(p["P4"], stars=4, signed_on=D(2026, 2, 1))
    certify(p["P5"], stars=3, signed_on=D(2026, 3, 15))
    certify(p["P6"], stars=5, signed_on=D(2024, 1, 15))
    certify(p["P7"], stars=4, signed_on=D(2025, 9, 1))
    p["P7"].refresh_from_db()
    revoke(p["P7"])
    for product, on, scores in [
        (p["P4"], D(2026, 5, 1), (38, 24, 33)),
        (p["P4"], D(2026, 8, 1), (39, 24, 33)),
        (p["P6"], D(2025, 10, 1), (38, 24, 33)),
        (p["P5"], D(2026, 4, 1), (30, 20, 25)),
    ]:
        registry.record_evaluation(
            product=product,
            level=Level.PROVINCE,
            evaluated_on=on,
            score_a=scores[0],
            score_b=scores[1],
            score_c=scores[2],
            actor=office_user,
        )
    for product in p.values():
        product.refresh_from_db()
    return p


def test_products_by_stars(registry_data):
    assert reports.products_by_stars(TODAY) == [(3, 2), (4, 2), (5, 1)]


def test_products_by_group(registry_data):
    assert [(g["code"], g["count"]) for g in reports.products_by_group(TODAY)] == [("1", 3), ("2", 2)]


def test_products_by_commune(registry_data, commune, other_commune):
    assert [(c["commune"], c["count"]) for c in reports.products_by_commune(TODAY)] == [
        (commune.name, 3),
        (other_commune.name, 2),
    ]


def test_certificates_expiring_in_the_next_90_days(registry_data):
    expiring = reports.expiring_certificates(TODAY, days=90)

    assert [(p.name_vi, p.certified_until) for p in expiring] == [
        ("Trà atiso", D(2026, 12, 20)),
        ("Cà phê nhân", D(2027, 1, 15)),
    ]


def test_plan_progress(registry_data):
    progress = reports.plan_progress(year=2026, today=TODAY)

    assert (progress.first_period_products, progress.first_period_still_certified) == (3, 2)  # P1, P2, P3
    assert progress.retained_share == 66.7 and not progress.retained_on_target  # target: above 85 %
    assert progress.new_products == 2 and not progress.new_products_on_target  # P4, P5; target 40–50
    assert progress.central_candidates == 1 and progress.central_candidates_on_target  # P4; target ≥ 1


@pytest.mark.parametrize(
    ("year", "retained"),
    [
        (2022, 2),  # at 31/12/2022: P2 (to 01/06/2023) and P3; P1's first certificate ended 01/10/2022
        (2023, 1),  # at 31/12/2023: P3 only (P1 renewed only in 05/2024, P2 lapsed)
        (2025, 2),  # at 31/12/2025: P1 and P3
        (2026, 2),  # the current year counts today (30/11/2026), when P3 is still valid (to 20/12/2026)
    ],
)
def test_plan_progress_counts_retention_at_the_end_of_each_year(registry_data, year, retained):
    assert reports.plan_progress(year=year, today=TODAY).first_period_still_certified == retained


def test_retention_of_a_past_year_ignores_a_later_revocation(registry_data, revoke):
    revoke(registry_data["P3"])
    assert reports.plan_progress(year=2025, today=TODAY).first_period_still_certified == 2
    assert reports.plan_progress(year=2026, today=TODAY).first_period_still_certified == 1


def test_the_plans_targets_are_settings(registry_data, settings):
    settings.OCOP_PLAN_TARGETS = {
        "retained_share_min": 60,
        "new_products_min": 2,
        "new_products_max": 5,
        "central_candidates_min": 2,
    }

    progress = reports.plan_progress(year=2026, today=TODAY)

    assert (progress.retained_on_target, progress.new_products_on_target, progress.central_candidates_on_target) == (
        True,
        True,
        False,
    )
    plan = dashboards.ocop_office(today=TODAY, year=2026)[0]
    assert plan.rows[0][1:] == ["66.7% (2/3)", "> 60%", "yes"]
    assert plan.rows[1][1:] == [2, "2–5", "yes"]


def test_the_office_dashboard_shows_the_years_pipeline_of_potential_products(registry_data, commune):
    from catalog.models import ProductGroup
    from catalog.programme.models import PotentialProduct

    group = ProductGroup.objects.get(code="1")
    for idea, recorded, dropped in (
        ("Cà phê chồn", D(2026, 2, 1), False),
        ("Bột ca cao", D(2026, 5, 1), False),
        ("Rượu sim", D(2026, 6, 1), True),
        ("Mật ong", D(2025, 6, 1), False),
    ):
        PotentialProduct.objects.create(
            commune=commune, holder="Hộ", idea=idea, group=group, recorded_on=recorded, dropped=dropped
        )

    pipeline = {table.key: table for table in dashboards.ocop_office(today=TODAY, year=2026)}["pipeline"]

    assert pipeline.rows == [
        ["Potential", 2],
        ["Applied", 0],
        ["Evaluated", 0],
        ["Certified", 0],
        ["Dropped", 1],
        ["New 3★+ products this year (target 40–50)", 2],
    ]  # P4, P5


# Department of Industry and Trade ----------------------------------------------------------------------------
@pytest.fixture
def point_data(registry_data, airport_point, buon_don_point, department_user, make_destination):
    p = registry_data
    services.change_status(
        point=buon_don_point, to_status="suspended", reason="Chưa niêm yết giá", actor=department_user
    )
    services.create_sales_point(
        code="ga-tuy-hoa",
        name="Ga Tuy Hòa",
        kind="railway_station",
        status=SalesPoint.Status.PROPOSED,
        actor=department_user,
    )
    for point, product, month, quantity, revenue in [
        (airport_point, p["P1"], D(2026, 9, 1), 10, 1_500_000),
        (airport_point, p["P1"], D(2026, 10, 1), 20, 3_000_000),
        (airport_point, p["P4"], D(2026, 10, 1), 5, 1_000_000),
        (buon_don_point, p["P4"], D(2026, 10, 1), 8, 1_600_000),
        (buon_don_point, p["P1"], D(2025, 12, 1), 99, 9_900_000),
    ]:
        SalesReport.objects.create(
            point=point, product=product, month=month, quantity_sold=quantity, revenue=revenue, closing_stock=1
        )
    criteria = {c.code: c for c in PointCriterion.objects.all()}
    passed = Inspection.objects.create(point=airport_point, inspected_on=D(2026, 3, 10), inspector="Lê Văn Hùng")
    for code in ("1", "2"):
        InspectionFinding.objects.create(inspection=passed, criterion=criteria[code], result="pass")
    InspectionFinding.objects.create(inspection=passed, criterion=criteria["12"], result="note", note="Chưa có web")
    failed = Inspection.objects.create(point=buon_don_point, inspected_on=D(2026, 6, 10), inspector="Lê Văn Hùng")
    for code, result in (("1", "pass"), ("6", "fail"), ("4", "fail")):
        InspectionFinding.objects.create(inspection=failed, criterion=criteria[code], result=result)
    FollowUpAction.objects.create(inspection=failed, action="Niêm yết giá", deadline=D(2026, 7, 10))
    FollowUpAction.objects.create(
        inspection=failed, action="Gỡ sản phẩm hết hạn", deadline=D(2026, 7, 1), done_on=D(2026, 6, 20)
    )
    last_year = Inspection.objects.create(point=airport_point, inspected_on=D(2025, 11, 1), inspector="X")
    InspectionFinding.objects.create(inspection=last_year, criterion=criteria["8"], result="fail")
    shopee = make_destination("shopee", "http://127.0.0.1:9", name="Shopee OCOP")
    lazada = make_destination("lazada", "http://127.0.0.1:9", name="Lazada OCOP")
    ListingState.objects.create(destination=shopee, product=p["P1"], listed=True)
    ListingState.objects.create(destination=shopee, product=p["P4"], listed=True)
    ListingState.objects.create(destination=shopee, product=p["P2"], listed=False)
    ListingState.objects.create(destination=lazada, product=p["P4"], listed=True)
    return SalesPoint.objects.all()


def test_points_by_status(point_data):
    assert [(status, n) for status, _label, n in point_reports.points_by_status(point_data)] == [
        ("proposed", 1),
        ("approved", 1),
        ("suspended", 1),
        ("closed", 0),
    ]


def test_sales_by_point_product_and_month(point_data):
    assert [(r["point"], r["quantity"], r["revenue"]) for r in point_reports.sales_by_point(point_data, year=2026)] == [
        ("Quầy OCOP Cảng hàng không Buôn Ma Thuột", 35, Decimal("5500000")),
        ("Điểm OCOP Khu du lịch Buôn Đôn", 8, Decimal("1600000")),
    ]
    assert [
        (r["product"], r["quantity"], r["revenue"]) for r in point_reports.sales_by_product(point_data, year=2026)
    ] == [("Cà phê bột", 30, Decimal("4500000")), ("Rượu cần", 13, Decimal("2600000"))]
    months = {
        r["month"].month: (r["quantity"], r["revenue"]) for r in point_reports.sales_by_month(point_data, year=2026)
    }
    assert len(months) == 12 and months[9] == (10, Decimal("1500000")) and months[10] == (33, Decimal("5600000"))
    assert all(months[m] == (0, 0) for m in months if m not in (9, 10))


def test_sales_of_an_operator_are_its_points_only(point_data, airport_point, make_operator, operator_org):
    from integrations.salespoints.permissions import points_for

    mine = points_for(make_operator("lan", operator_org))

    assert [(r["point"], r["quantity"]) for r in point_reports.sales_by_point(mine, year=2026)] == [
        (airport_point.name, 35)
    ]


def test_inspection_outcomes(point_data):
    outcomes = point_reports.inspection_outcomes(point_data, year=2026)

    assert (outcomes["total"], outcomes["passed"], outcomes["failed"], outcomes["open_follow_ups"]) == (2, 1, 1, 1)
    assert [(r["criterion"].code, r["failures"]) for r in outcomes["by_criterion"]] == [("4", 1), ("6", 1)]


def test_products_listed_on_each_marketplace(point_data):
    assert [
        (r["destination"].name, r["count"], [p.name_vi for p in r["products"]])
        for r in point_reports.listed_by_destination()
    ] == [("Lazada OCOP", 1, ["Rượu cần"]), ("Shopee OCOP", 2, ["Cà phê bột", "Rượu cần"])]


def test_the_department_dashboard_shows_and_exports_the_figures(client, point_data, department_user):
    client.force_login(department_user)
    url = reverse("integrations:department_dashboard")

    page = client.get(url, {"year": 2026})
    assert page.status_code == 200
    html = page.content.decode()
    charts = {table.key: table.chart.spec() for table in page.context["tables"] if table.chart}
    assert ("Quầy OCOP Cảng hàng không Buôn Ma Thuột", 5500000) in zip(
        charts["sales_point"]["labels"], charts["sales_point"]["values"], strict=True
    )  # the chart's data
    assert charts["sales_point"]["money"] is True
    assert "5.500.000" in html  # Vietnamese grouping in the table
    assert "<svg" in html and 'data-code="bmt-airport"' in html  # the map without scripts, server-rendered

    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url, {"year": 2026, "format": "xlsx"}).content))
    sheets = {sheet.title: [list(r) for r in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets}
    by_point = next(
        rows for title, rows in sheets.items() if rows[1][0] in ("Điểm bán", "Sales point") and len(rows[1]) == 3
    )
    assert by_point[0][0].startswith(("Doanh số theo điểm bán, năm 2026", "Sales by point, 2026"))  # the full title
    assert all(len(title) <= 31 for title in sheets) and len(set(sheets)) == len(sheets)
    assert by_point[2:] == [
        ["Quầy OCOP Cảng hàng không Buôn Ma Thuột", 35, 5500000],
        ["Điểm OCOP Khu du lịch Buôn Đôn", 8, 1600000],
    ]
    pdf = client.get(url, {"year": 2026, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_ocop_dashboard_shows_and_exports_the_figures(client, registry_data, office_user, point_roles):
    client.force_login(office_user)
    url = reverse("integrations:ocop_dashboard")

    page = client.get(url, {"year": 2026}, HTTP_ACCEPT_LANGUAGE="en")
    stars = next(table.chart.spec() for table in page.context["tables"] if table.key == "stars")
    counts = dict(zip(stars["labels"], stars["values"], strict=True))
    assert counts["3★"] == 2 and counts["5★"] == 1

    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url, {"year": 2026, "format": "xlsx"}).content))
    plan = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    assert [row[1] for row in plan[2:]] == ["66.7% (2/3)", 2, 1]
    assert client.get(url, {"format": "pdf"}).content.startswith(b"%PDF")
