"""End to end in headless Chromium: Department staff sign in, open the dashboard and a sales point, read figures."""

import datetime

import pytest
from django.utils import timezone

from integrations.models import SalesReport


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_department_staff_read_the_dashboard_and_a_sales_point(
    live_server, browser_page, department_user, airport_point, buon_don_point, certified_product
):
    # given two approved points, one offering a product, with sales reported for two months of this year
    airport_point.assortment.create(product=certified_product)
    year = timezone.localdate().year
    for month, quantity, revenue in ((1, 10, 1_500_000), (2, 25, 3_750_000)):
        SalesReport.objects.create(
            point=airport_point,
            product=certified_product,
            month=datetime.date(year, month, 1),
            quantity_sold=quantity,
            revenue=revenue,
            closing_stock=7,
        )
    page = browser_page

    # when Department staff sign in and open the sales-point dashboard
    page.goto(f"{live_server.url}/portal/applications/login/")
    page.fill("input[name=username]", "department")
    page.fill("input[name=password]", "pw-department-123")
    page.click("main button[type=submit]")
    page.wait_for_url("**/dashboards/sales-points/")  # the Department lands on its dashboard

    # then the figures are on the page: 2 approved points, 35 sold for 5,250,000 VND at the airport
    status_rows = page.locator("#status tbody tr")
    assert [status_rows.nth(i).locator("td").nth(1).inner_text() for i in range(4)] == ["0", "2", "0", "0"]
    airport_row = page.locator("#sales_point tbody tr").first
    assert airport_row.locator("td").all_inner_texts() == [airport_point.name, "35", "5.250.000"]
    assert page.locator("#sales_point canvas[data-ready]").count() == 1  # drawn by Chart.js
    page.wait_for_selector("#map [data-point-map][data-ready]")  # Leaflet, from our static files
    page.wait_for_function("document.querySelectorAll('#map .leaflet-marker-icon').length >= 1")

    # when they open the airport point from the map (its cluster opened first when the two are clustered)
    while page.locator("#map .point-label", has_text=airport_point.name).count() == 0:
        page.locator("#map .marker-cluster").first.click()
        page.wait_for_timeout(600)
    page.locator(f"#map .leaflet-marker-icon[title='{airport_point.name}']").click()
    page.locator("#map .leaflet-popup-content a").click()
    page.wait_for_url(f"**/points/{airport_point.pk}/")

    # then its facts, assortment and reports are shown
    assert page.locator("h1").inner_text() == airport_point.name
    assert page.locator("#assortment-count").inner_text() == "1"
    assert page.locator(f"#assortment tr[data-product='{certified_product.pk}']").count() == 1
    assert "125/QĐ-SCT" in page.locator("#point-facts").inner_text()
    assert page.locator("#reports tbody tr").count() == 2
    assert page.locator("#reports tbody tr").first.locator("td").all_inner_texts()[2:] == ["25", "3.750.000", "7"]
