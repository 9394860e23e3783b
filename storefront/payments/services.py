"""Payment attempts: open one when Saleor asks (TRANSACTION_INITIALIZE_SESSION), apply provider notifications,
refund, cancel, expire. Each operation is one transaction; what Saleor must learn is written to the outbox in
the same transaction (topic ``TRANSACTION_EVENT``, reported by ``storefront.saleor_app`` with
``transactionEventReport``), and so are refunds to make through a provider's API (``REFUND_REQUESTED``).

Defined outcomes:

- a notification delivered again (same provider id) has no effect;
- VietQR: a transfer is matched by the reference in its description; a partial transfer is charged for what
  it brings and the attempt waits for the rest until it expires; a surplus is charged up to the amount and the
  rest is due back; a transfer for an expired or cancelled attempt (late) is due back entirely and charges
  nothing; an unmatched transfer is kept for staff;
- VNPay: a result is applied once whether the return URL, the IPN or querydr brings it first; a wrong amount
  is refused; a success after expiry is refunded through VNPay's API;
- whenever money arrives, the listing rule is asked again: if a product was revoked meanwhile, the payment is
  refunded in full (VNPay at once through its API, VietQR as a refund due that staff pay back) and the shopper
  is told so; no order is placed.
"""

import dataclasses
import datetime
import logging
import re
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from catalog import audit
from catalog.models import Product
from ocop.outbox import services as events

from . import config
from .models import Method, PaymentAttempt, ProviderNotification
from .providers import bank_statement, vietqr, vnpay

logger = logging.getLogger(__name__)

TRANSACTION_EVENT = "payments.transaction_event"
REFUND_REQUESTED = "payments.refund_requested"
REFERENCE_PREFIX = "OCOP"
_REFERENCE = re.compile(rf"{REFERENCE_PREFIX}[A-Z2-7]{{10}}", re.IGNORECASE)
Status = PaymentAttempt.Status
Outcome = ProviderNotification.Outcome
OPEN = (Status.PENDING, Status.PARTIALLY_PAID)


