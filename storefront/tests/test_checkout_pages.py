"""The checkout pages through the Saleor App, against the contract fake of Saleor: address → delivery →
payment → confirmation, order lookup, and a product that stops being listable refused at every step."""

import pytest
from django.test import Client
from django.urls import reverse

from storefront.views import CHECKOUT_SESSION

ADDRESS = {
    "email": "khach@example.com",
    "first_name": "H'Hen",
    "last_name": "Niê",
    "phone": "0905 123 456",
    "province": "Đắk Lắk",
    "city": "Phường Buôn Ma Thuột",
    "ward": "Tổ dân phố 3",
    "street": "12 Lê Duẩn",
}


@pytest.fixture
def in_cart(client, synced_product):
    client.post(reverse("storefront:cart_add"), {"product": synced_product.product.pk, "quantity": 2})
    return synced_product


def to_delivery(client):
    return client.post(reverse("storefront:checkout"), ADDRESS)


def to_payment(client, fake):
    to_delivery(client)
    return client.post(reverse("storefront:checkout_delivery"), {"delivery_method": fake.shipping_method["id"]})


def test_checkout_from_address_to_confirmation_places_one_order_in_saleor(client, in_cart, saleor_configured):
    fake = saleor_configured

    delivery = to_delivery(client)
    assert "Giao hàng tiêu chuẩn" in delivery.content.decode()
    sent = next(c for c in fake.calls if c["field"] == "checkoutCreate")["variables"]["input"]
    assert sent["shippingAddress"]["phone"] == "+84905123456"  # normalised as Saleor validates it
    assert sent["shippingAddress"]["streetAddress2"] == "Tổ dân phố 3"
    assert sent["shippingAddress"]["countryArea"] == "Đắk Lắk"

    chosen = client.post(reverse("storefront:checkout_delivery"), {"delivery_method": fake.shipping_method["id"]})
    assert chosen.url == reverse("storefront:checkout_payment")
    payment = client.get(chosen.url).content.decode()
    assert "400.000 ₫" in payment  # 2 × 185.000 + 30.000 delivery

    placed = client.post(reverse("storefront:checkout_payment"), {"payment": "cod"})
    assert placed.url == reverse("storefront:order_confirmation")
    confirmation = client.get(placed.url).content.decode()
    [order] = fake.orders.values()
    assert f'<dd id="order-number">{order["number"]}</dd>' in confirmation
    assert "Cash on delivery" in confirmation
    assert "Your cart is empty." in client.get(reverse("storefront:cart")).content.decode()
    assert CHECKOUT_SESSION not in client.session


def test_the_test_gateway_is_offered_only_where_test_payments_are_enabled(client, in_cart, saleor_configured, settings):
    fake = saleor_configured
    settings.SALEOR_TEST_PAYMENTS = False
    to_payment(client, fake)
    assert 'value="dummy"' not in client.get(reverse("storefront:checkout_payment")).content.decode()
    refused = client.post(reverse("storefront:checkout_payment"), {"payment": "dummy"})
    assert refused.status_code == 200 and fake.orders == {}

    settings.SALEOR_TEST_PAYMENTS = True
    placed = client.post(reverse("storefront:checkout_payment"), {"payment": "dummy"})

    assert placed.status_code == 302
    [order] = fake.orders.values()
    assert order["status"] == "UNFULFILLED"  # paid in full through the dummy gateway


