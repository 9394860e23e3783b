"""Online payments against a real Saleor 3.23: install the App (with its payment webhooks), pay one order by
VietQR (the bank-statement stand-in confirms the transfer), one by VNPay (the VNPay stand-in pays, sends the IPN
and the shopper back), then refund the VNPay order from Saleor's side (Saleor → TRANSACTION_REFUND_REQUESTED →
our App → VNPay's refund API). Prints the times. Skipped unless ``SALEOR_API_URL`` and
``SALEOR_STAFF_EMAIL``/``SALEOR_STAFF_PASSWORD`` are set (see ``test_live_saleor``; ``SALEOR_CHANNELS``: a VND
channel shipping to Vietnam).

With ``SALEOR_RECORD_DIR`` set, the exchanges (GraphQL documents and answers, the signed payment webhook
deliveries and our answers) are written there, app tokens and staff tokens left out: that is how
``data/recorded/payments/`` was made.
"""

import json
import os
import time
import uuid
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from django.core.management import call_command
from django.urls import reverse

from storefront.models import ProductListing
from storefront.payments.models import PaymentAttempt
from storefront.saleor_app import checkout, checkout_payments, client, payment_webhooks
from storefront.saleor_app import payment_documents as pay
from storefront.saleor_app.client import normalize_api_url
from storefront.saleor_app.models import SaleorInstance, SaleorProduct
from tests.worker import wait_until

from .test_live_saleor import ADDRESS, delete_leftovers, staff_client

LIVE = os.environ.get("SALEOR_API_URL") and os.environ.get("SALEOR_STAFF_EMAIL")
pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not LIVE, reason="set SALEOR_API_URL, SALEOR_STAFF_EMAIL/PASSWORD to run against Saleor"),
]


class Recorder:
    """Keeps the exchanges of the run (documents sent, answers, signed webhook deliveries) without secrets."""

    def __init__(self, folder: str | None):
        self.folder = Path(folder) if folder else None
        self.count = 0

    def write(self, kind: str, name: str, content: dict) -> None:
        if self.folder is None:
            return
        self.count += 1
        target = self.folder / kind
        target.mkdir(parents=True, exist_ok=True)
        (target / f"{self.count:02d}-{name}.json").write_text(json.dumps(content, ensure_ascii=False, indent=2))


@pytest.fixture
def recorder(monkeypatch):
    rec = Recorder(os.environ.get("SALEOR_RECORD_DIR"))
    documents = {value: name for name, value in pay.all_documents().items()}
    real_execute = client.SaleorClient.execute

    def execute(self, document, variables=None, *, auth=True):
        try:
            data = real_execute(self, document, variables, auth=auth)
        except client.SaleorError as exc:
            if document in documents:
                rec.write(
                    "graphql", documents[document], {"query": document, "variables": variables, "error": str(exc)}
                )
            raise
        if document in documents:
            rec.write("graphql", documents[document], {"query": document, "variables": variables, "data": data})
        return data

    real_receive = payment_webhooks.receive

    def receive(*, api_url, raw_body, signature):
        answer = real_receive(api_url=api_url, raw_body=raw_body, signature=signature)
        event = json.loads(raw_body).get("__typename", "unknown")
        rec.write(
            "webhooks",
            event,
            {"raw_body": raw_body.decode(), "headers": {"Saleor-Signature": signature}, "answer": answer},
        )
        return answer

    monkeypatch.setattr(client.SaleorClient, "execute", execute)
    monkeypatch.setattr(payment_webhooks, "receive", receive)
    return rec


@pytest.fixture
def payment_env(monkeypatch, vnpay_stand_in, bank_stand_in):
    """What the worker process (which reports to Saleor) needs; set before it starts."""
    monkeypatch.setenv("SALEOR_API_URL", os.environ["SALEOR_API_URL"])
    for name, value in {
        "PAYMENTS_VIETQR_BANK_BIN": "970436",
        "PAYMENTS_VIETQR_ACCOUNT": bank_stand_in.account,
        "CASSO_CHECKSUM_KEY": bank_stand_in.checksum_key,
        "VNPAY_TMN_CODE": vnpay_stand_in.tmn_code,
        "VNPAY_HASH_SECRET": vnpay_stand_in.secret,
        "VNPAY_PAYMENT_URL": vnpay_stand_in.payment_url,
        "VNPAY_API_URL": vnpay_stand_in.api_url,
    }.items():
        monkeypatch.setenv(name, value)


def charged(api_url: str, transaction_id: str) -> tuple[Decimal, Decimal]:
    """(charged, refunded) of a transaction, as Saleor's staff API shows it."""
    found = staff_client(api_url).execute(pay.TRANSACTION_STATE, {"id": transaction_id})["transaction"]
    return Decimal(str(found["chargedAmount"]["amount"])), Decimal(str(found["refundedAmount"]["amount"]))


