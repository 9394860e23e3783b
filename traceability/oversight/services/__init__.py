"""Operations of oversight. Each owns its transaction and its history record; refusals are ``ValidationError``s.

The revocation itself is never done here: an approved proposal calls ``catalog.services.revoke_certificates``,
which records the decision, changes the listing columns and emits ``certificate.status_changed`` through the
registry's outbox, so the product is delisted everywhere by the registry's own path.
"""

from .inspections import (
    add_evidence,
    record_follow_up,
    record_inspection,
    require_correction,
)
from .reports import (
    TRANSITIONS,
    add_note,
    answer_reporter,
    assign,
    change_status,
    resolve_code,
    submit_report,
)
from .revocation import (
    propose_revocation,
    review_proposal,
)
from .rules import (
    MAX_REPORT_TEXT,
    REFERENCE_ALPHABET,
    refuse_unless,
)

__all__ = [
    "MAX_REPORT_TEXT",
    "REFERENCE_ALPHABET",
    "refuse_unless",
    "TRANSITIONS",
    "add_note",
    "answer_reporter",
    "assign",
    "change_status",
    "resolve_code",
    "submit_report",
    "add_evidence",
    "record_follow_up",
    "record_inspection",
    "require_correction",
    "propose_revocation",
    "review_proposal",
]
