"""What happens to a payment when money arrives: on time, twice, in part, too much, too late, after the product
was revoked; VNPay's IPN, return and querydr; refunds. Notifications go through the real endpoints, signed by the
providers' stand-ins."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import AuditLogEntry
from ocop.outbox.models import OutboxEvent
from storefront.payments import handlers, services
from storefront.payments.models import PaymentAttempt, ProviderNotification

Status = PaymentAttempt.Status
AMOUNT = Decimal("620000")


@pytest.fixture
def open_attempt(db, payments_configured, certified_product):
    counter = {"n": 0}

    def _open(method="vietqr", amount=AMOUNT):
        counter["n"] += 1
        return services.open_attempt(
            method=method,
            saleor_api_url="http://saleor.test/graphql/",
            transaction_id=f"VHJhbnNhY3Rpb25JdGVtOj{counter['n']}",
            checkout_id="Q2hlY2tvdXQ6MQ==",
            idempotency_key=f"key-{counter['n']}",
            amount=amount,
            email="lan@example.com",
            product_ids=[certified_product.pk],
            return_url="http://testserver/checkout/vnpay/return/",
        ).attempt

    return _open


def reports(attempt):
    return [
        (e.payload["type"], Decimal(e.payload["amount"]))
        for e in OutboxEvent.objects.filter(topic=services.TRANSACTION_EVENT, key=str(attempt.pk)).order_by(
            "created_at"
        )
    ]


def transfer(client, bank_stand_in, attempt, amount, *, transfer_id=None, description=None):
    body = bank_stand_in.body(
        amount=int(amount),
        description=description or f"NGUYEN THI LAN chuyen tien {attempt.reference} FT2633",
        transfer_id=transfer_id,
    )
    return client.post(
        reverse("payments:bank_statement"),
        data=json.dumps(body, ensure_ascii=False).encode(),
        content_type="application/json",
        HTTP_X_CASSO_SIGNATURE=bank_stand_in.signature(body),
    )


# --- VietQR ------------------------------------------------------------------------------------------------


def test_opening_a_vietqr_payment_gives_a_qr_for_the_amount_and_a_unique_reference(open_attempt):
    first, second = open_attempt(), open_attempt()
    assert first.reference != second.reference and first.reference.startswith("OCOP")
    data = services.session_data(first)
    from storefront.payments.providers import vietqr

    decoded = vietqr.read(data["qr"])
    assert (decoded.amount, decoded.reference, decoded.bank_bin) == (AMOUNT, first.reference, "970436")
    assert AuditLogEntry.objects.filter(action="payment.opened", object_id=str(first.pk)).exists()


def test_the_same_initialize_twice_opens_one_attempt(open_attempt, certified_product):
    attempt = open_attempt()
    again = services.open_attempt(
        method="vietqr",
        saleor_api_url=attempt.saleor_api_url,
        transaction_id=attempt.saleor_transaction_id,
        checkout_id=attempt.saleor_checkout_id,
        idempotency_key=attempt.idempotency_key,
        amount=AMOUNT,
        email="",
        product_ids=[certified_product.pk],
    ).attempt
    assert again.pk == attempt.pk and PaymentAttempt.objects.count() == 1


def test_a_signed_transfer_with_the_reference_pays_and_saleor_is_told_once(client, open_attempt, bank_stand_in):
    attempt = open_attempt()
    body = bank_stand_in.body(amount=620000, description=f"chuyen tien {attempt.reference}")

    def post():
        return client.post(
            reverse("payments:bank_statement"),
            data=json.dumps(body).encode(),
            content_type="application/json",
            HTTP_X_CASSO_SIGNATURE=bank_stand_in.signature(body),
        )

    assert post().json() == {"success": True}
    assert post().json() == {"success": True}  # Casso delivers again (retry): no second effect
    attempt.refresh_from_db()
    assert (attempt.status, attempt.received, attempt.refund_due) == (Status.PAID, AMOUNT, 0)
    assert reports(attempt) == [("CHARGE_SUCCESS", AMOUNT)]
    assert ProviderNotification.objects.filter(attempt=attempt).count() == 1
    assert AuditLogEntry.objects.filter(action="payment.transfer", object_id=str(attempt.pk)).count() == 1


def test_an_unsigned_or_forged_transfer_changes_nothing(client, open_attempt, bank_stand_in):
    attempt = open_attempt()
    body = bank_stand_in.body(amount=620000, description=attempt.reference)
    forged = bank_stand_in.signature(body, key="not-the-checksum-key")
    for signature in (forged, ""):
        response = client.post(
            reverse("payments:bank_statement"),
            data=json.dumps(body),
            content_type="application/json",
            HTTP_X_CASSO_SIGNATURE=signature,
        )
        assert response.status_code == 401
    attempt.refresh_from_db()
    assert attempt.status == Status.PENDING and not ProviderNotification.objects.exists()


def test_a_partial_transfer_waits_for_the_rest(client, open_attempt, bank_stand_in):
    attempt = open_attempt()
    transfer(client, bank_stand_in, attempt, 300000)
    attempt.refresh_from_db()
    assert (attempt.status, attempt.outcome, attempt.outstanding) == (Status.PARTIALLY_PAID, "partial", 320000)
    from storefront.payments.providers import vietqr

    assert vietqr.read(services.session_data(attempt)["qr"]).amount == Decimal(320000)  # a QR for what is left

    transfer(client, bank_stand_in, attempt, 320000)
    attempt.refresh_from_db()
    assert attempt.status == Status.PAID
    assert reports(attempt) == [("CHARGE_SUCCESS", Decimal(300000)), ("CHARGE_SUCCESS", Decimal(320000))]


def test_a_surplus_is_charged_up_to_the_amount_and_the_rest_is_due_back(client, open_attempt, bank_stand_in):
    attempt = open_attempt()
    transfer(client, bank_stand_in, attempt, 700000)
    attempt.refresh_from_db()
    assert (attempt.status, attempt.outcome, attempt.refund_due) == (Status.PAID, "surplus", 80000)
    assert reports(attempt) == [("CHARGE_SUCCESS", AMOUNT)]  # never more than the order

    services.mark_refunded(attempt.pk)
    attempt.refresh_from_db()
    assert (attempt.refund_due, attempt.refunded) == (0, 80000)
    assert reports(attempt) == [("CHARGE_SUCCESS", AMOUNT)]  # the surplus was never charged in Saleor


def test_an_unpaid_attempt_expires_and_a_late_transfer_is_due_back_without_a_charge(
    client, open_attempt, bank_stand_in
):
    attempt = open_attempt()
    assert services.expire_due(now=attempt.expires_at + datetime.timedelta(seconds=1)) == 1
    attempt.refresh_from_db()
    assert (attempt.status, attempt.outcome) == (Status.EXPIRED, "expired")
    assert reports(attempt) == [("CHARGE_FAILURE", AMOUNT)]

    transfer(client, bank_stand_in, attempt, 620000)
    attempt.refresh_from_db()
    assert (attempt.status, attempt.refund_due) == (Status.EXPIRED, AMOUNT)
    assert ProviderNotification.objects.get(attempt=attempt).outcome == ProviderNotification.Outcome.LATE
    assert reports(attempt) == [("CHARGE_FAILURE", AMOUNT)]  # nothing charged


def test_an_expiring_partial_payment_is_due_back_in_full(client, open_attempt, bank_stand_in):
    attempt = open_attempt()
    transfer(client, bank_stand_in, attempt, 200000)
    services.expire_due(now=attempt.expires_at + datetime.timedelta(seconds=1))
    attempt.refresh_from_db()
    assert (attempt.status, attempt.refund_due) == (Status.EXPIRED, 200000)
    assert reports(attempt)[-1] == ("REFUND_REQUEST", Decimal(200000))


def test_a_transfer_without_our_reference_is_kept_for_staff(client, open_attempt, bank_stand_in):
    attempt = open_attempt()
    transfer(client, bank_stand_in, attempt, 620000, description="tien hang thang 11")
    attempt.refresh_from_db()
    assert attempt.status == Status.PENDING
    assert ProviderNotification.objects.get().outcome == ProviderNotification.Outcome.UNMATCHED


def test_a_product_revoked_while_the_shopper_pays_by_transfer_is_not_sold(
    client, open_attempt, bank_stand_in, certified_product, revoke_certificate
):
    attempt = open_attempt()
    revoke_certificate(certified_product)

    transfer(client, bank_stand_in, attempt, 620000)
    attempt.refresh_from_db()
    assert (attempt.status, attempt.outcome, attempt.refund_due) == (Status.REFUND_PENDING, "product_revoked", AMOUNT)
    assert reports(attempt) == [("CHARGE_FAILURE", AMOUNT)]


def test_a_checkout_with_a_revoked_product_cannot_start_paying(open_attempt, certified_product, revoke_certificate):
    revoke_certificate(certified_product)
    with pytest.raises(services.PaymentRefused) as refused:
        open_attempt()
    assert refused.value.key == "product_unavailable"


# --- VNPay -------------------------------------------------------------------------------------------------


def pay_with_vnpay(vnpay_stand_in, attempt, *, code="00"):
    vnpay_stand_in.response_code = code
    url = services.session_data(attempt, return_url="http://testserver/checkout/vnpay/return/")["redirectUrl"]
    vnpay_stand_in.pay(url)  # the stand-in checks our signature on the URL
    return vnpay_stand_in.result_params(attempt.reference)


def ipn(client, params):
    return client.get(reverse("payments:vnpay_ipn"), params).json()


def test_vnpay_ipn_confirms_once_and_answers_with_vnpays_codes(client, open_attempt, vnpay_stand_in):
    attempt = open_attempt("vnpay")
    params = pay_with_vnpay(vnpay_stand_in, attempt)

    assert ipn(client, params) == {"RspCode": "00", "Message": "Confirm Success"}
    assert ipn(client, params) == {"RspCode": "02", "Message": "Order already confirmed"}
    attempt.refresh_from_db()
    assert (attempt.status, attempt.provider_transaction_no) == (Status.PAID, params["vnp_TransactionNo"])
    assert reports(attempt) == [("CHARGE_SUCCESS", AMOUNT)]
    assert vnpay_stand_in.bad_signatures == 0


def test_vnpay_ipn_refuses_bad_signatures_wrong_amounts_and_unknown_orders(client, open_attempt, vnpay_stand_in):
    attempt = open_attempt("vnpay")
    params = pay_with_vnpay(vnpay_stand_in, attempt)
    assert ipn(client, {**params, "vnp_SecureHash": "0" * 128})["RspCode"] == "97"
    assert ipn(client, {**params, "vnp_Amount": "100"})["RspCode"] == "97"  # the amount is signed

    from .stand_ins import vnpay_hash

    wrong_amount = {k: v for k, v in params.items() if k != "vnp_SecureHash"} | {"vnp_Amount": "100"}
    assert (
        ipn(client, wrong_amount | {"vnp_SecureHash": vnpay_hash(vnpay_stand_in.secret, wrong_amount)})["RspCode"]
        == "04"
    )
    unknown = {k: v for k, v in params.items() if k != "vnp_SecureHash"} | {"vnp_TxnRef": "OCOPNOTEXIST23"}
    assert ipn(client, unknown | {"vnp_SecureHash": vnpay_hash(vnpay_stand_in.secret, unknown)})["RspCode"] == "01"
    attempt.refresh_from_db()
    assert attempt.status == Status.PENDING


def test_a_declined_vnpay_payment_fails_the_attempt(client, open_attempt, vnpay_stand_in):
    attempt = open_attempt("vnpay")
    assert ipn(client, pay_with_vnpay(vnpay_stand_in, attempt, code="24"))["RspCode"] == "00"
    attempt.refresh_from_db()
    assert (attempt.status, attempt.outcome) == (Status.FAILED, "failed")
    assert reports(attempt) == [("CHARGE_FAILURE", AMOUNT)]


def test_a_missing_ipn_is_made_up_for_by_querydr(open_attempt, vnpay_stand_in, settings):
    attempt = open_attempt("vnpay")
    pay_with_vnpay(vnpay_stand_in, attempt)  # paid at VNPay, but the IPN never came
    settings.VNPAY_QUERY_AFTER = 0

    assert services.query_vnpay(now=timezone.now() + datetime.timedelta(seconds=1)) == 1
    attempt.refresh_from_db()
    assert attempt.status == Status.PAID
    assert vnpay_stand_in.queries and vnpay_stand_in.bad_signatures == 0
    assert vnpay_stand_in.queries[0]["vnp_TransactionDate"] == attempt.provider_created


def test_a_vnpay_payment_after_a_revocation_is_refunded_through_vnpay(
    client, open_attempt, vnpay_stand_in, certified_product, revoke_certificate
):
    attempt = open_attempt("vnpay")
    params = pay_with_vnpay(vnpay_stand_in, attempt)
    revoke_certificate(certified_product)

    assert ipn(client, params)["RspCode"] == "00"
    event = OutboxEvent.objects.get(topic=services.REFUND_REQUESTED, key=str(attempt.pk))
    handlers.on_refund_requested(event)  # what the outbox worker runs after commit

    attempt.refresh_from_db()
    assert (attempt.status, attempt.outcome, attempt.refunded) == (Status.REFUNDED, "product_revoked", AMOUNT)
    refund = vnpay_stand_in.refunds[0]
    assert (refund["vnp_TransactionType"], refund["vnp_Amount"]) == ("02", 62000000)
    assert refund["vnp_TransactionNo"] == params["vnp_TransactionNo"]
    assert reports(attempt) == [("CHARGE_SUCCESS", AMOUNT), ("REFUND_SUCCESS", AMOUNT)]


def test_a_partial_refund_asked_by_saleor_goes_through_vnpays_refund_api(client, open_attempt, vnpay_stand_in):
    attempt = open_attempt("vnpay")
    ipn(client, pay_with_vnpay(vnpay_stand_in, attempt))

    outcome = services.refund(attempt.pk, Decimal(185000), report=False)
    assert outcome.done and outcome.amount == 185000
    assert vnpay_stand_in.refunds[-1]["vnp_TransactionType"] == "03"  # partial
    attempt.refresh_from_db()
    assert (attempt.status, attempt.refunded) == (Status.PAID, 185000)


def test_a_vietqr_refund_is_due_until_staff_pay_it_back(client, open_attempt, bank_stand_in):
    attempt = open_attempt()
    transfer(client, bank_stand_in, attempt, 620000)

    outcome = services.refund(attempt.pk, AMOUNT, report=False)
    attempt.refresh_from_db()
    assert not outcome.done and (attempt.status, attempt.refund_due) == (Status.REFUND_PENDING, AMOUNT)

    services.mark_refunded(attempt.pk)
    attempt.refresh_from_db()
    assert (attempt.status, attempt.refunded) == (Status.REFUNDED, AMOUNT)
    assert reports(attempt)[-1] == ("REFUND_SUCCESS", AMOUNT)


def test_querydr_with_a_wrong_secret_changes_nothing_either_way(open_attempt, vnpay_stand_in, settings):
    attempt = open_attempt("vnpay")
    pay_with_vnpay(vnpay_stand_in, attempt)
    settings.VNPAY_QUERY_AFTER = 0
    settings.VNPAY_HASH_SECRET = "not-the-merchant-secret"  # VNPay refuses our request; its answer fails our check

    assert services.query_vnpay(now=timezone.now() + datetime.timedelta(seconds=1)) == 0
    attempt.refresh_from_db()
    assert attempt.status == Status.PENDING and vnpay_stand_in.bad_signatures == 1
