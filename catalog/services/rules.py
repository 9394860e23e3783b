"""The rule set in force on a date, and the checks every registry operation shares."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..error_codes import CatalogErrorCode
from ..models import (
    Level,
    RuleSet,
)
from ..querysets import local_today


def rule_set_for(on: datetime.date) -> RuleSet:
    rule_set = RuleSet.objects.in_force(on)
    if rule_set is None:
        raise ValidationError(
            _("No OCOP rule set was in force on %(date)s."),
            code=CatalogErrorCode.NO_RULE_SET.value,
            params={"date": on.strftime("%d/%m/%Y")},
        )
    return rule_set


def refuse_future(on: datetime.date, field: str, today: datetime.date | None = None) -> None:
    if on > (today or local_today()):
        raise ValidationError(
            {
                field: ValidationError(
                    _("The date %(date)s is in the future."),
                    code=CatalogErrorCode.FUTURE_DATE.value,
                    params={"date": on.strftime("%d/%m/%Y")},
                )
            }
        )


def level_label(level: str) -> str:
    return str(Level(level).label)
