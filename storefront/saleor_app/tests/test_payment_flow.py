"""Paying a Saleor checkout through our payment App, against the contract fake (which calls our synchronous
payment webhooks over HTTP, signed, like Saleor) and the providers' stand-ins."""

import json
from decimal import Decimal

import httpx
import pytest
from django.urls import reverse

from ocop.outbox import services as events
from storefront.payments.models import PaymentAttempt
from storefront.payments.providers import vietqr
from storefront.saleor_app import checkout, checkout_payments, manifest
from storefront.saleor_app.checkout import CheckoutRefused, VietnamAddress

ADDRESS = VietnamAddress(
    first_name="Lan",
    last_name="Nguyễn",
    street="12 Lê Duẩn",
    city="Buôn Ma Thuột",
    province="Đắk Lắk",
    phone="+84905123456",
)
TOTAL = Decimal(185000 + 30000)
Status = PaymentAttempt.Status


@pytest.fixture
def payment_app(live_server, settings, saleor_configured, saleor_instance, payments_configured, vnpay_stand_in):
    """The fake Saleor knows our App's payment webhooks; the stand-ins reach our live server."""
    settings.PUBLIC_BASE_URL = live_server.url
    fake = saleor_configured
    fake.use_payment_app(
        live_server.url + reverse("saleor_app:payment_webhook"),
        {event: query for _name, event, query in manifest.PAYMENT_WEBHOOKS},
    )
    vnpay_stand_in.ipn_url = live_server.url + reverse("payments:vnpay_ipn")
    return fake


@pytest.fixture
def ready_checkout(payment_app, synced_product):
    created = checkout.create_checkout(lines=[(synced_product.product, 1)], email="lan@example.vn", address=ADDRESS)
    checkout.set_delivery_method(checkout_id=created["id"], delivery_method_id=created["shippingMethods"][0]["id"])
    return created["id"]


def transaction_of(fake, transaction_id):
    return fake._transaction_view(fake.transactions[transaction_id])


def charges(fake, transaction_id):
    return [(e["type"], e["amount"]["amount"]) for e in fake.transactions[transaction_id]["events"]]


def test_the_app_offers_both_methods_through_payment_gateway_initialize(ready_checkout, payment_app):
    assert checkout_payments.offered_methods(checkout_id=ready_checkout) == ["vietqr", "vnpay"]
    event, body, answer = payment_app.sync_deliveries[-1]
    assert event == "PAYMENT_GATEWAY_INITIALIZE_SESSION" and body["__typename"] == "PaymentGatewayInitializeSession"


def test_a_checkout_paid_by_vietqr_is_confirmed_by_the_bank_statement_and_completes(
    ready_checkout, payment_app, bank_stand_in, live_server
):
    fake = payment_app
    step = checkout_payments.start_payment(checkout_id=ready_checkout, method="vietqr")

    assert step.result == "CHARGE_ACTION_REQUIRED"
    code = vietqr.read(step.data["qr"])
    assert (code.amount, code.reference) == (TOTAL, step.data["reference"])
    with pytest.raises(CheckoutRefused):  # not paid yet: Saleor refuses to place the order
        checkout_payments.complete_paid_checkout(checkout_id=ready_checkout)

    body = bank_stand_in.body(amount=int(TOTAL), description=f"LAN CHUYEN KHOAN {step.data['reference']}")
    assert bank_stand_in.notify(live_server.url + reverse("payments:bank_statement"), body).json()["success"]
    events.drain()  # the outbox reports the charge to Saleor (transactionEventReport)
    assert transaction_of(fake, step.transaction_id)["chargedAmount"]["amount"] == TOTAL

    processed = checkout_payments.process_payment(transaction_id=step.transaction_id)
    assert processed.result == "CHARGE_SUCCESS"
    assert [c for c in charges(fake, step.transaction_id) if c[0] == "CHARGE_SUCCESS"] == [("CHARGE_SUCCESS", TOTAL)]

    order = checkout_payments.complete_paid_checkout(checkout_id=ready_checkout)
    assert order["status"] == "UNFULFILLED" and order["total"]["gross"]["amount"] == TOTAL


