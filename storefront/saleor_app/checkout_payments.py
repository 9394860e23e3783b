"""Paying a Saleor checkout online through the Transactions API, for the storefront: ``paymentGatewayInitialize``
(which methods our payment App offers), ``transactionInitialize`` (opens the payment: a VietQR code or VNPay's
payment URL), ``transactionProcess`` (brings the outcome into Saleor), then ``checkoutComplete``.

The listing rule is asked before the payment starts (``get_checkout``) and again by the payment App when the
money arrives (``storefront.payments.services``). Calls are the storefront's (no app token), like a browser's.
"""

import dataclasses
import logging
from decimal import Decimal

from storefront.payments.models import PaymentAttempt

from . import payment_documents as pay
from .checkout import CheckoutRefused, _instance, _refusal, _unreachable, get_checkout
from .client import SaleorClient, SaleorError, SaleorMutationError
from .documents import CHECKOUT_COMPLETE
from .manifest import APP_ID

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class PaymentStep:
    transaction_id: str
    result: str  # Saleor's event type: CHARGE_ACTION_REQUIRED, CHARGE_SUCCESS, CHARGE_FAILURE...
    data: dict

    @property
    def failed(self) -> bool:
        return self.result.endswith("FAILURE")

    @property
    def outcome(self) -> str:
        return (self.data or {}).get("outcome") or ("failed" if self.failed else "")


def _wire(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def offered_methods(*, checkout_id: str) -> list[str]:
    """The online methods our payment App offers for this checkout (PAYMENT_GATEWAY_INITIALIZE_SESSION)."""
    instance = _instance()
    try:
        result = SaleorClient(instance.api_url).mutate(
            pay.PAYMENT_GATEWAY_INITIALIZE,
            {"id": checkout_id, "gateways": [{"id": APP_ID}]},
            auth=False,
        )
    except SaleorError:
        logger.warning("paymentGatewayInitialize failed", exc_info=True)
        return []
    for gateway in result.get("gatewayConfigs") or []:
        if gateway["id"] == APP_ID and not gateway.get("errors"):
            return list((gateway.get("data") or {}).get("methods") or [])
    return []


def _mutate(document: str, variables: dict) -> dict:
    """A shopper's mutation (no app token); Saleor's refusal as ``CheckoutRefused``, Saleor down as unavailable."""
    try:
        return SaleorClient(_instance().api_url).mutate(document, variables, auth=False)
    except SaleorMutationError as exc:
        raise _refusal(exc) from exc
    except SaleorError as exc:
        raise _unreachable(exc) from exc


def _step(transaction_id: str, result: dict) -> PaymentStep:
    event = result.get("transactionEvent") or {}
    return PaymentStep(transaction_id=transaction_id, result=event.get("type", ""), data=result.get("data") or {})


def start_payment(*, checkout_id: str, method: str, ip_address: str = "", locale: str = "vi") -> PaymentStep:
    """Open an online payment for the whole checkout. The listing rule is checked first (``CheckoutRefused``)."""
    checkout = get_checkout(checkout_id=checkout_id)
    amount = Decimal(str(checkout["totalPrice"]["gross"]["amount"]))
    result = _mutate(
        pay.TRANSACTION_INITIALIZE,
        {
            "id": checkout_id,
            "amount": _wire(amount),
            "gateway": {
                "id": APP_ID,
                # The shopper's address for VNPay (vnp_IpAddr): Saleor would see only our server's.
                "data": {"method": method, "locale": "en" if locale == "en" else "vn", "customerIp": ip_address},
            },
        },
    )
    return _step(result["transaction"]["id"], result)


def process_payment(*, transaction_id: str, data: dict | None = None) -> PaymentStep:
    """Bring the payment's outcome into Saleor (TRANSACTION_PROCESS_SESSION): for VNPay with its signed return
    parameters (``{"vnpay": {...}}``)."""
    return _step(transaction_id, _mutate(pay.TRANSACTION_PROCESS, {"id": transaction_id, "data": data or {}}))


def complete_paid_checkout(*, checkout_id: str) -> dict:
    """Place the order of a checkout paid through a transaction. Re-checks the listing rule first."""
    get_checkout(checkout_id=checkout_id)
    return _mutate(CHECKOUT_COMPLETE, {"id": checkout_id})["order"]


def attempt_for(transaction_id: str) -> PaymentAttempt | None:
    return PaymentAttempt.objects.filter(saleor_transaction_id=transaction_id).first()


def attempt_by_reference(reference: str) -> PaymentAttempt | None:
    return PaymentAttempt.objects.filter(reference=reference).first()


__all__ = [
    "CheckoutRefused",
    "PaymentStep",
    "attempt_by_reference",
    "attempt_for",
    "complete_paid_checkout",
    "offered_methods",
    "process_payment",
    "start_payment",
]
