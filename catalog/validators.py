"""Validators for identifiers the registry stores: GTINs and business registration numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .error_codes import CatalogErrorCode

GTIN_LENGTHS = (8, 12, 13, 14)

# Every text a form takes is bounded (tests/limits/test_form_limits.py): a longer value is refused with Django's
# "at most N characters" message instead of breaking a page later.
MAX_LONG_TEXT = 5000  # descriptions, stories, findings
MAX_NOTE = 2000  # notes, comments, reasons
MAX_URL = 500
MAX_PASSWORD = 128


def bounded_formfield(db_field, **kwargs):
    """A ModelForm's ``Meta.formfield_callback``: a model TextField (unbounded in the database) is bounded in the
    form to ``MAX_LONG_TEXT`` characters."""
    if db_field.get_internal_type() == "TextField" and not db_field.max_length:
        kwargs.setdefault("max_length", MAX_LONG_TEXT)
    return db_field.formfield(**kwargs)


def gtin_check_digit(data: str) -> int:
    """Check digit for the GTIN data digits (all digits but the check digit).

    Weights 3, 1, 3, 1… from the rightmost data digit; check = (10 − sum mod 10) mod 10.
    """
    total = sum(int(digit) * (3 if position % 2 == 0 else 1) for position, digit in enumerate(reversed(data)))
    return (10 - total % 10) % 10


def normalize_gtin(value: str) -> str:
    """Return the GTIN-14 form of a GTIN-8/12/13/14, or raise ``ValidationError``."""
    digits = re.sub(r"[\s-]", "", value or "")
    if not digits.isdigit() or len(digits) not in GTIN_LENGTHS:
        raise ValidationError(
            _("A GTIN has 8, 12, 13 or 14 digits; “%(value)s” does not."),
            code=CatalogErrorCode.INVALID_GTIN.value,
            params={"value": value},
        )
    if gtin_check_digit(digits[:-1]) != int(digits[-1]):
        raise ValidationError(
            _("The check digit of GTIN “%(value)s” is wrong."),
            code=CatalogErrorCode.INVALID_GTIN.value,
            params={"value": value},
        )
    return digits.zfill(14)


def validate_gtin(value: str) -> None:
    normalize_gtin(value)


# Enterprise and cooperative codes are tax codes: 10 digits, or 10 digits plus a 3-digit branch suffix.
# A registered household business carries a certificate number issued by the district/commune
# registration office: two digits of the province code, a letter, then digits (e.g. 40A8001234).
_TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")
_HOUSEHOLD_CODE = re.compile(r"^\d{2}[A-Z]{1,2}\d{4,10}$")


def normalize_registration_number(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def validate_registration_number(value: str) -> None:
    normalized = normalize_registration_number(value)
    if _TAX_CODE.match(normalized) or _HOUSEHOLD_CODE.match(normalized):
        return
    raise ValidationError(
        _(
            "“%(value)s” is not a valid registration number: expected a 10-digit tax code "
            "(optionally with a 3-digit branch suffix, 0123456789-001) or a household business "
            "number such as 40A8001234."
        ),
        code=CatalogErrorCode.INVALID_REGISTRATION_NUMBER.value,
        params={"value": value},
    )
