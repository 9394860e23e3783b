"""The shopper's pages: choosing VietQR or VNPay at the payment step, the VietQR page waiting for the transfer,
VNPay's return, and the messages when a payment cannot become an order. Against the contract fake of Saleor
(which calls our payment webhooks on the live server) and the providers' stand-ins."""

import urllib.parse

import pytest
from django.urls import reverse

from storefront.payments.models import PaymentAttempt
from storefront.saleor_app import manifest

ADDRESS = {
    "email": "khach@example.com",
    "first_name": "H'Hen",
    "last_name": "Niê",
    "phone": "0905 123 456",
    "province": "Đắk Lắk",
    "city": "Phường Buôn Ma Thuột",
    "street": "12 Lê Duẩn",
}


@pytest.fixture
def at_payment_step(
    client,
    live_server,
    settings,
    saleor_configured,
    saleor_instance,
    payments_configured,
    vnpay_stand_in,
    synced_product,
):
    settings.PUBLIC_BASE_URL = live_server.url
    fake = saleor_configured
    fake.use_payment_app(
        live_server.url + reverse("saleor_app:payment_webhook"),
        {event: query for _name, event, query in manifest.PAYMENT_WEBHOOKS},
    )
    vnpay_stand_in.ipn_url = live_server.url + reverse("payments:vnpay_ipn")
    client.post(reverse("storefront:cart_add"), {"product": synced_product.product.pk, "quantity": 1})
    client.post(reverse("storefront:checkout"), ADDRESS)
    client.post(reverse("storefront:checkout_delivery"), {"delivery_method": fake.shipping_method["id"]})
    return fake


def test_the_payment_step_offers_vietqr_and_vnpay_in_both_languages(client, at_payment_step):
    english = client.get(reverse("storefront:checkout_payment")).content.decode()
    assert "Bank transfer by VietQR" in english and "VNPay" in english and "Cash on delivery" in english
    vietnamese = client.get(reverse("storefront:checkout_payment"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Chuyển khoản" in vietnamese and "Thanh toán khi nhận hàng" in vietnamese


def test_vietqr_shows_the_code_then_the_confirmation_once_the_transfer_arrives(
    client, at_payment_step, bank_stand_in, live_server
):
    fake = at_payment_step
    chosen = client.post(reverse("storefront:checkout_payment"), {"payment": "vietqr"})
    assert chosen.url == reverse("storefront:checkout_pay")
    waiting = client.get(chosen.url).content.decode()
    attempt = PaymentAttempt.objects.get()
    assert attempt.reference in waiting and "<svg" in waiting and "215.000 ₫" in waiting
    assert 'http-equiv="refresh"' in waiting and fake.orders == {}

    body = bank_stand_in.body(amount=215000, description=f"CK {attempt.reference}")
    bank_stand_in.notify(live_server.url + reverse("payments:bank_statement"), body)
    done = client.get(chosen.url)
    assert done.url == reverse("storefront:order_confirmation")
    [order] = fake.orders.values()
    confirmation = client.get(done.url).content.decode()
    assert order["number"] in confirmation and "VietQR" in confirmation


def test_a_partial_transfer_asks_for_the_rest(client, at_payment_step, bank_stand_in, live_server):
    client.post(reverse("storefront:checkout_payment"), {"payment": "vietqr"})
    attempt = PaymentAttempt.objects.get()
    bank_stand_in.notify(
        live_server.url + reverse("payments:bank_statement"),
        bank_stand_in.body(amount=200000, description=attempt.reference),
    )
    page = client.get(reverse("storefront:checkout_pay"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "15.000 ₫" in page and 'id="payment-partial"' in page


def test_vnpay_sends_the_shopper_to_vnpay_and_back_to_the_confirmation(client, at_payment_step, vnpay_stand_in):
    fake = at_payment_step
    chosen = client.post(reverse("storefront:checkout_payment"), {"payment": "vnpay"})
    assert chosen.url.startswith(vnpay_stand_in.payment_url + "?")

    back = vnpay_stand_in.pay(chosen.url)
    parts = urllib.parse.urlsplit(back)
    assert parts.path == reverse("storefront:vnpay_return")
    done = client.get(f"{parts.path}?{parts.query}")
    assert done.status_code == 302 and done.url == reverse("storefront:order_confirmation")
    assert len(fake.orders) == 1


def test_a_forged_vnpay_return_places_no_order(client, at_payment_step, vnpay_stand_in):
    chosen = client.post(reverse("storefront:checkout_payment"), {"payment": "vnpay"})
    vnpay_stand_in.send_ipn = False
    back = vnpay_stand_in.pay(chosen.url)
    query = (
        back.split("?", 1)[1]
        .replace("vnp_ResponseCode=00", "vnp_ResponseCode=00&x=1")
        .replace("vnp_Amount=", "vnp_Amount=1")
    )
    response = client.get(reverse("storefront:vnpay_return") + "?" + query)
    assert response.status_code == 400 and at_payment_step.orders == {}
    assert PaymentAttempt.objects.get().status == PaymentAttempt.Status.PENDING


def test_a_product_revoked_during_the_transfer_is_refunded_with_a_clear_message(
    client, at_payment_step, bank_stand_in, live_server, synced_product, revoke_certificate
):
    client.post(reverse("storefront:checkout_payment"), {"payment": "vietqr"})
    attempt = PaymentAttempt.objects.get()
    revoke_certificate(synced_product.product)
    bank_stand_in.notify(
        live_server.url + reverse("payments:bank_statement"),
        bank_stand_in.body(amount=215000, description=attempt.reference),
    )
    page = client.get(reverse("storefront:checkout_pay"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'id="payment-refused"' in page and "hoàn" in page  # "refunded", in Vietnamese
    assert at_payment_step.orders == {}
