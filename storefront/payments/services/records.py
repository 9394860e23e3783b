"""What every payment operation shares: the outbox topics, the refusals, the audit log of each step, the report
to Saleor."""

import logging
import re
import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction

from catalog import audit
from catalog.models import Product
from ocop.outbox import services as events

from ..models import PaymentAttempt, ProviderNotification

logger = logging.getLogger(__name__)

TRANSACTION_EVENT = "payments.transaction_event"
REFUND_REQUESTED = "payments.refund_requested"
REFERENCE_PREFIX = "OCOP"
REFERENCE = re.compile(rf"{REFERENCE_PREFIX}[A-Z2-7]{{10}}", re.IGNORECASE)
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


def log_step(attempt: PaymentAttempt, action: str, **extra) -> None:
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


def report_to_saleor(
    attempt: PaymentAttempt, kind: str, amount: Decimal, psp_reference: str, message: str = ""
) -> None:
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


def record_notification(provider: str, external_id: str, **fields) -> ProviderNotification | None:
    """Store a notification; None when the same one was stored before (a duplicate: no effect)."""
    try:
        with transaction.atomic():
            return ProviderNotification.objects.create(provider=provider, external_id=external_id, **fields)
    except IntegrityError:
        logger.info("%s notification %s already processed: no effect", provider, external_id)
        return None


def revoked(attempt: PaymentAttempt) -> bool:
    return bool(unlisted(attempt.product_ids))
