"""The public register in a phone's Chromium: search, filter by status, switch language, download."""

import datetime

import pytest
from django.urls import reverse

from catalog.models import Product


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_visitor_searches_filters_and_downloads_the_register(
    live_server,
    open_browser_page,
    producer,
    other_producer,
    coffee_group,
    certify,
    revoke,
):
    coffee = Product.objects.create(
        producer=producer, name_vi="Cà phê bột Buôn Ma Thuột", group=coffee_group, name_en="Buon Ma Thuot ground coffee"
    )
    honey = Product.objects.create(producer=other_producer, name_vi="Mật ong hoa cà phê", group=coffee_group)
    certify(coffee, stars=4, signed_on=datetime.date(2025, 9, 1))
    certify(honey, stars=4, signed_on=datetime.date(2025, 9, 2))
    honey.refresh_from_db()
    revoke(honey)
    page = open_browser_page(locale="vi-VN", viewport={"width": 1280, "height": 900})

    page.goto(live_server.url + reverse("register:list"))
    rows_at_first = page.locator("#register tbody tr[data-product]").count()
    page.fill("input[name=q]", "ca phe")
    page.select_option("select[name=status]", "revoked")
    page.get_by_role("button", name="Áp dụng").click()
    page.wait_for_load_state()
    revoked_rows = page.locator("#register tbody tr[data-product]")
    revoked_text = revoked_rows.first.inner_text()
    revoked_count = revoked_rows.count()
    with page.expect_download() as download_info:
        page.click("[data-download=csv]")
    csv_text = open(download_info.value.path(), encoding="utf-8-sig").read()  # noqa: PTH123, SIM115

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    lang = page.locator("html").get_attribute("lang")
    english_status = page.locator("#register tbody tr[data-product] .status").first.inner_text()

    assert rows_at_first == 2
    assert revoked_count == 1 and "Mật ong hoa cà phê" in revoked_text and "Đã thu hồi" in revoked_text
    assert "Mật ong hoa cà phê" in csv_text and "Cà phê bột" not in csv_text  # the download keeps the filters
    assert lang == "en" and english_status == "Revoked"
