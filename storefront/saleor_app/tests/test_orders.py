import json
from decimal import Decimal

from django.urls import reverse

from storefront.saleor_app import documents, services
from storefront.saleor_app.models import SaleorOrder

from .fake_saleor import recorded
from .test_webhook_signatures import post_webhook

PAID = "05-order_fully_paid--orderMarkAsPaid-order-A.json"
CANCELLED = "06-order_cancelled--orderCancel-order-B.json"


def reissued(fake, name: str, subscription: str) -> tuple[bytes, dict]:
    """The order a real Saleor 3.23.28 sent (recorded), delivered again by the fake with our subscription's
    signed envelope (the recording's subscription did not select it)."""
    return fake.webhook(name.split("--")[0].split("-", 1)[1], subscription, recorded(f"webhooks/{name}")["parsed_body"])


def test_a_recorded_order_fully_paid_is_recorded_against_the_product_sold(
    client, saleor_configured, saleor_instance, store_listing
):
    # Given the store sells the product under the SKU of the recorded order
    body, headers = reissued(saleor_configured, PAID, documents.ORDER_FULLY_PAID_SUBSCRIPTION)
    store_listing.sku = json.loads(body)["order"]["lines"][0]["productSku"]
    store_listing.save()

    response = post_webhook(client, body, headers)

    assert response.status_code == 200
    order = SaleorOrder.objects.get(number="27")
    assert order.status == SaleorOrder.Status.PAID
    assert order.email == "lan.nguyen@example.com"
    [line] = order.lines.all()
    assert (line.product, line.quantity, line.sku) == (store_listing.product, 2, "NM-PQ-500-fx")
    assert line.lot_number == ""


def test_the_same_order_delivered_twice_is_recorded_once(client, saleor_configured, saleor_instance):
    # Saleor may deliver the same event again (a retry), or issue a second event about the same order
    first = reissued(saleor_configured, PAID, documents.ORDER_FULLY_PAID_SUBSCRIPTION)
    second = reissued(saleor_configured, PAID, documents.ORDER_FULLY_PAID_SUBSCRIPTION)
    for body, headers in (first, first, second):
        assert post_webhook(client, body, headers).status_code == 200

    assert SaleorOrder.objects.count() == 1
    assert SaleorOrder.objects.get().lines.count() == 1


def test_a_recorded_order_cancelled_is_recorded_as_cancelled(client, saleor_configured, saleor_instance):
    body, headers = reissued(saleor_configured, CANCELLED, documents.ORDER_CANCELLED_SUBSCRIPTION)

    assert post_webhook(client, body, headers).status_code == 200

    order = SaleorOrder.objects.get(number="28")
    assert order.status == SaleorOrder.Status.CANCELLED
    assert order.cancelled_at is not None


def test_an_order_placed_through_the_store_is_recorded_with_its_unit_prices(client, saleor_configured, synced_product):
    # Given an order of the synced product, as the app's subscription delivers it (with prices)
    fake = saleor_configured
    variant = fake.variants[synced_product.saleor_variant_id]
    channel = next(iter(variant["channelListings"]))
    order = {
        "__typename": "Order",
        "id": "T3JkZXI6MQ==",
        "number": "31",
        "status": "UNFULFILLED",
        "userEmail": "khach@example.vn",
        "total": {"gross": {"amount": 370000, "currency": "VND"}},
        "lines": [
            {
                "productSku": variant["sku"],
                "quantity": 2,
                "unitPrice": {"gross": {"amount": variant["channelListings"][channel], "currency": "VND"}},
                "variant": {"id": variant["id"], "product": {"id": synced_product.saleor_product_id}},
            }
        ],
    }
    body, headers = fake.webhook("order_fully_paid", documents.ORDER_FULLY_PAID_SUBSCRIPTION, {"order": order})
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}

    response = client.post(reverse("saleor_app:webhook"), data=body, content_type="application/json", **extra)

    assert response.status_code == 200
    recorded_order = SaleorOrder.objects.get(number="31")
    assert recorded_order.total == Decimal("370000")
    [line] = recorded_order.lines.all()
    assert (line.product_id, line.quantity, line.unit_price, line.currency) == (
        synced_product.product_id,
        2,
        Decimal("185000"),
        "VND",
    )


def test_a_cancellation_after_payment_keeps_the_lines(saleor_instance):
    payload = {
        "order": {
            "id": "T3JkZXI6Mg==",
            "number": "40",
            "userEmail": "a@example.vn",
            "lines": [{"productSku": "X", "quantity": 1, "variant": None}],
        }
    }
    services.record_order(instance=saleor_instance, event="order_fully_paid", payload=payload)
    services.record_order(instance=saleor_instance, event="order_cancelled", payload=payload)

    order = SaleorOrder.objects.get(number="40")
    assert order.status == SaleorOrder.Status.CANCELLED
    assert order.paid_at is not None and order.lines.count() == 1