@pytest.mark.parametrize("step", ["address", "delivery", "payment"])
def test_a_product_revoked_while_in_the_cart_is_refused_at_each_step(
    client, in_cart, saleor_configured, revoke_certificate, step
):
    fake = saleor_configured
    if step in ("delivery", "payment"):
        to_delivery(client)
    if step == "payment":
        client.post(reverse("storefront:checkout_delivery"), {"delivery_method": fake.shipping_method["id"]})

    revoke_certificate(in_cart.product)
    if step == "address":
        response = to_delivery(client)
    elif step == "delivery":
        response = client.post(reverse("storefront:checkout_delivery"), {"delivery_method": fake.shipping_method["id"]})
    else:
        response = client.post(reverse("storefront:checkout_payment"), {"payment": "cod"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="checkout-refused"' in page and in_cart.product.name_vi in page
    assert fake.orders == {}
    if step == "delivery":
        assert not any(c["field"] == "checkoutDeliveryMethodUpdate" for c in fake.calls)


def test_the_app_refuses_even_when_the_cart_check_is_bypassed(
    client, in_cart, saleor_configured, revoke_certificate, monkeypatch
):
    # Given the storefront's own cart check let a revoked product through (say, a stale cache)
    to_payment(client, saleor_configured)
    revoke_certificate(in_cart.product)
    monkeypatch.setattr("storefront.views._refused_by_cart", lambda context: "")

    response = client.post(reverse("storefront:checkout_payment"), {"payment": "cod"})

    assert "can no longer be bought" in response.content.decode()
    assert saleor_configured.orders == {}


def test_a_bad_phone_number_is_refused_before_saleor(client, in_cart, saleor_configured):
    response = client.post(reverse("storefront:checkout"), {**ADDRESS, "phone": "12345"})

    assert "Enter a Vietnamese phone number" in response.content.decode()
    assert not any(c["field"] == "checkoutCreate" for c in saleor_configured.calls)


def test_the_steps_cannot_be_skipped_or_reused_for_another_cart(client, in_cart, saleor_configured, store_listing):
    assert client.get(reverse("storefront:checkout_payment")).url == reverse("storefront:checkout")
    to_delivery(client)
    assert client.get(reverse("storefront:checkout_payment")).url == reverse("storefront:checkout_delivery")

    client.post(reverse("storefront:cart_update"), {f"quantity-{in_cart.product.pk}": "5"})  # the cart changed

    assert client.get(reverse("storefront:checkout_delivery")).url == reverse("storefront:checkout")


def test_order_lookup_shows_an_order_only_when_email_and_number_both_match(client, in_cart, saleor_configured):
    to_payment(client, saleor_configured)
    client.post(reverse("storefront:checkout_payment"), {"payment": "cod"})
    [order] = saleor_configured.orders.values()
    lookup = reverse("storefront:order_lookup")

    found = client.post(lookup, {"email": "KHACH@example.com", "number": f"#{order['number']}"}).content.decode()
    wrong_email = client.post(lookup, {"email": "other@example.com", "number": order["number"]}).content.decode()
    wrong_number = client.post(lookup, {"email": "khach@example.com", "number": "999"}).content.decode()

    assert f"Order #{order['number']}" in found and in_cart.product.name_vi in found
    for page in (wrong_email, wrong_number):
        assert 'id="order-not-found"' in page and 'id="order"' not in page


def test_order_lookup_reads_our_recorded_orders_without_saleor(client, db, settings, certified_product):
    from storefront.saleor_app.models import SaleorInstance, SaleorOrder

    settings.SALEOR_API_URL = ""
    instance = SaleorInstance.objects.create(api_url="https://saleor.example/graphql/", token_encrypted="")
    order = SaleorOrder.objects.create(
        instance=instance, saleor_id="T3JkZXI6MQ==", number="42", email="lan@example.vn", status=SaleorOrder.Status.PAID
    )
    order.lines.create(product=certified_product, sku="CF-1", quantity=3)

    found = client.post(reverse("storefront:order_lookup"), {"email": "lan@example.vn", "number": "42"})
    missed = client.post(reverse("storefront:order_lookup"), {"email": "lan@example.vn", "number": "43"})

    assert "3 × " + certified_product.name_vi in found.content.decode()
    assert 'id="order-not-found"' in missed.content.decode()


def test_checkout_and_lookup_forms_need_a_csrf_token(db, in_cart):
    strict = Client(enforce_csrf_checks=True)

    assert strict.post(reverse("storefront:checkout"), ADDRESS).status_code == 403
    assert strict.post(reverse("storefront:order_lookup"), {"email": "a@b.vn", "number": "1"}).status_code == 403
    assert 'name="csrfmiddlewaretoken"' in strict.get(reverse("storefront:order_lookup")).content.decode()
