from enum import StrEnum


class CatalogErrorCode(StrEnum):
    """Machine-readable codes carried by the registry's ``ValidationError``s."""

    INVALID = "invalid"
    REQUIRED = "required"
    NO_RULE_SET = "no_rule_set"
    FUTURE_DATE = "future_date"
    SCORE_OUT_OF_RANGE = "score_out_of_range"
    LEVEL_NOT_EVALUATING = "level_not_evaluating"
    AUTHORITY_NOT_ALLOWED = "authority_not_allowed"
    STARS_NOT_CERTIFIABLE = "stars_not_certifiable"
    STARS_NOT_SUPPORTED_BY_EVALUATION = "stars_not_supported_by_evaluation"
    DUPLICATE_DECISION = "duplicate_decision"
    DUPLICATE_PRODUCT_IN_DECISION = "duplicate_product_in_decision"
    OLDER_THAN_CURRENT = "older_than_current"
    NOT_REVOCABLE = "not_revocable"
    EVALUATION_REQUIRED = "evaluation_required"
    EVALUATION_OUT_OF_ORDER = "evaluation_out_of_order"
    PRE_ASSESSMENT_REQUIRED = "pre_assessment_required"
    INVALID_GTIN = "invalid_gtin"
    INVALID_REGISTRATION_NUMBER = "invalid_registration_number"
