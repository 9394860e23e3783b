"""Saleor's synchronous payment webhooks: our App is the payment gateway (its id is our App identifier; the
method, VietQR or VNPay, comes in the request's ``data``). Saleor waits for the JSON we answer and turns it into
transaction events. Each delivery is authenticated like the asynchronous ones (``webhooks.authenticate``: JWS
over the raw body, recipient our App, ``issuedAt`` inside the window); the handlers are idempotent (Saleor's
idempotency key, our transaction mapping), so a repeated delivery opens nothing twice.

Asynchronous outcomes (a bank transfer arriving, an IPN, an expiry, a refund done later) are reported back with
``transactionEventReport`` through the outbox (``on_transaction_event``).
"""

import ipaddress
import logging
from decimal import Decimal

from django.urls import reverse

from ocop.links import public_url
from ocop.outbox.models import OutboxEvent
from storefront.payments import config as payment_config
from storefront.payments import services
from storefront.payments.models import Method, PaymentAttempt
from storefront.payments.providers import vnpay

from . import payment_documents as doc
from . import webhooks
from .client import SaleorMutationError
from .models import SaleorInstance, SaleorProduct
from .services import client_for

logger = logging.getLogger(__name__)

TRANSACTION_EVENT_SUBSCRIBER = "saleor-transaction-event"


def receive(*, api_url: str, raw_body: bytes, signature: str) -> dict:
    """Authenticate one synchronous payment webhook and answer it. Raises ``webhooks.Refused``."""
    instance, payload, _issued_at = webhooks.authenticate(api_url=api_url, raw_body=raw_body, signature=signature)
    handler = HANDLERS.get(payload["__typename"])
    if handler is None:
        raise webhooks.Refused(400, f"{payload['__typename']} is not a payment webhook")
    return handler(instance, payload)


def _amount(value) -> Decimal:
    return Decimal(str(value or 0))