@pytest.mark.django_db(transaction=True)
def test_pay_by_vietqr_and_by_vnpay_then_refund_from_saleor_against_a_real_saleor(
    certified_product,
    live_server,
    settings,
    payment_env,
    payments_configured,
    vnpay_stand_in,
    bank_stand_in,
    celery_worker_process,
    recorder,
):
    from ocop.celery import app as celery_app

    api_url = normalize_api_url(os.environ["SALEOR_API_URL"])
    settings.SALEOR_API_URL = api_url
    settings.PUBLIC_BASE_URL = live_server.url
    settings.SALEOR_CHANNELS = [s for s in os.environ.get("SALEOR_CHANNELS", "").split(",") if s]
    vnpay_stand_in.ipn_url = live_server.url + reverse("payments:vnpay_ipn")
    staff = staff_client(api_url)
    delete_leftovers(staff)
    ProductListing.objects.create(
        product=certified_product, price=Decimal("185000"), stock=20, sku=f"CF-BMT-PAY-{uuid.uuid4().hex[:8]}"
    )
    assert wait_until(lambda: celery_app.control.ping(timeout=0.5), timeout=30), "the worker did not start"
    figures = {}
    try:
        call_command("saleor_app_register", "--timeout", "60")
        instance = SaleorInstance.objects.get(api_url=api_url)
        assert wait_until(
            lambda: SaleorProduct.objects.filter(instance=instance, product=certified_product, published=True).exists(),
            timeout=60,
        ), "the product was not published"

        def ready_checkout():
            created = checkout.create_checkout(lines=[(certified_product, 1)], email="lan@example.vn", address=ADDRESS)
            chosen = checkout.set_delivery_method(
                checkout_id=created["id"], delivery_method_id=created["shippingMethods"][0]["id"]
            )
            return chosen["id"], Decimal(str(chosen["totalPrice"]["gross"]["amount"]))

        assert checkout_payments.offered_methods(checkout_id=ready_checkout()[0]) == ["vietqr", "vnpay"]

        # --- VietQR: the code, the signed bank-statement notification, the charge reported, the order
        checkout_id, total = ready_checkout()
        started = time.monotonic()
        step = checkout_payments.start_payment(checkout_id=checkout_id, method="vietqr")
        figures["vietqr transactionInitialize"] = time.monotonic() - started
        assert step.result == "CHARGE_ACTION_REQUIRED" and step.data["amount"] == int(total)
        started = time.monotonic()
        body = bank_stand_in.body(amount=int(total), description=f"LAN CK {step.data['reference']}")
        assert bank_stand_in.notify(live_server.url + reverse("payments:bank_statement"), body).json()["success"]
        reported = wait_until(lambda: charged(api_url, step.transaction_id)[0] == total, timeout=30, interval=0.2)
        figures["transfer notified → charged in Saleor (outbox, worker)"] = time.monotonic() - started
        assert reported, "the charge did not reach Saleor"
        processed = checkout_payments.process_payment(transaction_id=step.transaction_id)
        assert processed.result == "CHARGE_SUCCESS"
        assert charged(api_url, step.transaction_id)[0] == total  # the process answer did not charge twice
        started = time.monotonic()
        order = checkout_payments.complete_paid_checkout(checkout_id=checkout_id)
        figures["vietqr checkoutComplete"] = time.monotonic() - started
        assert order["number"] and order["status"] in ("UNFULFILLED", "UNCONFIRMED")
        vietqr_order = order["number"]

        # --- VNPay: the payment URL, the IPN and the signed return, the order
        checkout_id, total = ready_checkout()
        started = time.monotonic()
        step = checkout_payments.start_payment(checkout_id=checkout_id, method="vnpay")
        figures["vnpay transactionInitialize"] = time.monotonic() - started
        assert step.data["redirectUrl"].startswith(vnpay_stand_in.payment_url)
        started = time.monotonic()
        back = vnpay_stand_in.pay(step.data["redirectUrl"])
        assert vnpay_stand_in.ipn_answers[-1] == {"RspCode": "00", "Message": "Confirm Success"}
        processed = checkout_payments.process_payment(
            transaction_id=step.transaction_id, data={"vnpay": dict(httpx.URL(back).params)}
        )
        figures["vnpay pay + IPN + transactionProcess"] = time.monotonic() - started
        assert processed.result == "CHARGE_SUCCESS"
        order = checkout_payments.complete_paid_checkout(checkout_id=checkout_id)
        assert order["number"]
        vnpay_order = order["number"]
        wait_until(lambda: False, timeout=3)  # the IPN's report reaches Saleor through the worker
        assert charged(api_url, step.transaction_id)[0] == total  # deduplicated by Saleor, not charged twice

        # --- refund from Saleor's side (what the dashboard's refund button does)
        started = time.monotonic()
        staff_client(api_url).mutate(pay.TRANSACTION_REQUEST_REFUND, {"id": step.transaction_id})
        figures["refund requested in Saleor → VNPay refunded"] = time.monotonic() - started
        # (the mutation's own answer still shows the amounts from before the App's answer: read them again)
        assert charged(api_url, step.transaction_id) == (Decimal(0), total)  # charged net of refunds
        assert vnpay_stand_in.refunds[-1]["vnp_Amount"] == int(total) * 100
        assert PaymentAttempt.objects.get(saleor_transaction_id=step.transaction_id).status == "refunded"
        assert vnpay_stand_in.bad_signatures == 0
        print(f"\nlive Saleor orders: VietQR #{vietqr_order}, VNPay #{vnpay_order} (refunded)")
    finally:
        print("\nlive Saleor payment figures (s): " + ", ".join(f"{k}: {v:.2f}" for k, v in figures.items()))
        delete_leftovers(staff_client(api_url))
