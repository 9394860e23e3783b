"""The providers' wire formats and signatures, checked both ways against independent implementations and the
providers' own worked examples."""

import binascii
import json
import urllib.parse
from decimal import Decimal

import pytest

from storefront.payments.providers import bank_statement, vietqr, vnpay

from .stand_ins import BankStatementStandIn, vnpay_hash

# --- VietQR ------------------------------------------------------------------------------------------------

BENEFICIARY = vietqr.Beneficiary(bank_bin="970436", account="0011001234567", name="HTX OCOP")


def test_a_vietqr_payload_carries_what_napas_requires_and_a_valid_crc():
    code = vietqr.payload(BENEFICIARY, amount=Decimal("620000"), reference="OCOPAB23CD45EF")

    decoded = vietqr.read(code)
    assert (decoded.guid, decoded.bank_bin, decoded.account) == ("A000000727", "970436", "0011001234567")
    assert decoded.service == "QRIBFTTA"  # transfer to an account (NAPAS 247)
    assert (decoded.amount, decoded.currency, decoded.reference) == (Decimal("620000"), "704", "OCOPAB23CD45EF")
    assert code.startswith("000201010212")  # EMVCo format 01, dynamic (single-use) code
    assert "5802VN" in code
    # CRC-16/CCITT-FALSE over everything up to and including "6304", computed independently
    assert code[-8:-4] == "6304"
    assert code[-4:] == f"{binascii.crc_hqx(code[:-4].encode(), 0xFFFF):04X}"


def test_a_damaged_vietqr_payload_is_refused():
    code = vietqr.payload(BENEFICIARY, amount=Decimal("620000"), reference="OCOPAB23CD45EF")
    with pytest.raises(vietqr.InvalidPayload):
        vietqr.read(code.replace("620000", "520000"))


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5"), Decimal("1000.50")])
def test_vietqr_refuses_amounts_that_are_not_whole_positive_vnd(amount):
    with pytest.raises(vietqr.InvalidPayload):
        vietqr.payload(BENEFICIARY, amount=amount, reference="OCOPAB23CD45EF")


def test_the_qr_code_is_inline_svg():
    svg = vietqr.svg(vietqr.payload(BENEFICIARY, amount=Decimal("1000"), reference="OCOPAB23CD45EF"))
    assert svg.startswith("<svg") and "http" not in svg.split(">", 1)[1]


# --- VNPay -------------------------------------------------------------------------------------------------

#: The payment URL of VNPay's integration guide (API 2.1.0), worked example.
GUIDE_URL = (
    "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?vnp_Amount=1806000&vnp_Command=pay"
    "&vnp_CreateDate=20210801153333&vnp_CurrCode=VND&vnp_IpAddr=127.0.0.1&vnp_Locale=vn"
    "&vnp_OrderInfo=Thanh+toan+don+hang+%3A5&vnp_OrderType=other"
    "&vnp_ReturnUrl=https%3A%2F%2Fdomainmerchant.vn%2FReturnUrl&vnp_TmnCode=DEMOV210&vnp_TxnRef=5"
    "&vnp_Version=2.1.0&vnp_SecureHash=3e0d61a0c0534b2e36680b3f7277743e8784cc4e1d68fa7d276e79c23be7d6318d338b4779"
    "10a27992f5057bb1582bd44bd82ae8009ffaf6d141219218625c42"
)
SECRET = "merchant-hash-secret-for-tests"


def test_the_signed_string_is_exactly_the_guides_query_sorted_and_encoded():
    query = urllib.parse.urlsplit(GUIDE_URL).query
    params = dict(urllib.parse.parse_qsl(query))
    assert vnpay.query_string(params) == query.split("&vnp_SecureHash=")[0]
    assert len(params["vnp_SecureHash"]) == 128  # HMAC-SHA512, hex


def test_the_payment_url_is_signed_the_way_vnpay_checks_it():
    config = vnpay.Config(
        tmn_code="OCOPTEST", hash_secret=SECRET, payment_url="https://pay.example/vpcpay.html", api_url=""
    )
    import datetime

    now = datetime.datetime(2026, 12, 1, 3, 0, tzinfo=datetime.UTC)
    url = vnpay.payment_url(
        config,
        reference="OCOPAB23CD45EF",
        amount=Decimal("620000"),
        order_info="Thanh toan don hang OCOPAB23CD45EF",
        return_url="https://ocop.example.vn/checkout/vnpay/return/",
        ip_address="203.0.113.7",
        created=now,
        expires=now + datetime.timedelta(minutes=15),
    )
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    assert params["vnp_Amount"] == "62000000"  # VND × 100
    assert params["vnp_CreateDate"] == "20261201100000"  # GMT+7
    assert params["vnp_SecureHash"] == vnpay_hash(SECRET, params)  # VNPay's own recipe accepts it
    assert params["vnp_SecureHash"] != vnpay_hash("another-secret", params)


