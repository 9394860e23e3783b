"""What the shopper is told about a payment. Attempts store a key (``PaymentAttempt.outcome``); the sentence is
chosen here, in the shopper's language, when it is shown."""

from django.utils.translation import gettext_lazy as _

OUTCOMES = {
    "product_unavailable": _(
        "A product in your cart is no longer OCOP-certified and cannot be sold. Nothing was charged; please "
        "remove it from your cart."
    ),
    "product_revoked": _(
        "A product in your order lost its OCOP certification while you were paying. Your payment is being "
        "refunded in full and no order was placed."
    ),
    "partial": _(
        "We received part of the amount. Please transfer the remaining %(outstanding)s with the same reference."
    ),
    "surplus": _("We received more than the order total; the difference will be refunded to your account."),
    "expired": _("The time to pay has run out and the order was not placed. Any amount received will be refunded."),
    "late": _("Your transfer arrived after the payment time ran out. It will be refunded; no order was placed."),
    "cancelled": _("The payment was cancelled."),
    "failed": _("The payment did not go through. Nothing was charged; you can try again."),
    "refunded": _("Your payment has been refunded."),
    "paid": _("Payment received. Thank you!"),
}


def describe(key: str, **params) -> str:
    text = OUTCOMES.get(key)
    if text is None:
        return ""
    return str(text) % params if params else str(text)
