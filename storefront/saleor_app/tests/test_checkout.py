import pytest

from ocop.outbox import services as outbox
from storefront.saleor_app import checkout
from storefront.saleor_app.checkout import CheckoutRefused, PaymentMethod, VietnamAddress

ADDRESS = VietnamAddress(
    first_name="Lan",
    last_name="Nguyễn",
    street="12 Lê Duẩn",
    city="Buôn Ma Thuột",
    province="Đắk Lắk",
    phone="+84905123456",
)


def test_without_a_configured_saleor_there_is_no_checkout(db, settings):
    settings.SALEOR_API_URL = ""
    assert checkout.checkout_available() is False
    with pytest.raises(checkout.CheckoutUnavailable):
        checkout.create_checkout(lines=[], email="lan@example.vn", address=ADDRESS)


def test_a_configured_but_not_installed_saleor_has_no_checkout(db, saleor_configured):
    assert checkout.checkout_available() is False


def test_cash_on_delivery_places_an_order_in_saleor(saleor_configured, synced_product):
    fake = saleor_configured
    assert checkout.checkout_available() is True

    created = checkout.create_checkout(lines=[(synced_product.product, 2)], email="lan@example.vn", address=ADDRESS)
    checkout.set_delivery_method(checkout_id=created["id"], delivery_method_id=created["shippingMethods"][0]["id"])
    order = checkout.complete_checkout(checkout_id=created["id"], payment=PaymentMethod.CASH_ON_DELIVERY)

    assert order["status"] == "UNCONFIRMED"
    assert order["lines"] == [
        {"productSku": "CF-BMT-500", "quantity": 2, "variant": {"id": synced_product.saleor_variant_id}}
    ]
    assert fake.checkouts == {}
    sent = next(c for c in fake.calls if c["field"] == "checkoutCreate")["variables"]["input"]
    assert sent["shippingAddress"]["country"] == "VN" and sent["email"] == "lan@example.vn"


def test_the_dummy_gateway_pays_the_full_total_and_completes(saleor_configured, synced_product):
    created = checkout.create_checkout(lines=[(synced_product.product, 1)], email="lan@example.vn", address=ADDRESS)
    checkout.set_delivery_method(checkout_id=created["id"], delivery_method_id=created["shippingMethods"][0]["id"])

    order = checkout.complete_checkout(checkout_id=created["id"], payment=PaymentMethod.DUMMY)

    assert order["status"] == "UNFULFILLED"
    assert order["total"]["gross"]["amount"] == 185000 + 30000


def test_a_product_no_longer_listable_is_refused_before_asking_saleor(
    saleor_configured, synced_product, revoke_certificate
):
    revoke_certificate(synced_product.product)

    with pytest.raises(CheckoutRefused) as refused:
        checkout.create_checkout(lines=[(synced_product.product, 1)], email="lan@example.vn", address=ADDRESS)

    assert refused.value.code == "PRODUCT_UNAVAILABLE"
    assert synced_product.product.name_vi in refused.value.message
    assert not any(c["field"] == "checkoutCreate" for c in saleor_configured.calls)


def test_a_cart_whose_product_lost_its_certificate_cannot_be_completed(
    saleor_configured, synced_product, revoke_certificate
):
    # Given a checkout created while the product was listable
    created = checkout.create_checkout(lines=[(synced_product.product, 1)], email="lan@example.vn", address=ADDRESS)
    checkout.set_delivery_method(checkout_id=created["id"], delivery_method_id=created["shippingMethods"][0]["id"])

    # When the certificate is revoked before the customer pays
    revoke_certificate(synced_product.product)
    outbox.drain()

    # Then completing is refused with a clear message and no order exists
    with pytest.raises(CheckoutRefused) as refused:
        checkout.complete_checkout(checkout_id=created["id"], payment=PaymentMethod.CASH_ON_DELIVERY)
    assert refused.value.code == "PRODUCT_UNAVAILABLE"
    assert saleor_configured.orders == {}


def test_saleors_refusal_is_mapped_to_a_clear_message(saleor_configured, synced_product):
    # Given the registry still lists the product but Saleor has it unpublished (drift not yet repaired)
    created = checkout.create_checkout(lines=[(synced_product.product, 1)], email="lan@example.vn", address=ADDRESS)
    checkout.set_delivery_method(checkout_id=created["id"], delivery_method_id=created["shippingMethods"][0]["id"])
    for listing in saleor_configured.products[synced_product.saleor_product_id]["channelListings"].values():
        listing.update(isPublished=False, isAvailableForPurchase=False)

    with pytest.raises(CheckoutRefused) as refused:
        checkout.complete_checkout(checkout_id=created["id"], payment=PaymentMethod.DUMMY)

    assert refused.value.code == "PRODUCT_UNAVAILABLE"
    assert "no longer available" in refused.value.message
    assert saleor_configured.orders == {}


def test_not_enough_stock_is_reported(saleor_configured, synced_product):
    with pytest.raises(CheckoutRefused) as refused:
        checkout.create_checkout(lines=[(synced_product.product, 500)], email="lan@example.vn", address=ADDRESS)
    assert refused.value.code == "INSUFFICIENT_STOCK"