def test_a_checkout_paid_by_vnpay_returns_signed_and_completes_once(ready_checkout, payment_app, vnpay_stand_in):
    fake = payment_app
    step = checkout_payments.start_payment(checkout_id=ready_checkout, method="vnpay")
    assert step.result == "CHARGE_ACTION_REQUIRED"
    assert step.data["redirectUrl"].startswith(vnpay_stand_in.payment_url + "?")

    back = vnpay_stand_in.pay(step.data["redirectUrl"])  # pays, sends the IPN, sends the shopper back
    assert vnpay_stand_in.ipn_answers == [{"RspCode": "00", "Message": "Confirm Success"}]
    params = dict(httpx.URL(back).params)
    processed = checkout_payments.process_payment(transaction_id=step.transaction_id, data={"vnpay": params})
    events.drain()  # the IPN's report reaches Saleor too: deduplicated, not a second charge

    assert processed.result == "CHARGE_SUCCESS"
    assert transaction_of(fake, step.transaction_id)["chargedAmount"]["amount"] == TOTAL
    assert [c for c in charges(fake, step.transaction_id) if c[0] == "CHARGE_SUCCESS"] == [("CHARGE_SUCCESS", TOTAL)]
    order = checkout_payments.complete_paid_checkout(checkout_id=ready_checkout)
    assert fake.orders[order["id"]]["chargeStatus"] == "FULL"
    assert vnpay_stand_in.bad_signatures == 0


def test_a_refund_asked_from_saleor_goes_back_through_vnpay(ready_checkout, payment_app, vnpay_stand_in):
    fake = payment_app
    step = checkout_payments.start_payment(checkout_id=ready_checkout, method="vnpay")
    back = vnpay_stand_in.pay(step.data["redirectUrl"])
    checkout_payments.process_payment(transaction_id=step.transaction_id, data={"vnpay": dict(httpx.URL(back).params)})
    checkout_payments.complete_paid_checkout(checkout_id=ready_checkout)

    fake.as_staff = True  # the dashboard's "refund" button
    fake.r_transactionRequestAction({"id": step.transaction_id, "actionType": "REFUND"}, app=False)

    assert transaction_of(fake, step.transaction_id)["refundedAmount"]["amount"] == TOTAL
    assert vnpay_stand_in.refunds[-1]["vnp_Amount"] == int(TOTAL) * 100
    assert PaymentAttempt.objects.get(saleor_transaction_id=step.transaction_id).status == Status.REFUNDED


def test_a_revocation_racing_the_transfer_ends_in_a_refund_and_no_order(
    ready_checkout, payment_app, bank_stand_in, live_server, synced_product, revoke_certificate
):
    step = checkout_payments.start_payment(checkout_id=ready_checkout, method="vietqr")
    revoke_certificate(synced_product.product)  # while the shopper is in the banking app

    body = bank_stand_in.body(amount=int(TOTAL), description=step.data["reference"])
    bank_stand_in.notify(live_server.url + reverse("payments:bank_statement"), body)
    attempt = PaymentAttempt.objects.get(saleor_transaction_id=step.transaction_id)
    assert (attempt.status, attempt.outcome, attempt.refund_due) == (Status.REFUND_PENDING, "product_revoked", TOTAL)

    processed = checkout_payments.process_payment(transaction_id=step.transaction_id)
    assert processed.result == "CHARGE_FAILURE" and processed.outcome == "product_revoked"
    with pytest.raises(CheckoutRefused):
        checkout_payments.complete_paid_checkout(checkout_id=ready_checkout)


def test_a_revoked_product_cannot_start_a_payment(ready_checkout, payment_app, synced_product, revoke_certificate):
    revoke_certificate(synced_product.product)
    with pytest.raises(CheckoutRefused):
        checkout_payments.start_payment(checkout_id=ready_checkout, method="vietqr")
    assert not PaymentAttempt.objects.exists()


def test_payment_webhooks_are_authenticated_like_every_saleor_webhook(payment_app, client):
    body, headers = payment_app.webhook(
        "payment_gateway_initialize_session",
        manifest.PAYMENT_WEBHOOKS[0][2],
        {"data": None, "amount": 1, "sourceObject": {"__typename": "Checkout", "id": "x"}},
    )
    post = {"content_type": "application/json", "HTTP_SALEOR_API_URL": headers["Saleor-Api-Url"]}
    url = reverse("saleor_app:payment_webhook")
    assert client.post(url, data=body, HTTP_SALEOR_SIGNATURE=headers["Saleor-Signature"], **post).status_code == 200
    assert client.post(url, data=body, HTTP_SALEOR_SIGNATURE="", **post).status_code == 401
    tampered = body.replace(b'"amount": 1', b'"amount": 2')
    assert client.post(url, data=tampered, HTTP_SALEOR_SIGNATURE=headers["Saleor-Signature"], **post).status_code == 401
    other, other_headers = payment_app.webhook(
        "payment_gateway_initialize_session", manifest.PAYMENT_WEBHOOKS[0][2], {}, recipient="QXBwOjk5"
    )
    response = client.post(url, data=other, HTTP_SALEOR_SIGNATURE=other_headers["Saleor-Signature"], **post)
    assert response.status_code == 403
    assert json.loads(response.content) == {"error": "refused"}
