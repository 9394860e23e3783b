"""End to end in headless Chromium: a shopper pays by VietQR; the bank-statement stand-in reports the transfer
and the page, waiting by itself, shows the order confirmed."""

import pytest
from django.urls import reverse

from storefront.payments import services as services_payments
from storefront.payments.models import PaymentAttempt
from storefront.payments.providers import vietqr
from storefront.saleor_app import manifest

ADD_TO_CART = "form[action$='/cart/add/'] button[type=submit]"
TO_CHECKOUT = "a.btn[href$='/checkout/']"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_shopper_pays_by_vietqr_and_sees_the_order_confirmed(
    store_catalogue, saleor_configured, payments_configured, bank_stand_in, live_server, settings, browser_page
):
    from storefront.saleor_app import services
    from storefront.saleor_app.models import SaleorInstance

    fake = saleor_configured
    settings.PUBLIC_BASE_URL = live_server.url
    coffee = store_catalogue["coffee"]
    instance = SaleorInstance(api_url=fake.url, jwks=fake.jwks, app_id=fake.app_id)
    instance.token = fake.app_token
    instance.save()
    services.sync_product(instance=instance, product=coffee)
    fake.use_payment_app(
        live_server.url + reverse("saleor_app:payment_webhook"),
        {event: query for _name, event, query in manifest.PAYMENT_WEBHOOKS},
    )
    page = browser_page

    page.goto(live_server.url + reverse("storefront:product", args=[coffee.pk]))
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
    page.locator("#payment-form input[value=vietqr]").check()
    page.click("#payment-form button[type=submit]")

    # The VietQR page: a scannable code for the amount, the reference to keep in the description
    page.locator("#vietqr svg").wait_for()
    reference = page.locator("#pay-reference").inner_text()
    assert page.locator("#pay-amount").inner_text() == "150.000 ₫"  # 120.000 + 30.000 delivery
    attempt = PaymentAttempt.objects.get(reference=reference)
    assert vietqr.read(services_payments.session_data(attempt)["qr"]).amount == 150000
    assert fake.orders == {}

    # The shopper transfers; the bank-statement service notifies us (signed)
    body = bank_stand_in.body(amount=150000, description=f"NIE H HEN CHUYEN KHOAN {reference}")
    assert bank_stand_in.notify(live_server.url + reverse("payments:bank_statement"), body).status_code == 200

    # The page reloads itself and lands on the confirmation
    page.locator("#order-number").wait_for(timeout=20000)
    number = page.locator("#order-number").inner_text()
    assert [order["number"] for order in fake.orders.values()] == [number]
    assert "VietQR" in page.locator("main").inner_text()