class PaymentRefused(Exception):
    """The payment cannot start; ``key`` is a ``messages.OUTCOMES`` key for the shopper."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


class MethodUnavailable(Exception):
    pass


def new_reference() -> str:
    return REFERENCE_PREFIX + "".join(secrets.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(10))


def unlisted(product_ids) -> list[Product]:
    """The products among ``product_ids`` that the listing rule no longer allows to be sold."""
    return list(Product.objects.filter(pk__in=product_ids).not_listable())


def _log(attempt: PaymentAttempt, action: str, **extra) -> None:
    audit.log(
        actor=None,
        action=f"payment.{action}",
        instance=attempt,
        after={
            "reference": attempt.reference,
            "method": attempt.method,
            "status": attempt.status,
            "amount": str(attempt.amount),
            "received": str(attempt.received),
            "refund_due": str(attempt.refund_due),
            "refunded": str(attempt.refunded),
            "outcome": attempt.outcome,
            **{key: str(value) for key, value in extra.items()},
        },
    )


def _report(attempt: PaymentAttempt, kind: str, amount: Decimal, psp_reference: str, message: str = "") -> None:
    """Tell Saleor (through the outbox) about an event of the attempt's transaction."""
    events.record(
        TRANSACTION_EVENT,
        attempt.pk,
        {
            "api_url": attempt.saleor_api_url,
            "transaction_id": attempt.saleor_transaction_id,
            "type": kind,
            "amount": str(amount),
            "psp_reference": psp_reference,
            "message": message,
        },
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
            _log(attempt, "opened")
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


# --- money arriving -----------------------------------------------------------------------------------------


def _record(provider: str, external_id: str, **fields) -> ProviderNotification | None:
    """Store a notification; None when the same one was stored before (a duplicate: no effect)."""
    try:
        with transaction.atomic():
            return ProviderNotification.objects.create(provider=provider, external_id=external_id, **fields)
    except IntegrityError:
        logger.info("%s notification %s already processed: no effect", provider, external_id)
        return None


def _revoked(attempt: PaymentAttempt) -> bool:
    return bool(unlisted(attempt.product_ids))


def apply_transfer(provider: str, transfer: bank_statement.Transfer) -> ProviderNotification | None:
    """One incoming bank transfer reported by a statement service. Returns the stored notification, or None
    for a duplicate."""
    match = _REFERENCE.search(transfer.description.replace(" ", "").replace("-", ""))
    reference = match.group(0).upper() if match else ""
    with transaction.atomic():
        attempt = (
            PaymentAttempt.objects.select_for_update().filter(reference=reference, method=Method.VIETQR).first()
            if reference
            else None
        )
        notification = _record(
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
        _log(attempt, "late_transfer", amount=amount)
        return Outcome.LATE, Decimal(0)
    attempt.received += amount
    if _revoked(attempt):
        attempt.refund_due = attempt.received - attempt.refunded
        attempt.status, attempt.outcome = Status.REFUND_PENDING, "product_revoked"
        attempt.save()
        _report(attempt, "CHARGE_FAILURE", attempt.amount, psp_reference, "product revoked: refund due")
        _log(attempt, "revoked_refund_due", amount=amount)
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
        _report(attempt, "CHARGE_SUCCESS", chargeable, psp_reference, "VietQR transfer")
    _log(attempt, "transfer", amount=amount, charged=chargeable, surplus=surplus)
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
            _record(
                "vnpay",
                external_id,
                attempt=attempt,
                amount=result.amount,
                outcome=Outcome.AMOUNT_MISMATCH,
                payload={**dataclasses.asdict(result), "amount": str(result.amount), "source": source},
            )
            return None, vnpay.IPN_INVALID_AMOUNT
        notification = _record(
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
                _report(attempt, "CHARGE_FAILURE", attempt.amount, psp_reference, f"VNPay {result.response_code}")
                _log(attempt, "failed", response_code=result.response_code)
            notification.outcome = Outcome.FAILED
            notification.save(update_fields=["outcome"])
            return notification, vnpay.IPN_CONFIRMED
        attempt.received = result.amount
        attempt.provider_transaction_no = result.transaction_no
        late = attempt.status not in OPEN or attempt.expires_at <= timezone.now()
        if late or _revoked(attempt):
            attempt.status = Status.REFUND_PENDING
            attempt.outcome = "late" if late else "product_revoked"
            attempt.refund_due = result.amount
            attempt.save()
            _report(attempt, "CHARGE_SUCCESS", result.amount, psp_reference, "VNPay")
            events.record(REFUND_REQUESTED, attempt.pk, {"attempt_id": attempt.pk, "amount": str(result.amount)})
            notification.outcome = Outcome.LATE if late else Outcome.REVOKED
        else:
            attempt.status, attempt.outcome, attempt.paid_at = Status.PAID, "paid", timezone.now()
            attempt.save()
            _report(attempt, "CHARGE_SUCCESS", result.amount, psp_reference, "VNPay")
        notification.save(update_fields=["outcome"])
        _log(attempt, f"vnpay_{source}", transaction_no=result.transaction_no)
        return notification, vnpay.IPN_CONFIRMED


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
            _log(attempt, "refund_due", amount=amount, by=by)
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
            _report(attempt, "REFUND_SUCCESS" if accepted else "REFUND_FAILURE", amount, psp_reference, "VNPay refund")
        _log(attempt, "refunded" if accepted else "refund_failed", amount=amount, by=by)
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
            _report(attempt, "REFUND_SUCCESS", charged, f"{attempt.reference}-R{attempt.refunded:.0f}")
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
            _log(attempt, "cancelled")
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
            _report(attempt, "CHARGE_FAILURE", unpaid, f"{attempt.reference}-X", "expired")
            if received:
                _report(attempt, "REFUND_REQUEST", received, f"{attempt.reference}-XR", "expired: refund due")
            _log(attempt, "expired")
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
