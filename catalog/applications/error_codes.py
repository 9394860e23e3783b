from enum import StrEnum


class ApplicationErrorCode(StrEnum):
    """Machine-readable codes carried by the applications' ``ValidationError``s."""

    INVALID = "invalid"
    REQUIRED = "required"
    MISSING_DOCUMENTS = "missing_documents"
    FILE_TYPE = "file_type"
    FILE_TOO_LARGE = "file_too_large"
    OUT_OF_TURN = "out_of_turn"
    LEVEL_NOT_IN_RULE_SET = "level_not_in_rule_set"
    NOT_ALLOWED = "not_allowed"
    NOT_QUALIFIED = "not_qualified"
    NO_SCORES = "no_scores"
    SCORE_OUT_OF_RANGE = "score_out_of_range"
    RULE_SET_CHANGED = "rule_set_changed"
    INVITATION_INVALID = "invitation_invalid"
    REGISTRATION_MISMATCH = "registration_mismatch"
    ALREADY_DECIDED = "already_decided"
    ALREADY_OPEN = "already_open"
