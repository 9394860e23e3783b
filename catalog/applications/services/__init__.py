"""Operations on producer accounts and OCOP applications, one module per part: ``workflow`` (the application from
draft to decision), ``roles`` (who acts), ``producer_accounts``, ``notifying`` and re-evaluation ``prompts``.

Each operation owns its transaction and row lock, records an ``ApplicationStep`` and tells the producer (in-app
notice, and an email sent after commit). A refusal is a ``ValidationError`` with a code from ``ApplicationErrorCode``
and a translated message; a refused operation changes nothing. The registry's own records (pre-assessment,
evaluation, decision, certificate) are made by ``catalog.services`` from what the application already holds.
"""

from .assessing import (
    close_scoring,
    default_authority_name,
    issue_decision,
    record_commune_pre_assessment,
    record_council_score,
    request_documents,
)
from .notifying import mark_notices_read, notify_producer
from .producer_accounts import (
    INVITATION_VALIDITY,
    accept_invitation,
    approve_registration,
    find_invitation,
    invite_producer,
    register_producer_account,
    reject_registration,
)
from .prompts import REEVALUATION_PROMPT_DAYS, prefill_from_last, renewal_link, send_reevaluation_prompts
from .roles import acts_at, is_level_staff, producer_applications, producer_of, seats_of, staff_applications
from .submitting import (
    add_document,
    create_application,
    missing_document_kinds,
    respond_to_request,
    submit_application,
)
from .workflow import (
    SCORE_PARTS,
    follow_rule_set,
    follow_rule_sets,
)

__all__ = [
    "INVITATION_VALIDITY",
    "REEVALUATION_PROMPT_DAYS",
    "SCORE_PARTS",
    "accept_invitation",
    "acts_at",
    "add_document",
    "approve_registration",
    "close_scoring",
    "create_application",
    "default_authority_name",
    "find_invitation",
    "follow_rule_set",
    "follow_rule_sets",
    "invite_producer",
    "is_level_staff",
    "issue_decision",
    "mark_notices_read",
    "missing_document_kinds",
    "notify_producer",
    "prefill_from_last",
    "producer_applications",
    "producer_of",
    "record_commune_pre_assessment",
    "record_council_score",
    "register_producer_account",
    "reject_registration",
    "renewal_link",
    "request_documents",
    "respond_to_request",
    "seats_of",
    "send_reevaluation_prompts",
    "staff_applications",
    "submit_application",
]