def test_a_result_signed_by_vnpay_is_accepted_and_a_tampered_one_refused():
    params = {
        "vnp_Amount": "62000000",
        "vnp_ResponseCode": "00",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": "OCOPAB23CD45EF",
        "vnp_TransactionNo": "14000123",
        "vnp_OrderInfo": "Thanh toan don hang",
        "vnp_TmnCode": "OCOPTEST",
        "vnp_PayDate": "20261201100500",
        "vnp_BankCode": "NCB",
    }
    params["vnp_SecureHash"] = vnpay_hash(SECRET, params)

    result = vnpay.result(params, SECRET)
    assert result.succeeded and result.amount == Decimal("620000") and result.transaction_no == "14000123"
    for tampered in ({"vnp_Amount": "100"}, {"vnp_ResponseCode": "24"}, {"vnp_SecureHash": "0" * 128}):
        with pytest.raises(vnpay.InvalidSignature):
            vnpay.result({**params, **tampered}, SECRET)
    with pytest.raises(vnpay.InvalidSignature):
        vnpay.result(params, "wrong-secret")


# --- Casso webhook v2 --------------------------------------------------------------------------------------

#: Casso's documented example of a webhook v2 delivery, its checksum key and its X-Casso-Signature.
CASSO_EXAMPLE = {
    "error": 0,
    "data": {
        "id": 0,
        "reference": "MA_GIAO_DICH_THU_NGHIEM",
        "description": "giao dich thu nghiem",
        "amount": 599000,
        "runningBalance": 25000000,
        "transactionDateTime": "2024-10-03 15:06:37",
        "accountNumber": "88888888",
        "bankName": "VPBank",
        "bankAbbreviation": "VPB",
        "virtualAccountNumber": "",
        "virtualAccountName": "",
        "counterAccountName": "NGUYEN VAN A",
        "counterAccountNumber": "8888888888",
        "counterAccountBankId": "970415",
        "counterAccountBankName": "VietinBank",
    },
}
CASSO_KEY = "mgExMrjj4i7a1p8Cs6LmFbpCd8lbw4sSX4LZXPag7TKazeIogtR90tvWYTkwQbvs"
CASSO_SIGNATURE = (
    "t=1727948258788,v1=ed0a4bd2e826d5cb69988cdb141e6c1a080e21f3b57eb72cd78192220042b9e7dde0868fc667faea8e224900fa"
    "7904e7c88dfa098032fb2d6b6996856e8b7ff3"
)


def casso(key=CASSO_KEY, now=1727948258.788):
    return bank_statement.Casso(checksum_key=key, clock=lambda: now)


def test_cassos_worked_example_verifies():
    transfers = casso().transfers({"X-Casso-Signature": CASSO_SIGNATURE}, json.dumps(CASSO_EXAMPLE).encode())
    assert [(t.external_id, t.amount, t.description) for t in transfers] == [
        ("0", Decimal(599000), "giao dich thu nghiem")
    ]
    assert casso().sign(CASSO_EXAMPLE, timestamp_ms=1727948258788) == CASSO_SIGNATURE


@pytest.mark.parametrize(
    "change",
    [
        lambda body, sig: ({**body, "data": {**body["data"], "amount": 5990000}}, sig),
        lambda body, sig: (body, sig.replace("t=1727948258788", "t=1727948258789")),
        lambda body, sig: (body, ""),
        lambda body, sig: (body, "v1=" + sig.split("v1=")[1]),
    ],
    ids=["amount changed", "timestamp changed", "no signature", "malformed header"],
)
def test_a_tampered_casso_notification_is_refused(change):
    body, signature = change(CASSO_EXAMPLE, CASSO_SIGNATURE)
    with pytest.raises(bank_statement.InvalidNotification):
        casso().transfers({"X-Casso-Signature": signature}, json.dumps(body).encode())


def test_a_casso_notification_signed_with_another_key_or_too_old_is_refused():
    with pytest.raises(bank_statement.InvalidNotification):
        casso(key="another-key").transfers({"X-Casso-Signature": CASSO_SIGNATURE}, json.dumps(CASSO_EXAMPLE).encode())
    with pytest.raises(bank_statement.InvalidNotification, match="replay window"):
        casso(now=1727948258.788 + 3600).transfers(
            {"X-Casso-Signature": CASSO_SIGNATURE}, json.dumps(CASSO_EXAMPLE).encode()
        )


def test_the_stand_in_and_our_adapter_agree_both_ways_with_vietnamese_text():
    stand_in = BankStatementStandIn(checksum_key="k" * 40)
    body = stand_in.body(amount=620000, description="Nguyễn Thị Lan chuyển tiền OCOPAB23CD45EF")
    ours = bank_statement.Casso(checksum_key="k" * 40)
    raw = json.dumps(body, ensure_ascii=False).encode()
    assert ours.transfers({"x-casso-signature": stand_in.signature(body)}, raw)[0].amount == Decimal(620000)
    assert stand_in.signature(body, timestamp_ms=1) == ours.sign(body, timestamp_ms=1)


def test_money_going_out_of_the_account_is_not_a_payment():
    stand_in = BankStatementStandIn(checksum_key="k" * 40)
    body = stand_in.body(amount=-50000, description="phi dich vu")
    raw = json.dumps(body).encode()
    assert (
        bank_statement.Casso(checksum_key="k" * 40).transfers({"X-Casso-Signature": stand_in.signature(body)}, raw)
        == []
    )
