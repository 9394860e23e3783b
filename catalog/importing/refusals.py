"""The registry services' refusals (``ValidationError``) put on the row and column they concern."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation

from catalog.error_codes import CatalogErrorCode
from catalog.models import Level

# --- Mapping service refusals onto rows and columns ----------------------------------------------------

_SERVICE_FIELDS = {
    "number": "decision_number",
    "signed_on": "decision_date",
    "authority_level": "authority_level",
    "authority_name": "authority_name",
    "stars": "stars",
    "stated_valid_until": "valid_until",
}
_SERVICE_CODES = {  # column for refusals that name no field
    CatalogErrorCode.NO_RULE_SET.value: "decision_date",
    CatalogErrorCode.DUPLICATE_PRODUCT_IN_DECISION.value: "product_name",
    CatalogErrorCode.STARS_NOT_SUPPORTED_BY_EVALUATION.value: "stars",
}


_AWARD_CODES = {
    CatalogErrorCode.AUTHORITY_NOT_ALLOWED.value,
    CatalogErrorCode.STARS_NOT_CERTIFIABLE.value,
    CatalogErrorCode.DUPLICATE_PRODUCT_IN_DECISION.value,
    CatalogErrorCode.STARS_NOT_SUPPORTED_BY_EVALUATION.value,
}


def _validation_errors(exc: ValidationError) -> list[tuple[str | None, ValidationError]]:
    if hasattr(exc, "error_dict"):
        return [(field, error) for field, errors in exc.error_dict.items() for error in errors]
    return [(None, error) for error in exc.error_list]


def _level_names() -> dict[str, Any]:
    """English name of each level → its translatable label. The services write level names into the
    parameters of their refusals as text, in English since the import writes in English."""
    with translation.override("en"):
        return {str(label): label for label in Level.labels}


def _add_validation_error(result, exc, row, column, headers, *, fields=None) -> None:
    levels = _level_names()
    for field, error in _validation_errors(exc):
        target = column
        if fields is not None:
            target = fields.get(field) or _SERVICE_CODES.get(error.code) or column
        params = {
            name: levels.get(value, value) if isinstance(value, str) else value
            for name, value in (error.params or {}).items()
        }
        result.add(
            error.message,
            row=row,
            column=target,
            header=headers.get(target, ""),
            code=error.code or CatalogErrorCode.INVALID.value,
            **params,
        )