def _wire(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _product_ids(instance: SaleorInstance, source: dict) -> list[int] | None:
    """The registry products of a checkout's lines; None when a line is not one of our products."""
    variant_ids = {line["variant"]["id"] for line in source.get("lines") or []}
    found = dict(
        SaleorProduct.objects.filter(instance=instance, saleor_variant_id__in=variant_ids).values_list(
            "saleor_variant_id", "product_id"
        )
    )
    if not variant_ids or set(found) != variant_ids:
        return None
    return sorted(set(found.values()))


def _ip(value) -> str:
    try:
        return str(ipaddress.ip_address(str(value or "").strip()))
    except ValueError:
        return ""


def gateway_initialize(instance: SaleorInstance, payload: dict) -> dict:
    return {"data": {"methods": payment_config.enabled_methods()}}


def _failure(amount: Decimal, key: str) -> dict:
    return {"result": "CHARGE_FAILURE", "amount": _wire(amount), "message": key, "data": {"outcome": key}}


def transaction_initialize(instance: SaleorInstance, payload: dict) -> dict:
    action = payload.get("action") or {}
    amount = _amount(action.get("amount"))
    data = payload.get("data") or {}
    source = payload.get("sourceObject") or {}
    if source.get("__typename") != "Checkout" or action.get("currency") != "VND":
        return _failure(amount, "failed")
    product_ids = _product_ids(instance, source)
    if product_ids is None:
        return _failure(amount, "product_unavailable")
    locale = "en" if data.get("locale") == "en" else "vn"
    try:
        session = services.open_attempt(
            method=str(data.get("method") or ""),
            saleor_api_url=instance.api_url,
            transaction_id=payload["transaction"]["id"],
            checkout_id=source["id"],
            idempotency_key=payload.get("idempotencyKey") or payload["transaction"]["id"],
            amount=amount,
            email=source.get("email") or "",
            product_ids=product_ids,
            ip_address=_ip(data.get("customerIp")) or _ip(payload.get("customerIpAddress")),
            return_url=public_url(reverse("storefront:vnpay_return")),
            locale=locale,
        )
    except services.PaymentRefused as exc:
        return _failure(amount, exc.key)
    except services.MethodUnavailable:
        return _failure(amount, "failed")
    return {
        "pspReference": session.attempt.reference,
        "result": "CHARGE_ACTION_REQUIRED",
        "amount": _wire(amount),
        "data": session.data,
    }


def transaction_process(instance: SaleorInstance, payload: dict) -> dict:
    """The storefront came back (VNPay's return URL, or asks how a VietQR transfer stands)."""
    action = payload.get("action") or {}
    attempt = PaymentAttempt.objects.filter(saleor_transaction_id=(payload.get("transaction") or {}).get("id")).first()
    if attempt is None:
        return _failure(_amount(action.get("amount")), "failed")
    params = (payload.get("data") or {}).get("vnpay")
    if attempt.method == Method.VNPAY and isinstance(params, dict):
        try:
            secret = payment_config.vnpay_config().hash_secret
            result = vnpay.result({str(k): str(v) for k, v in params.items()}, secret)
        except vnpay.InvalidSignature:
            logger.warning("VNPay return parameters with a bad signature for %s", attempt.reference)
        else:
            if result.reference == attempt.reference:
                services.apply_vnpay(result, source="return")
        attempt.refresh_from_db()
    charge = services.last_charge(attempt)
    if attempt.status == PaymentAttempt.Status.PAID and charge:
        psp_reference, amount = charge
        return {"pspReference": psp_reference, "result": "CHARGE_SUCCESS", "amount": _wire(amount)}
    if attempt.status in services.OPEN:
        return {
            "pspReference": attempt.reference,
            "result": "CHARGE_ACTION_REQUIRED",
            "amount": _wire(_amount(action.get("amount")) or attempt.amount),
            "data": services.session_data(attempt),
        }
    return {
        "pspReference": attempt.reference,
        "result": "CHARGE_FAILURE",
        "amount": _wire(_amount(action.get("amount")) or attempt.amount),
        "message": attempt.outcome,
        "data": services.session_data(attempt),
    }


def refund_requested(instance: SaleorInstance, payload: dict) -> dict:
    action = payload.get("action") or {}
    transaction = payload.get("transaction") or {}
    attempt = PaymentAttempt.objects.filter(saleor_transaction_id=transaction.get("id")).first()
    amount = _amount(action.get("amount"))
    if attempt is None:
        return {"pspReference": transaction.get("pspReference") or "", "result": "REFUND_FAILURE", "amount": 0}
    outcome = services.refund(attempt.pk, amount, by="saleor", report=False)
    if outcome.done:
        return {"pspReference": outcome.psp_reference, "result": "REFUND_SUCCESS", "amount": _wire(outcome.amount)}
    if outcome.failed:
        return {"pspReference": outcome.psp_reference, "result": "REFUND_FAILURE", "amount": _wire(amount)}
    return {"pspReference": outcome.psp_reference}  # under way (a bank transfer back): reported when done


def cancelation_requested(instance: SaleorInstance, payload: dict) -> dict:
    action = payload.get("action") or {}
    transaction = payload.get("transaction") or {}
    attempt = PaymentAttempt.objects.filter(saleor_transaction_id=transaction.get("id")).first()
    if attempt is None:
        return {"pspReference": transaction.get("pspReference") or "", "result": "CANCEL_FAILURE", "amount": 0}
    attempt = services.cancel(attempt.pk)
    result = "CANCEL_SUCCESS" if attempt.status == PaymentAttempt.Status.CANCELLED else "CANCEL_FAILURE"
    return {"pspReference": attempt.reference, "result": result, "amount": _wire(_amount(action.get("amount")))}


HANDLERS = {
    "PaymentGatewayInitializeSession": gateway_initialize,
    "TransactionInitializeSession": transaction_initialize,
    "TransactionProcessSession": transaction_process,
    "TransactionRefundRequested": refund_requested,
    "TransactionCancelationRequested": cancelation_requested,
}


def on_transaction_event(event: OutboxEvent) -> None:
    """Outbox subscriber: report an asynchronous payment outcome to Saleor (``transactionEventReport``).
    Saleor deduplicates an event with the same type, pspReference and amount, so a repeated delivery is safe."""
    payload = event.payload
    instance = SaleorInstance.objects.filter(api_url=payload["api_url"], is_active=True).first()
    if instance is None:
        logger.warning("No active Saleor %s for transaction event %s", payload["api_url"], event.pk)
        return
    variables = {
        "id": payload["transaction_id"],
        "type": payload["type"],
        "amount": _wire(_amount(payload["amount"])),
        "pspReference": payload["psp_reference"],
        "message": payload.get("message") or "",
    }
    if payload["type"] == "CHARGE_SUCCESS":
        variables["availableActions"] = ["REFUND"]
    try:
        client_for(instance).mutate(doc.TRANSACTION_EVENT_REPORT, variables)
    except SaleorMutationError as exc:
        logger.warning("transactionEventReport %s refused by Saleor: %s", payload["type"], exc)
