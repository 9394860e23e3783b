from enum import StrEnum


class AccountErrorCode(StrEnum):
    """Machine-readable codes carried by the accounts' ``ValidationError``s."""

    INVALID = "invalid"
    NOT_ALLOWED = "not_allowed"
    NO_CONTACT_ON_RECORD = "no_contact_on_record"
    PRODUCER_LOCKED = "producer_locked"
    CODE_WRONG = "code_wrong"
    CODE_EXPIRED = "code_expired"
    CODE_LOCKED = "code_locked"
    CODE_USED = "code_used"
    RESEND_TOO_SOON = "resend_too_soon"
    RESEND_LIMIT = "resend_limit"
    ALREADY_SUSPENDED = "already_suspended"
