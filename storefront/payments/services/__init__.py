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

from .arriving import (
    apply_transfer,
    apply_vnpay,
    last_charge,
)
from .closing import (
    RefundResult,
    cancel,
    expire_due,
    mark_refunded,
    query_vnpay,
    refund,
)
from .opening import (
    Session,
    open_attempt,
    session_data,
)
from .records import (
    OPEN,
    REFERENCE,
    REFERENCE_PREFIX,
    REFUND_REQUESTED,
    TRANSACTION_EVENT,
    MethodUnavailable,
    Outcome,
    PaymentRefused,
    Status,
    log_step,
    new_reference,
    record_notification,
    report_to_saleor,
    revoked,
    unlisted,
)

__all__ = [
    "MethodUnavailable",
    "OPEN",
    "Outcome",
    "PaymentRefused",
    "REFERENCE",
    "REFERENCE_PREFIX",
    "REFUND_REQUESTED",
    "RefundResult",
    "Session",
    "Status",
    "TRANSACTION_EVENT",
    "apply_transfer",
    "apply_vnpay",
    "cancel",
    "expire_due",
    "last_charge",
    "log_step",
    "mark_refunded",
    "new_reference",
    "open_attempt",
    "query_vnpay",
    "record_notification",
    "refund",
    "report_to_saleor",
    "revoked",
    "session_data",
    "unlisted",
]
