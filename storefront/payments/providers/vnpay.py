"""VNPay payment gateway, API 2.1.0: the payment URL, the return URL and IPN checks, querydr and refund.

Signatures (``vnp_SecureHash``) are HMAC-SHA512 with the merchant's hash secret, in lower-case hex:

- payment URL, return URL and IPN: over the ``vnp_*`` parameters except ``vnp_SecureHash`` /
  ``vnp_SecureHashType``, sorted by name, each ``name=value`` URL-encoded the way VNPay's reference code does
  (``urllib.parse.quote_plus``: spaces as ``+``), joined with ``&``;
- querydr and refund (JSON over HTTPS): over the listed fields joined with ``|`` in the order VNPay fixes, both
  for our request and for VNPay's answer.

Amounts on the wire are VND × 100 (VNPay's "no decimals" rule), dates ``yyyyMMddHHmmss`` in GMT+7.
"""

import dataclasses
import datetime
import hashlib
import hmac
import uuid
import zoneinfo
from decimal import Decimal
from urllib.parse import quote_plus, urlencode

import httpx

VERSION = "2.1.0"
TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
#: What the IPN endpoint answers (VNPay retries until it gets one of these).
IPN_CONFIRMED = {"RspCode": "00", "Message": "Confirm Success"}
IPN_ORDER_NOT_FOUND = {"RspCode": "01", "Message": "Order not found"}
IPN_ALREADY_CONFIRMED = {"RspCode": "02", "Message": "Order already confirmed"}
IPN_INVALID_AMOUNT = {"RspCode": "04", "Message": "invalid amount"}
IPN_INVALID_SIGNATURE = {"RspCode": "97", "Message": "Invalid signature"}
IPN_UNKNOWN_ERROR = {"RspCode": "99", "Message": "Unknown error"}

QUERYDR_REQUEST_FIELDS = [
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
]
REFUND_REQUEST_FIELDS = [
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TransactionType",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_TransactionNo",
    "vnp_TransactionDate",
    "vnp_CreateBy",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
]
REFUND_RESPONSE_FIELDS = [
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
]
# The query answer signs the refund answer's fields, then the promotion applied.
QUERYDR_RESPONSE_FIELDS = [*REFUND_RESPONSE_FIELDS, "vnp_PromotionCode", "vnp_PromotionAmount"]
FULL_REFUND, PARTIAL_REFUND = "02", "03"


class InvalidSignature(Exception):
    pass


class GatewayError(Exception):
    """VNPay's API could not be reached or answered something unusable."""


@dataclasses.dataclass(frozen=True)
class Config:
    tmn_code: str
    hash_secret: str
    payment_url: str  # .../paymentv2/vpcpay.html
    api_url: str  # .../merchant_webapi/api/transaction
    timeout: float = 10.0


def sign(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode("utf-8"), hashlib.sha512).hexdigest()


def query_string(params: dict) -> str:
    """The sorted, encoded ``vnp_*`` parameters the hash is computed over (and the URL carries)."""
    items = sorted(
        (k, str(v))
        for k, v in params.items()
        if k.startswith("vnp_") and k not in ("vnp_SecureHash", "vnp_SecureHashType") and v not in (None, "")
    )
    return "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in items)


def signed_params(params: dict, secret: str) -> dict:
    return {**params, "vnp_SecureHash": sign(secret, query_string(params))}


def verify(params: dict, secret: str) -> dict:
    """The parameters of a return URL or an IPN when their ``vnp_SecureHash`` is right; else ``InvalidSignature``."""
    given = str(params.get("vnp_SecureHash") or "").lower()
    expected = sign(secret, query_string(params))
    if not given or not hmac.compare_digest(given, expected):
        raise InvalidSignature("vnp_SecureHash does not match")
    return params


def wire_amount(amount: Decimal) -> int:
    if amount <= 0 or amount != amount.to_integral_value():
        raise ValueError(f"amount {amount} is not a positive whole number of VND")
    return int(amount) * 100


def amount_from_wire(value) -> Decimal:
    return Decimal(int(value)) / 100


def stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(TZ).strftime("%Y%m%d%H%M%S")


def payment_url(
    config: Config,
    *,
    reference: str,
    amount: Decimal,
    order_info: str,
    return_url: str,
    ip_address: str,
    created: datetime.datetime,
    expires: datetime.datetime,
    locale: str = "vn",
) -> str:
    params = {
        "vnp_Version": VERSION,
        "vnp_Command": "pay",
        "vnp_TmnCode": config.tmn_code,
        "vnp_Amount": wire_amount(amount),
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": reference,
        "vnp_OrderInfo": order_info,
        "vnp_OrderType": "other",
        "vnp_Locale": "en" if locale == "en" else "vn",
        "vnp_ReturnUrl": return_url,
        "vnp_IpAddr": ip_address or "127.0.0.1",
        "vnp_CreateDate": stamp(created),
        "vnp_ExpireDate": stamp(expires),
    }
    signature = urlencode({"vnp_SecureHash": sign(config.hash_secret, query_string(params))})
    return f"{config.payment_url}?{query_string(params)}&{signature}"


