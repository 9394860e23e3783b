"""Refunds, cancellation and expiry of attempts, and asking VNPay about results that never came."""

import dataclasses
import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog import audit

from .. import config
from ..models import Method, PaymentAttempt
from ..providers import vnpay
from .arriving import apply_vnpay
from .records import (
    OPEN,
    Status,
    log_step,
    logger,
    report_to_saleor,
)

# --- refunds, cancellation, expiry ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class RefundResult:
    done: bool  # refunded now (VNPay); False: due, paid back by staff (VietQR) or failed
    amount: Decimal
    psp_reference: str
    failed: bool = False


def refund(attempt_id: int, amount: Decimal | None = None, *, by: str = "saleor", report: bool = True) -> RefundResult:
    """Refund ``amount`` (default: what is due, else everything received and not refunded). VNPay: through its
    refund API, now. VietQR: becomes a refund due, paid back from the bank account by staff (``mark_refunded``).
    ``report``: also tell Saleor through the outbox (not when Saleor asked synchronously and gets the answer)."""
    attempt = PaymentAttempt.objects.get(pk=attempt_id)
    amount = amount if amount is not None else (attempt.refund_due or attempt.received - attempt.refunded)
    amount = min(amount, attempt.received - attempt.refunded)
    psp_reference = f"{attempt.reference}-R{attempt.refunded + amount:.0f}"
    if amount <= 0:
        return RefundResult(done=False, amount=Decimal(0), psp_reference=psp_reference, failed=True)
    if attempt.method == Method.VIETQR:
        with transaction.atomic():
            attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt_id)
            attempt.refund_due = max(attempt.refund_due, amount)
            attempt.refund_due_charged = max(attempt.refund_due_charged, amount)
            if attempt.status == Status.PAID:
                attempt.status = Status.REFUND_PENDING
            attempt.save()
            log_step(attempt, "refund_due", amount=amount, by=by)
        return RefundResult(done=False, amount=amount, psp_reference=psp_reference)
    try:
        answer = vnpay.refund(
            config.vnpay_config(),
            reference=attempt.reference,
            amount=amount,
            full=amount == attempt.received,
            transaction_no=attempt.provider_transaction_no,
            transaction_date=attempt.provider_created,
            created_by=by,
            now=timezone.now(),
        )
        accepted = answer.get("vnp_ResponseCode") == "00"
    except (vnpay.GatewayError, vnpay.InvalidSignature):
        logger.warning("VNPay refund of %s failed", attempt.reference, exc_info=True)
        accepted = False
    with transaction.atomic():
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt_id)
        if accepted:
            attempt.refunded += amount
            attempt.refund_due = max(attempt.refund_due - amount, Decimal(0))
            if attempt.refunded >= attempt.received:
                attempt.status = Status.REFUNDED
                attempt.outcome = attempt.outcome if attempt.outcome in ("product_revoked", "late") else "refunded"
            attempt.save()
        if report:
            report_to_saleor(
                attempt, "REFUND_SUCCESS" if accepted else "REFUND_FAILURE", amount, psp_reference, "VNPay refund"
            )
        log_step(attempt, "refunded" if accepted else "refund_failed", amount=amount, by=by)
    return RefundResult(done=accepted, amount=amount, psp_reference=psp_reference, failed=not accepted)


def mark_refunded(attempt_id: int, *, actor=None) -> PaymentAttempt:
    """Staff paid a VietQR refund back from the bank account: record it and tell Saleor."""
    with transaction.atomic():
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt_id)
        amount, charged = attempt.refund_due, attempt.refund_due_charged
        if amount <= 0:
            return attempt
        attempt.refunded += amount
        attempt.refund_due = attempt.refund_due_charged = Decimal(0)
        if attempt.refunded >= attempt.received:
            attempt.status = Status.REFUNDED
        attempt.save()
        if charged:  # Saleor counts this money as charged: tell it it went back (a surplus never was charged)
            report_to_saleor(attempt, "REFUND_SUCCESS", charged, f"{attempt.reference}-R{attempt.refunded:.0f}")
        audit.log(actor=actor, action="payment.refund_paid", instance=attempt, after={"amount": str(amount)})
    return attempt


def cancel(attempt_id: int) -> PaymentAttempt:
    """Saleor asked to cancel: an open attempt stops waiting; anything already received is due back."""
    with transaction.atomic():
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt_id)
        if attempt.status in OPEN:
            attempt.status, attempt.outcome = Status.CANCELLED, "cancelled"
            attempt.refund_due += attempt.received - attempt.refunded
            attempt.refund_due_charged += min(attempt.received - attempt.refunded, attempt.amount)
            attempt.save()
            log_step(attempt, "cancelled")
    return attempt


def expire_due(now: datetime.datetime | None = None) -> int:
    """Open attempts whose time ran out: expired, Saleor told, anything received due back. VNPay attempts are
    queried first (``query_vnpay``), so a payment whose IPN was lost is not expired."""
    now = now or timezone.now()
    count = 0
    for pk in PaymentAttempt.objects.filter(status__in=OPEN, expires_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            attempt = PaymentAttempt.objects.select_for_update().get(pk=pk)
            if attempt.status not in OPEN:
                continue
            attempt.status, attempt.outcome = Status.EXPIRED, "expired"
            received = attempt.received - attempt.refunded
            attempt.refund_due += received
            attempt.refund_due_charged += min(received, attempt.amount)  # the partial charges Saleor knows of
            attempt.save()
            unpaid = attempt.outstanding or attempt.amount
            report_to_saleor(attempt, "CHARGE_FAILURE", unpaid, f"{attempt.reference}-X", "expired")
            if received:
                report_to_saleor(attempt, "REFUND_REQUEST", received, f"{attempt.reference}-XR", "expired: refund due")
            log_step(attempt, "expired")
            count += 1
    return count


def query_vnpay(now: datetime.datetime | None = None) -> int:
    """VNPay attempts still pending a while after they opened: ask VNPay (querydr) and apply what it says."""
    now = now or timezone.now()
    vnpay_config = config.vnpay_config()
    if vnpay_config is None:
        return 0
    due = PaymentAttempt.objects.filter(
        method=Method.VNPAY,
        status=Status.PENDING,
        created_at__lte=now - datetime.timedelta(seconds=settings.VNPAY_QUERY_AFTER),
    )
    applied = 0
    for attempt in due:
        try:
            result = vnpay.querydr(
                vnpay_config, reference=attempt.reference, transaction_date=attempt.provider_created, now=now
            )
        except (vnpay.GatewayError, vnpay.InvalidSignature):
            logger.warning("VNPay querydr for %s failed", attempt.reference, exc_info=True)
            continue
        if result.response_code == "00" and result.transaction_status in ("00", "02"):  # "01": still under way
            notification, _answer = apply_vnpay(result, source="querydr")
            applied += notification is not None
    return applied
