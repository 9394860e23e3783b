"""Topics the registry puts on the outbox (the outbox itself is ``ocop.outbox``)."""

import dataclasses

CERTIFICATE_STATUS_CHANGED = "certificate.status_changed"


@dataclasses.dataclass(frozen=True)
class CertificateStatusChanged:
    """Payload of ``certificate.status_changed``: a product's listability may have changed."""

    product_id: int
    certificate_id: int | None
    status: str  # certified, superseded, expired, revoked
    listable: bool
    stars: int | None
    valid_until: str | None
    decision_number: str | None
