"""Opening an attempt when Saleor asks (TRANSACTION_INITIALIZE_SESSION), and what the shopper's page shows."""

import dataclasses
import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import config
from ..models import Method, PaymentAttempt
from ..providers import vietqr, vnpay
from .records import (
    MethodUnavailable,
    PaymentRefused,
    Status,
    log_step,
    new_reference,
    unlisted,
)

# --- opening -----------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Session:
    attempt: PaymentAttempt
    data: dict


def open_attempt(
    *,
    method: str,
    saleor_api_url: str,
    transaction_id: str,
    checkout_id: str,
    idempotency_key: str,
    amount: Decimal,
    email: str,
    product_ids: list[int],
    ip_address: str = "",
    return_url: str = "",
    locale: str = "vn",
) -> Session:
    """Open (or, for the same idempotency key, find again) the attempt for a Saleor transaction. The listing
    rule is asked first: a checkout holding a product that may not be sold is refused (``PaymentRefused``)."""
    if method not in Method.values:
        raise MethodUnavailable(method)
    if method not in config.enabled_methods():
        raise MethodUnavailable(method)
    if not product_ids or unlisted(product_ids):
        raise PaymentRefused("product_unavailable")
    if amount <= 0 or amount != amount.to_integral_value():
        raise PaymentRefused("failed")
    existing = (
        PaymentAttempt.objects.filter(saleor_checkout_id=checkout_id, idempotency_key=idempotency_key).first()
        or PaymentAttempt.objects.filter(saleor_transaction_id=transaction_id).first()
    )
    if existing is not None:
        return Session(existing, session_data(existing, return_url=return_url, ip_address=ip_address, locale=locale))
    now = timezone.now()
    minutes = settings.PAYMENTS_VIETQR_EXPIRY_MINUTES if method == Method.VIETQR else settings.VNPAY_EXPIRY_MINUTES
    try:
        with transaction.atomic():
            attempt = PaymentAttempt.objects.create(
                method=method,
                reference=new_reference(),
                saleor_api_url=saleor_api_url,
                saleor_transaction_id=transaction_id,
                saleor_checkout_id=checkout_id,
                idempotency_key=idempotency_key,
                email=email or "",
                product_ids=sorted(set(product_ids)),
                amount=amount,
                expires_at=now + datetime.timedelta(minutes=minutes),
                provider_created=vnpay.stamp(now) if method == Method.VNPAY else "",
            )
            log_step(attempt, "opened")
    except IntegrityError:  # the same initialize arrived twice at once: the first one's attempt
        attempt = PaymentAttempt.objects.get(saleor_checkout_id=checkout_id, idempotency_key=idempotency_key)
    return Session(attempt, session_data(attempt, return_url=return_url, ip_address=ip_address, locale=locale))


def session_data(attempt: PaymentAttempt, *, return_url: str = "", ip_address: str = "", locale: str = "vn") -> dict:
    """What the storefront needs to let the shopper pay (returned to Saleor as the transaction's ``data``)."""
    data = {
        "method": attempt.method,
        "reference": attempt.reference,
        "amount": int(attempt.amount),
        "outstanding": int(attempt.outstanding),
        "status": attempt.status,
        "outcome": attempt.outcome,
        "expiresAt": attempt.expires_at.isoformat(),
    }
    if attempt.method == Method.VIETQR:
        beneficiary = config.vietqr_beneficiary()
        data.update(
            bankBin=beneficiary.bank_bin,
            account=beneficiary.account,
            accountName=beneficiary.name,
            qr=vietqr.payload(beneficiary, amount=attempt.outstanding or attempt.amount, reference=attempt.reference),
        )
    elif attempt.method == Method.VNPAY and attempt.status == Status.PENDING and return_url:
        data["redirectUrl"] = vnpay.payment_url(
            config.vnpay_config(),
            reference=attempt.reference,
            amount=attempt.amount,
            order_info=f"Thanh toan don hang {attempt.reference}",
            return_url=return_url,
            ip_address=ip_address,
            created=timezone.now(),
            expires=attempt.expires_at,
            locale=locale,
        )
    return data
