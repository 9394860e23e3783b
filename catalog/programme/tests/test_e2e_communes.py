"""End to end in headless Chromium: a commune officer records a potential product that later becomes an
application, and answers a reporting period with a form prefilled from the registry; the office sees that the
commune has reported and downloads the consolidated report for the People's Committee."""

import datetime
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from catalog.programme import services
from catalog.programme.models import CommuneReport, PotentialProduct, ReportingPeriod
from catalog.programme.tests.test_e2e_events import sign_in


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_commune_records_a_potential_product_links_its_application_and_answers_a_period(
    live_server,
    open_browser_page,
    commune_officer,
    other_commune_officer,
    programme_office,
    certified_product,
    submitted_application,
):
    base = live_server.url
    period = services.open_period(
        period=ReportingPeriod(
            kind=ReportingPeriod.Kind.QUARTERLY,
            title="Báo cáo quý IV/2026",
            starts_on=datetime.date(2026, 10, 1),
            ends_on=datetime.date(2026, 12, 31),
            deadline=datetime.date(2027, 1, 10),
        ),
        actor=programme_office,
    )
    page = open_browser_page(locale="vi-VN", viewport={"width": 1280, "height": 900})
    sign_in(page, base, "commune-officer", "pw-commune-officer-123", "/programme/")

    # the officer records a potential product of a household in the commune
    page.fill("#potential-form input[name=holder]", "Hộ ông Y Bhin Niê")
    page.fill("#potential-form input[name=idea]", "Cà phê chồn lên men tự nhiên")
    page.select_option("#potential-form select[name=group]", label="1. Thực phẩm")
    page.fill("#potential-form textarea[name=raw_materials]", "Cà phê Robusta chín đỏ, Ea Tu")
    page.click("#potential-form button[type=submit]")
    row = page.locator("#potential-products tr", has_text="Cà phê chồn lên men tự nhiên")
    assert row.locator(".stage").inner_text() == "Tiềm năng"
    assert "Tiềm năng" in page.locator("#by-commune").inner_text()

    # later the producer files its application in the portal; the officer links it
    application = submitted_application()
    row.locator("a").click()
    page.select_option("#link-form select[name=application]", str(application.pk))
    page.click("#link-form button[type=submit]")
    assert page.locator("#stage").inner_text() == "Đã nộp hồ sơ"
    assert PotentialProduct.objects.get().application == application

    # the officer answers the period: the registry's figures are already in the form
    page.click("#programme-nav a[href='/programme/reports/']")
    page.click(f"#periods a[href='/programme/reports/{period.pk}/']")
    assert page.input_value("#report-form input[name=certified_products]") == "1"
    assert page.input_value("#report-form input[name=potential_products]") == "1"
    page.fill("#report-form input[name=trainings]", "2")
    page.fill("#report-form input[name=trainees]", "48")
    page.fill("#report-form textarea[name=difficulties]", "Thiếu vốn đầu tư bao bì")
    page.click("#report-form button[type=submit]")
    report = CommuneReport.objects.get()
    assert (report.certified_products, report.trainees, report.submitted_by) == (1, 48, commune_officer)

    # the office sees that this commune has reported and the other has not, and downloads the report
    office = open_browser_page(locale="vi-VN", viewport={"width": 1280, "height": 900})
    sign_in(office, base, "programme-office", "pw-programme-office-123", f"/programme/reports/{period.pk}/")
    missing = office.locator("#missing").inner_text()
    assert "Xã Ea Kao" in missing and "Phường Buôn Ma Thuột" not in missing
    assert "Thiếu vốn đầu tư bao bì" in office.locator("#reports").inner_text()
    office.click("#consolidated-link")
    office.fill("#period-form input[name=year]", "2026")
    office.select_option("#period-form select[name=quarter]", "4")
    office.click("#period-form button[type=submit]")
    with office.expect_download() as download:
        office.click("#xlsx-link")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    reporting = next(sheet for sheet in book.worksheets if sheet.title.startswith("Báo cáo của các xã"))
    assert [cell.value for cell in list(reporting.iter_rows())[2]] == ["Báo cáo quý IV/2026", "10/01/2027", 2, 1, 1]