@dataclasses.dataclass(frozen=True)
class Result:
    """A verified payment result (return URL, IPN or querydr)."""

    reference: str
    amount: Decimal
    response_code: str
    transaction_status: str
    transaction_no: str
    bank_code: str
    pay_date: str

    @property
    def succeeded(self) -> bool:
        return self.response_code == "00" and self.transaction_status == "00"


def result(params: dict, secret: str) -> Result:
    """Verify a return URL's or IPN's parameters and read the outcome."""
    verify(params, secret)
    try:
        return Result(
            reference=params["vnp_TxnRef"],
            amount=amount_from_wire(params["vnp_Amount"]),
            response_code=params.get("vnp_ResponseCode", ""),
            transaction_status=params.get("vnp_TransactionStatus", ""),
            transaction_no=str(params.get("vnp_TransactionNo", "")),
            bank_code=params.get("vnp_BankCode", ""),
            pay_date=params.get("vnp_PayDate", ""),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise InvalidSignature(f"signed parameters incomplete: {exc}") from exc


def _pipe_hash(secret: str, body: dict, fields: list[str]) -> str:
    return sign(secret, "|".join(str(body.get(name, "")) for name in fields))


def _call(config: Config, body: dict, response_fields: list[str]) -> dict:
    try:
        response = httpx.post(config.api_url, json=body, timeout=config.timeout)
        response.raise_for_status()
        answer = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise GatewayError(str(exc)) from exc
    expected = _pipe_hash(config.hash_secret, answer, response_fields)
    if not hmac.compare_digest(str(answer.get("vnp_SecureHash", "")).lower(), expected):
        raise InvalidSignature(f"VNPay's {body['vnp_Command']} answer is not signed with our secret")
    return answer


def _base(config: Config, command: str, now: datetime.datetime, ip_address: str) -> dict:
    return {
        "vnp_RequestId": uuid.uuid4().hex,
        "vnp_Version": VERSION,
        "vnp_Command": command,
        "vnp_TmnCode": config.tmn_code,
        "vnp_CreateDate": stamp(now),
        "vnp_IpAddr": ip_address or "127.0.0.1",
    }


def querydr(
    config: Config, *, reference: str, transaction_date: str, now: datetime.datetime, ip_address: str = ""
) -> Result:
    """Ask VNPay for the outcome of a payment whose IPN did not come."""
    body = {
        **_base(config, "querydr", now, ip_address),
        "vnp_TxnRef": reference,
        "vnp_TransactionDate": transaction_date,
        "vnp_OrderInfo": f"Truy van giao dich {reference}",
    }
    body["vnp_SecureHash"] = _pipe_hash(config.hash_secret, body, QUERYDR_REQUEST_FIELDS)
    answer = _call(config, body, QUERYDR_RESPONSE_FIELDS)
    return Result(
        reference=answer.get("vnp_TxnRef", reference),
        amount=amount_from_wire(answer.get("vnp_Amount") or 0),
        response_code=answer.get("vnp_ResponseCode", ""),
        transaction_status=answer.get("vnp_TransactionStatus", ""),
        transaction_no=str(answer.get("vnp_TransactionNo", "")),
        bank_code=answer.get("vnp_BankCode", ""),
        pay_date=answer.get("vnp_PayDate", ""),
    )


def refund(
    config: Config,
    *,
    reference: str,
    amount: Decimal,
    full: bool,
    transaction_no: str,
    transaction_date: str,
    created_by: str,
    now: datetime.datetime,
    ip_address: str = "",
) -> dict:
    """Refund through VNPay's API; returns VNPay's verified answer (``vnp_ResponseCode`` "00" = accepted)."""
    body = {
        **_base(config, "refund", now, ip_address),
        "vnp_TransactionType": FULL_REFUND if full else PARTIAL_REFUND,
        "vnp_TxnRef": reference,
        "vnp_Amount": wire_amount(amount),
        "vnp_TransactionNo": transaction_no,
        "vnp_TransactionDate": transaction_date,
        "vnp_CreateBy": created_by,
        "vnp_OrderInfo": f"Hoan tien giao dich {reference}",
    }
    body["vnp_SecureHash"] = _pipe_hash(config.hash_secret, body, REFUND_REQUEST_FIELDS)
    return _call(config, body, REFUND_RESPONSE_FIELDS)
