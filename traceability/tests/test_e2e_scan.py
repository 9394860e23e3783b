import pytest

from traceability.identifiers import item_path


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_phone_scan_shows_the_status_banner_and_certificate_details(live_server, item, certify, open_browser_page):
    certificate = certify(item.lot.product, stars=4)
    lot = item.lot
    url = live_server.url + item_path(
        gtin=lot.product.gtin, lot=lot.number, serial=item.serial, expires_on=lot.expires_on
    )
    page = open_browser_page(locale="en-US", mobile=True)

    page.goto(url)
    banner = page.locator("[role=status]")
    banner_text = banner.inner_text()
    banner_box = banner.bounding_box()
    decision = page.locator("[data-decision]").inner_text()
    valid_until = page.locator("[data-valid-until]").inner_text()
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")

    page.get_by_role("link", name="Tiếng Việt").click()
    page.wait_for_load_state()
    lang_after_switch = page.locator("html").get_attribute("lang")

    assert "Genuine OCOP product" in banner_text
    assert banner_box["y"] < 10 and banner_box["width"] >= 380  # top of the screen, full width
    assert decision == certificate.decision.number and valid_until == "01/09/2028"
    assert not overflow  # nothing wider than the phone
    assert lang_after_switch == "vi"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("level", ["product", "lot"])
def test_a_phone_scan_of_a_product_or_lot_code_of_a_genuine_product_shows_no_counterfeit_warning(
    live_server, item, certify, open_browser_page, level
):
    certificate = certify(item.lot.product, stars=4)
    gtin = item.lot.product.gtin
    path = f"/01/{gtin[1:]}" if level == "product" else f"/01/{gtin}/10/{item.lot.number}"  # a GTIN-13 as printed
    page = open_browser_page(locale="en-US", mobile=True)

    response = page.goto(live_server.url + path)
    banner_text = page.locator("[role=status]").inner_text()
    body = page.locator("body").inner_text()
    decision = page.locator("[data-decision]").inner_text()

    assert response.status == 200 and page.url.endswith(f"/01/{gtin}" if level == "product" else path)
    assert "Genuine OCOP product" in banner_text
    assert "may not be genuine" not in body and "did not issue" not in body and "not a valid code" not in body
    assert decision == certificate.decision.number
    assert "Buon Ma Thuot ground coffee" in body
    if level == "lot":
        assert page.locator("[data-produced-on]").inner_text() == "01/11/2026"
        assert page.locator("[data-expires-on]").inner_text() == "01/11/2027"
