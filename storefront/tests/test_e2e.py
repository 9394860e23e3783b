"""End to end in headless Chromium: search, product page with its certificate, cart, checkout."""

import pytest

# The pages are in Vietnamese for a vi-VN browser: find controls by their place, not their words.
ADD_TO_CART = "form[action$='/cart/add/'] button[type=submit]"
TO_CHECKOUT = "a.btn[href$='/checkout/']"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_search_open_product_add_to_cart_and_reach_checkout(store_catalogue, live_server, browser_page):
    # store_catalogue (the database) comes before live_server, so the server stops before the test
    # database is dropped.
    from storefront import search

    search.get_backend().rebuild()
    coffee = store_catalogue["coffee"]
    decision_number = coffee.current_certificate.decision.number
    page = browser_page

    page.goto(live_server.url + "/")
    page.fill("input[name=q]", "ca phe")
    page.click("form.search button")
    page.click("#results >> text=Cà phê bột Buôn Ma Thuột")

    assert page.locator("h1").inner_text() == "Cà phê bột Buôn Ma Thuột"
    certificate = page.locator("#certificate").inner_text()
    assert decision_number in certificate
    assert coffee.certified_until.strftime("%d/%m/%Y") in certificate

    page.click(ADD_TO_CART)
    assert "Cà phê bột Buôn Ma Thuột" in page.locator("table").inner_text()

    page.click(TO_CHECKOUT)
    assert page.locator("#checkout-unavailable").is_visible()  # the plain message, whatever the language
    assert page.locator("#address-form").count() == 0


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_search_open_product_add_to_cart_and_check_out_to_the_confirmation(
    store_catalogue, saleor_configured, live_server, browser_page
):
    from storefront import search
    from storefront.saleor_app import services
    from storefront.saleor_app.models import SaleorInstance

    search.get_backend().rebuild()
    coffee = store_catalogue["coffee"]
    instance = SaleorInstance(api_url=saleor_configured.url, jwks=saleor_configured.jwks)
    instance.token = saleor_configured.app_token
    instance.save()
    services.sync_product(instance=instance, product=coffee)
    page = browser_page

    page.goto(live_server.url + "/")
    page.fill("input[name=q]", "ca phe")
    page.click("form.search button")
    page.click("#results >> text=Cà phê bột Buôn Ma Thuột")
    assert coffee.current_certificate.decision.number in page.locator("#certificate").inner_text()

    page.click(ADD_TO_CART)
    page.click(TO_CHECKOUT)
    form = page.locator("#address-form")
    for name, value in {
        "email": "khach@example.com",
        "first_name": "H'Hen",
        "last_name": "Niê",
        "phone": "0905 123 456",
        "province": "Đắk Lắk",
        "city": "Phường Buôn Ma Thuột",
        "street": "12 Lê Duẩn",
    }.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("button[type=submit]").click()

    page.locator("#delivery-form input[type=radio]").first.check()
    page.click("#delivery-form button[type=submit]")
    assert "150.000 ₫" in page.locator("#order-total").inner_text()  # 120.000 + 30.000 delivery
    page.locator("#payment-form input[value=cod]").check()
    page.click("#payment-form button[type=submit]")

    number = page.locator("#order-number").inner_text()
    assert [order["number"] for order in saleor_configured.orders.values()] == [number]
