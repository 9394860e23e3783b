"""Checkout goes through Saleor. This module is the storefront's only door to the Saleor App
(``storefront.saleor_app.checkout``).

When no Saleor is connected (the embedded default), or the Saleor App is not installed, online
checkout is unavailable and the storefront says so; it never records or fakes an order itself.
"""

import contextlib
import logging

from django.conf import settings
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

CASH_ON_DELIVERY = "cod"
TEST_GATEWAY = "dummy"
VIETQR = "vietqr"
VNPAY = "vnpay"
ONLINE = (VIETQR, VNPAY)
PAYMENT_LABELS = {
    VIETQR: _("Bank transfer by VietQR (scan with your banking app)"),
    VNPAY: _("VNPay (ATM card, QR, e-wallet)"),
    CASH_ON_DELIVERY: _("Cash on delivery"),
    TEST_GATEWAY: _("Test payment (Saleor's dummy gateway, development only)"),
}


class CheckoutUnavailable(Exception):
    pass


class CheckoutRefused(Exception):
    """Saleor or the listing rule refused the cart; the message is for the shopper."""


def online_checkout_available() -> bool:
    try:
        from .saleor_app.checkout import checkout_available
    except ImportError:
        return False
    try:
        return bool(checkout_available())
    except Exception:
        logger.warning("Could not tell whether Saleor checkout is available", exc_info=True)
        return False


@contextlib.contextmanager
def _saleor():
    """The Saleor App's checkout module, its exceptions turned into the storefront's."""
    try:
        from .saleor_app import checkout as saleor_checkout
    except ImportError as exc:
        raise CheckoutUnavailable(str(exc)) from exc
    try:
        yield saleor_checkout
    except saleor_checkout.CheckoutUnavailable as exc:
        raise CheckoutUnavailable(str(exc)) from exc
    except saleor_checkout.CheckoutRefused as exc:
        raise CheckoutRefused(exc.message) from exc


def start_saleor_checkout(*, lines, email: str, address: dict, combo_lines=()):
    """Hand the cart to Saleor's checkout: the one call from the storefront into the Saleor App.

    ``lines`` are available ``CartLine``s; ``address`` holds the ``VietnamAddress`` fields.
    Returns the Saleor checkout (a dict: id, lines, total, shipping methods).
    """
    with _saleor() as saleor_checkout:
        return saleor_checkout.create_checkout(
            lines=[(line.product, line.quantity) for line in lines],
            combos=[(line.combo, line.quantity) for line in combo_lines],
            email=email,
            address=saleor_checkout.VietnamAddress(**address),
        )


def current_checkout(checkout_id: str) -> dict:
    """The checkout as Saleor has it now; refused when a product in it may no longer be sold."""
    with _saleor() as saleor_checkout:
        return saleor_checkout.get_checkout(checkout_id=checkout_id)


def choose_delivery(checkout_id: str, delivery_method_id: str) -> dict:
    with _saleor() as saleor_checkout:
        return saleor_checkout.set_delivery_method(checkout_id=checkout_id, delivery_method_id=delivery_method_id)


def payment_methods(checkout_id: str | None = None) -> list[tuple[str, str]]:
    """The online methods our payment App offers for the checkout (asked through Saleor's
    paymentGatewayInitialize), cash on delivery always, Saleor's dummy gateway only where test payments are
    enabled (development)."""
    methods = [CASH_ON_DELIVERY]
    if settings.SALEOR_TEST_PAYMENTS:
        methods.insert(0, TEST_GATEWAY)
    if checkout_id:
        try:
            with _saleor():
                from .saleor_app import checkout_payments

                offered = checkout_payments.offered_methods(checkout_id=checkout_id)
        except (CheckoutUnavailable, CheckoutRefused):
            offered = []
        methods = [m for m in ONLINE if m in offered] + methods
    return [(code, PAYMENT_LABELS[code]) for code in methods]


def start_online_payment(checkout_id: str, method: str, *, ip_address: str = "", locale: str = "vi"):
    """Open a VietQR or VNPay payment for the checkout in Saleor; returns the payment step (transaction id,
    Saleor's result, the data to show or the URL to go to)."""
    with _saleor():
        from .saleor_app import checkout_payments

        return checkout_payments.start_payment(
            checkout_id=checkout_id, method=method, ip_address=ip_address, locale=locale
        )


def process_online_payment(transaction_id: str, *, data: dict | None = None):
    with _saleor():
        from .saleor_app import checkout_payments

        return checkout_payments.process_payment(transaction_id=transaction_id, data=data)


def complete_paid_order(checkout_id: str) -> dict:
    with _saleor():
        from .saleor_app import checkout_payments

        return checkout_payments.complete_paid_checkout(checkout_id=checkout_id)


def place_order(checkout_id: str, payment: str) -> dict:
    """Pay and complete in Saleor; returns Saleor's order (number, status, total)."""
    with _saleor() as saleor_checkout:
        method = {
            CASH_ON_DELIVERY: saleor_checkout.PaymentMethod.CASH_ON_DELIVERY,
            TEST_GATEWAY: saleor_checkout.PaymentMethod.DUMMY,
        }[payment]
        return saleor_checkout.complete_checkout(checkout_id=checkout_id, payment=method)


def find_order(*, email: str, number: str):
    """The order with this number AND this email, else None (also when no Saleor is connected)."""
    try:
        from .saleor_app.checkout import find_order as saleor_find_order
    except ImportError:
        return None
    return saleor_find_order(email=email, number=number)
