"""End to end in headless Chromium: the office announces an event, a producer applies from the portal, the office
selects it with a booth, and a consumer scanning the product's code is told where to meet the producer."""

import datetime

import pytest

from catalog.programme.models import Event, Participation
from catalog.querysets import local_today
from traceability.identifiers import item_path


def sign_in(page, base, username, password, next_path):
    page.goto(f"{base}/portal/applications/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_office_announces_producer_applies_office_selects_consumer_sees_it_on_the_scan_page(
    live_server, open_browser_page, programme_office, producer_user, certified_product, item
):
    starts = local_today() + datetime.timedelta(days=10)
    ends = starts + datetime.timedelta(days=4)
    base = live_server.url

    # the office creates the event and announces it
    office = open_browser_page(locale="vi-VN", viewport={"width": 1280, "height": 900})
    sign_in(office, base, "programme-office", "pw-programme-office-123", "/programme/events/new/")
    office.fill("input[name=name_vi]", "Lễ hội Cà phê Buôn Ma Thuột lần thứ 9")
    office.fill("input[name=name_en]", "9th Buon Ma Thuot Coffee Festival")
    office.select_option("select[name=kind]", "festival")
    office.select_option("select[name=level]", "national")
    office.fill("input[name=organiser]", "UBND tỉnh Đắk Lắk")
    office.fill("input[name=place]", "Quảng trường 10/3")
    office.fill("input[name=latitude]", "12.6797")
    office.fill("input[name=longitude]", "108.0378")
    office.fill("input[name=starts_on]", starts.isoformat())
    office.fill("input[name=ends_on]", ends.isoformat())
    office.click("#event-form button[type=submit]")
    office.click("#announce")
    assert office.locator("#event-status").inner_text() == "Đã công bố, đang nhận đăng ký"
    event = Event.objects.get()

    # the producer applies from the portal with its certified product
    producer = open_browser_page(locale="vi-VN")
    sign_in(producer, base, "htx-user", "pw-htx-user-123", "/portal/events/")
    producer.click(f"#open-events a[href='/portal/events/{event.pk}/']")
    producer.check(f"#apply-form input[name=products][value='{certified_product.pk}']")
    producer.click("#apply-form button[type=submit]")
    assert producer.locator("#participation-status").inner_text() == "Đã đăng ký, chờ Văn phòng"

    # the office selects it with a booth number
    office.goto(f"{base}/programme/events/{event.pk}/")
    row = office.locator(f"#participations tr[data-producer='{certified_product.producer_id}']")
    row.locator("input[name=booth]").fill("A12")
    row.locator("button[value=select]").click()
    assert (
        office.locator(f"#participations tr[data-producer='{certified_product.producer_id}'] .status").inner_text()
        == "Được chọn"
    )
    assert Participation.objects.get().booth == "A12"

    # the producer sees its booth, and a notice
    producer.reload()
    assert producer.locator("#booth").inner_text() == "A12"
    producer.click("#nav-applications-notices")
    assert "gian hàng A12" in producer.locator("#notices").inner_text()

    # a tourist scanning the product's code, in English, is told where to meet the producer
    lot = item.lot
    tourist = open_browser_page(locale="en-US", mobile=True)
    tourist.goto(base + item_path(gtin=lot.product.gtin, lot=lot.number, serial=item.serial, expires_on=lot.expires_on))
    meet = tourist.locator("#meet-the-producer").inner_text()
    assert "Lễ hội Cà phê Buôn Ma Thuột lần thứ 9" in meet
    assert f"from {starts:%d/%m/%Y} to {ends:%d/%m/%Y}" in meet and "booth A12" in meet
    tourist.click("#meet-the-producer a")
    assert tourist.locator("#event-name").inner_text() == "9th Buon Ma Thuot Coffee Festival"
    assert certified_product.producer.name in tourist.locator("#participants").inner_text()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_participant_reports_its_sales_after_the_event_and_a_wrong_file_saves_nothing(
    live_server, open_browser_page, make_event, programme_office, producer_user, certified_product, tmp_path
):
    from catalog.programme import services
    from catalog.programme.models import EventSale

    event = make_event(starts_in=-2, days=2, announce=False)
    event = services.announce_event(event=event, actor=programme_office, today=event.starts_on)
    participation = services.apply_to_event(
        event=event, actor=producer_user, products=[certified_product], today=event.starts_on
    )
    services.decide(participation=participation, actor=programme_office, selected=True, booth="C7")
    wrong = tmp_path / "doanh-so.csv"
    wrong.write_text(
        f"Mã sản phẩm,Số lượng bán,Doanh thu (VNĐ)\n{certified_product.pk},mười,1500000\n", encoding="utf-8"
    )
    page = open_browser_page(locale="vi-VN")
    sign_in(page, live_server.url, "htx-user", "pw-htx-user-123", f"/portal/events/{event.pk}/")

    page.set_input_files("#upload-form input[name=file]", str(wrong))
    page.click("#upload-form button[type=submit]")
    assert "Dòng 2" in page.locator("#issues").inner_text()
    assert not EventSale.objects.exists()

    page.fill(f"#sales-form input[name=quantity_{certified_product.pk}]", "64")
    page.fill(f"#sales-form input[name=revenue_{certified_product.pk}]", "9600000")
    page.fill("#sales-form input[name=contacts]", "7")
    page.click("#sales-form button[type=submit]")

    assert "9.600.000 ₫" in page.locator("main").inner_text()
    assert list(EventSale.objects.values_list("quantity", "revenue")) == [(64, 9600000)]
