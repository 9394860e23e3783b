"""Money arriving: a VietQR transfer seen on the bank statement, a VNPay result (return URL, IPN or querydr)."""

import dataclasses
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ocop.outbox import services as events

from ..models import Method, PaymentAttempt, ProviderNotification
from ..providers import bank_statement, vnpay
from .records import (
    OPEN,
    REFERENCE,
    REFUND_REQUESTED,
    Outcome,
    Status,
    log_step,
    record_notification,
    report_to_saleor,
    revoked,
)

# --- money arriving -----------------------------------------------------------------------------------------


def apply_transfer(provider: str, transfer: bank_statement.Transfer) -> ProviderNotification | None:
    """One incoming bank transfer reported by a statement service. Returns the stored notification, or None
    for a duplicate."""
    match = REFERENCE.search(transfer.description.replace(" ", "").replace("-", ""))
    reference = match.group(0).upper() if match else ""
    with transaction.atomic():
        attempt = (
            PaymentAttempt.objects.select_for_update().filter(reference=reference, method=Method.VIETQR).first()
            if reference
            else None
        )
        notification = record_notification(
            provider,
            transfer.external_id,
            attempt=attempt,
            amount=transfer.amount,
            outcome=Outcome.UNMATCHED,
            payload=dataclasses.asdict(transfer) | {"amount": str(transfer.amount)},
        )
        if notification is None or attempt is None:
            return notification
        psp_reference = f"{attempt.reference}-{transfer.external_id}"
        notification.outcome, charged = _credit_transfer(attempt, transfer.amount, psp_reference)
        notification.payload = {**notification.payload, "charged": str(charged), "psp_reference": psp_reference}
        notification.save(update_fields=["outcome", "payload"])
        return notification


def _credit_transfer(attempt: PaymentAttempt, amount: Decimal, psp_reference: str) -> tuple[str, Decimal]:
    """Credit a transfer to the attempt: (notification outcome, amount charged in Saleor)."""
    now = timezone.now()
    if attempt.status not in OPEN or attempt.expires_at <= now:
        attempt.refund_due += amount
        attempt.received += amount
        attempt.save(update_fields=["refund_due", "received", "updated_at"])
        log_step(attempt, "late_transfer", amount=amount)
        return Outcome.LATE, Decimal(0)
    attempt.received += amount
    if revoked(attempt):
        attempt.refund_due = attempt.received - attempt.refunded
        attempt.status, attempt.outcome = Status.REFUND_PENDING, "product_revoked"
        attempt.save()
        report_to_saleor(attempt, "CHARGE_FAILURE", attempt.amount, psp_reference, "product revoked: refund due")
        log_step(attempt, "revoked_refund_due", amount=amount)
        return Outcome.REVOKED, Decimal(0)
    charged_before = min(attempt.received - amount, attempt.amount)
    chargeable = min(amount, attempt.amount - charged_before)
    surplus = amount - chargeable
    if surplus:
        attempt.refund_due += surplus
    if attempt.received >= attempt.amount:
        attempt.status, attempt.paid_at = Status.PAID, now
        attempt.outcome = "surplus" if attempt.refund_due else "paid"
    else:
        attempt.status, attempt.outcome = Status.PARTIALLY_PAID, "partial"
    attempt.save()
    if chargeable:
        report_to_saleor(attempt, "CHARGE_SUCCESS", chargeable, psp_reference, "VietQR transfer")
    log_step(attempt, "transfer", amount=amount, charged=chargeable, surplus=surplus)
    return (Outcome.SURPLUS if surplus else Outcome.APPLIED), chargeable


def last_charge(attempt: PaymentAttempt) -> tuple[str, Decimal] | None:
    """(pspReference, amount) of the last charge reported to Saleor for the attempt, if any."""
    if attempt.method == Method.VNPAY:
        return (attempt.provider_transaction_no, attempt.amount) if attempt.status == Status.PAID else None
    for notification in attempt.notifications.filter(outcome__in=[Outcome.APPLIED, Outcome.SURPLUS]).order_by(
        "-received_at", "-pk"
    ):
        return notification.payload["psp_reference"], Decimal(notification.payload["charged"])
    return None


def apply_vnpay(result: vnpay.Result, *, source: str) -> tuple[ProviderNotification | None, dict]:
    """A verified VNPay result (return URL, IPN or querydr). Returns the notification (None if a duplicate) and
    the answer VNPay expects to an IPN."""
    external_id = f"{result.reference}:{result.transaction_no}:{result.response_code}{result.transaction_status}"
    with transaction.atomic():
        attempt = (
            PaymentAttempt.objects.select_for_update().filter(reference=result.reference, method=Method.VNPAY).first()
        )
        if attempt is None:
            return None, vnpay.IPN_ORDER_NOT_FOUND
        if result.amount != attempt.amount:
            record_notification(
                "vnpay",
                external_id,
                attempt=attempt,
                amount=result.amount,
                outcome=Outcome.AMOUNT_MISMATCH,
                payload={**dataclasses.asdict(result), "amount": str(result.amount), "source": source},
            )
            return None, vnpay.IPN_INVALID_AMOUNT
        notification = record_notification(
            "vnpay",
            external_id,
            attempt=attempt,
            amount=result.amount,
            outcome=Outcome.APPLIED,
            payload={**dataclasses.asdict(result), "amount": str(result.amount), "source": source},
        )
        if notification is None or attempt.status not in OPEN + (Status.EXPIRED, Status.CANCELLED):
            return notification, vnpay.IPN_ALREADY_CONFIRMED
        psp_reference = result.transaction_no or attempt.reference
        if not result.succeeded:
            if attempt.status in OPEN:
                attempt.status, attempt.outcome = Status.FAILED, "failed"
                attempt.save()
                report_to_saleor(
                    attempt, "CHARGE_FAILURE", attempt.amount, psp_reference, f"VNPay {result.response_code}"
                )
                log_step(attempt, "failed", response_code=result.response_code)
            notification.outcome = Outcome.FAILED
            notification.save(update_fields=["outcome"])
            return notification, vnpay.IPN_CONFIRMED
        attempt.received = result.amount
        attempt.provider_transaction_no = result.transaction_no
        late = attempt.status not in OPEN or attempt.expires_at <= timezone.now()
        if late or revoked(attempt):
            attempt.status = Status.REFUND_PENDING
            attempt.outcome = "late" if late else "product_revoked"
            attempt.refund_due = result.amount
            attempt.save()
            report_to_saleor(attempt, "CHARGE_SUCCESS", result.amount, psp_reference, "VNPay")
            events.record(REFUND_REQUESTED, attempt.pk, {"attempt_id": attempt.pk, "amount": str(result.amount)})
            notification.outcome = Outcome.LATE if late else Outcome.REVOKED
        else:
            attempt.status, attempt.outcome, attempt.paid_at = Status.PAID, "paid", timezone.now()
            attempt.save()
            report_to_saleor(attempt, "CHARGE_SUCCESS", result.amount, psp_reference, "VNPay")
        notification.save(update_fields=["outcome"])
        log_step(attempt, f"vnpay_{source}", transaction_no=result.transaction_no)
        return notification, vnpay.IPN_CONFIRMED
