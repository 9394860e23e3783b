from enum import StrEnum


class OversightErrorCode(StrEnum):
    """Machine-readable codes carried by oversight's ``ValidationError``s."""

    INVALID = "invalid"
    REQUIRED = "required"
    INVALID_TRANSITION = "invalid_transition"
    NOT_TRIAGE_STAFF = "not_triage_staff"
    NO_CONTACT = "no_contact"
    GROUND_NOT_ESTABLISHED = "ground_not_established"
    NO_CERTIFICATE = "no_certificate"
    ALREADY_PROPOSED = "already_proposed"
    REVIEWED = "reviewed"
    RATE_LIMITED = "rate_limited"
    CHALLENGE = "challenge"
