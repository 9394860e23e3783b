"""Stock and sales reports: the form, the spreadsheet upload (all or nothing) and the token API."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from integrations.models import SalesReport


@pytest.fixture
def operator(make_operator, operator_org, airport_point, certified_product):
    airport_point.assortment.create(product=certified_product)
    return make_operator("airport-operator", operator_org)


def _csv(rows) -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile("bao-cao.csv", buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")


def _xlsx(rows) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("bao-cao.xlsx", buffer.getvalue())


HEADER = ["Mã điểm bán", "Mã sản phẩm", "Tháng", "Số lượng bán", "Doanh thu (VNĐ)", "Tồn cuối tháng"]


def test_the_form_saves_a_months_report(client, operator, airport_point, certified_product):
    client.force_login(operator)

    response = client.post(
        reverse("integrations:report_form", args=[airport_point.pk]),
        {
            "product": certified_product.pk,
            "month": "2026-10",
            "quantity_sold": 25,
            "revenue": 3750000,
            "closing_stock": 12,
        },
    )

    assert response.status_code == 302
    report = SalesReport.objects.get()
    assert (
        report.point,
        report.product,
        str(report.month),
        report.quantity_sold,
        report.revenue,
        report.closing_stock,
        report.source,
        report.reported_by,
    ) == (airport_point, certified_product, "2026-10-01", 25, Decimal("3750000"), 12, "form", operator)


def test_an_xlsx_upload_saves_every_row(client, operator, certified_product):
    client.force_login(operator)

    response = client.post(
        reverse("integrations:report_upload"),
        {
            "file": _xlsx(
                [
                    HEADER,
                    ["bmt-airport", certified_product.pk, "2026-09", 10, 1500000, 30],
                    ["bmt-airport", certified_product.pk, "10/2026", 25, "3.750.000", 12],
                ]
            )
        },
    )

    assert response.status_code == 200, response.content.decode()
    assert sorted(
        (str(m), q, r) for m, q, r in SalesReport.objects.values_list("month", "quantity_sold", "revenue")
    ) == [("2026-09-01", 10, Decimal("1500000")), ("2026-10-01", 25, Decimal("3750000"))]
    assert set(SalesReport.objects.values_list("source", flat=True)) == {"upload"}


def test_one_bad_row_saves_nothing_and_names_row_column_and_problem_in_both_languages(
    client, operator, certified_product, buon_don_point
):
    client.force_login(operator)

    response = client.post(
        reverse("integrations:report_upload"),
        {
            "file": _csv(
                [
                    HEADER,
                    ["bmt-airport", certified_product.pk, "2026-09", "10", "1500000", "30"],  # fine on its own
                    ["bmt-airport", certified_product.pk, "2026-13", "-2", "1500000", "30"],
                    ["buon-don", certified_product.pk, "2026-10", "1", "1", "1"],
                    ["bmt-airport", "999999", "2026-10", "1", "1", ""],
                ]
            )
        },
    )

    assert response.status_code == 400
    assert not SalesReport.objects.exists()  # not even the good row
    issues = {(i.row, i.column): (i.text_vi, i.text_en) for i in response.context["issues"]}
    assert issues[(3, "month")] == (
        "Hãy ghi tháng dạng yyyy-mm (hoặc mm/yyyy), không phải “2026-13”.",
        "Write the month as yyyy-mm (or mm/yyyy), not “2026-13”.",
    )
    assert issues[(3, "quantity_sold")][1] == "Write a whole number of 0 or more, not “-2”."
    assert issues[(4, "point")] == (
        "Không điểm bán nào của bạn có mã “buon-don”.",
        "None of your sales points has the code “buon-don”.",
    )
    assert issues[(5, "product")][1] == "No OCOP product has the id “999999”."
    assert issues[(5, "closing_stock")][1] == "This value is required."
    assert len(issues) == 5
    html = response.content.decode()
    assert "Tồn cuối tháng" in html and "Stock at month end" in html  # the column, in both languages


def test_the_same_point_product_and_month_twice_in_a_file_is_refused(client, operator, certified_product):
    client.force_login(operator)
    row = ["bmt-airport", certified_product.pk, "2026-10", "1", "1", "1"]

    response = client.post(reverse("integrations:report_upload"), {"file": _csv([HEADER, row, row])})

    assert response.status_code == 400 and not SalesReport.objects.exists()
    [issue] = response.context["issues"]
    assert (issue.row, issue.text_en) == (3, "This point, product and month already appear on row 2.")


def test_a_future_month_is_refused(client, operator, airport_point, certified_product):
    client.force_login(operator)

    response = client.post(
        reverse("integrations:report_form", args=[airport_point.pk]),
        {"product": certified_product.pk, "month": "2099-01", "quantity_sold": 1, "revenue": 1, "closing_stock": 1},
    )

    assert response.status_code == 200 and not SalesReport.objects.exists()
    assert "has not begun yet" in response.content.decode()


def test_a_missing_column_is_reported_for_the_file(client, operator):
    client.force_login(operator)

    response = client.post(reverse("integrations:report_upload"), {"file": _csv([HEADER[:-1], ["x"] * 5])})

    assert response.status_code == 400
    assert [i.text_en for i in response.context["issues"]] == ["Required column “Tồn cuối tháng” is missing."]


def test_the_api_saves_all_lines_or_none(client, airport_point, certified_product, other_product, certify):
    airport_point.assortment.create(product=certified_product)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {airport_point.raw_token}"}
    url = reverse("integrations:sales_point_report_api")
    good = {
        "product": certified_product.pk,
        "month": "2026-10",
        "quantity_sold": 3,
        "revenue": 450000,
        "closing_stock": 9,
    }

    refused = client.post(
        url, {"lines": [good, {**good, "product": other_product.pk}]}, content_type="application/json", **auth
    )
    assert refused.status_code == 400 and not SalesReport.objects.exists()
    assert refused.json()["errors"] == [
        {
            "row": 2,
            "column": "product",
            "column_vi": "Mã sản phẩm",
            "column_en": "Product id",
            "message_vi": f"Không có sản phẩm OCOP mã “{other_product.pk}”.",
            "message_en": f"No OCOP product has the id “{other_product.pk}”.",
        }
    ]

    saved = client.post(url, {"lines": [good]}, content_type="application/json", **auth)
    assert saved.json() == {"saved": 1}
    again = client.post(url, {"lines": [{**good, "quantity_sold": 4}]}, content_type="application/json", **auth)
    assert again.status_code == 200
    assert list(SalesReport.objects.values_list("quantity_sold", "source")) == [(4, "api")]  # replaced


def test_the_api_needs_the_points_token(client, db):
    url = reverse("integrations:sales_point_report_api")

    assert client.post(url, {"lines": []}, content_type="application/json").status_code == 401
    assert (
        client.post(url, {"lines": []}, content_type="application/json", HTTP_AUTHORIZATION="Bearer nope").status_code
        == 401
    )
