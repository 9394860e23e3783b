"""The records a certification rests on: the commune's pre-assessment and each council's evaluation, in
the order of the levels."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .. import audit
from ..error_codes import CatalogErrorCode
from ..models import (
    Evaluation,
    PreAssessment,
    Product,
    RuleSet,
)
from .rules import level_label, refuse_future, rule_set_for


@transaction.atomic
def record_pre_assessment(
    *, product: Product, assessed_on: datetime.date, criteria: dict[str, bool], notes: str = "", actor
) -> PreAssessment:
    refuse_future(assessed_on, "assessed_on")
    rule_set = rule_set_for(assessed_on)
    missing = [name for name in PreAssessment.CRITERIA if name not in criteria]
    if missing:
        raise ValidationError(
            {name: ValidationError(_("This criterion must be answered."), code="required") for name in missing}
        )
    values = {name: bool(criteria[name]) for name in PreAssessment.CRITERIA}
    assessment = PreAssessment.objects.create(
        product=product,
        commune=product.producer.commune,
        assessed_on=assessed_on,
        rule_set=rule_set,
        passed=all(values.values()),
        notes=notes,
        assessed_by=actor if getattr(actor, "is_authenticated", False) else None,
        **values,
    )
    audit.log(actor=actor, action="pre_assessment.recorded", instance=assessment)
    return assessment


# --- Council evaluation -----------------------------------------------------------------------------


def _check_level_order(product: Product, rule_set: RuleSet, level_rule, evaluated_on: datetime.date) -> None:
    """Evaluations follow the order of the levels of the rule set in force.

    The first scoring level needs the commune's passed pre-assessment; a later one needs the previous scoring
    level's evaluation forwarded to it (Decision 148: no province evaluation without the district's).
    """
    previous = (
        rule_set.level_rules.filter(sequence__lt=level_rule.sequence, evaluates=True).order_by("-sequence").first()
    )
    if previous is None:
        if not PreAssessment.objects.filter(product=product, passed=True, assessed_on__lte=evaluated_on).exists():
            raise ValidationError(
                {
                    "level": ValidationError(
                        _(
                            "Under %(rule_set)s the %(level)s council scores a dossier only after the commune's "
                            "pre-assessment has passed."
                        ),
                        code=CatalogErrorCode.PRE_ASSESSMENT_REQUIRED.value,
                        params={"rule_set": rule_set.code, "level": level_label(level_rule.level)},
                    )
                }
            )
        return
    forwarded = Evaluation.objects.filter(
        product=product, level=previous.level, forwarded_to=level_rule.level, evaluated_on__lte=evaluated_on
    )
    if not forwarded.exists():
        raise ValidationError(
            {
                "level": ValidationError(
                    _(
                        "Under %(rule_set)s the %(level)s council scores a dossier only after the %(previous)s "
                        "council has scored it and forwarded it."
                    ),
                    code=CatalogErrorCode.EVALUATION_OUT_OF_ORDER.value,
                    params={
                        "rule_set": rule_set.code,
                        "level": level_label(level_rule.level),
                        "previous": level_label(previous.level),
                    },
                )
            }
        )


@transaction.atomic
def record_evaluation(
    *,
    product: Product,
    level: str,
    evaluated_on: datetime.date,
    score_a: Decimal,
    score_b: Decimal,
    score_c: Decimal,
    council: str = "",
    notes: str = "",
    actor,
) -> Evaluation:
    """Score a dossier; the rule set in force on ``evaluated_on`` gives the weights, bands and forwarding."""
    refuse_future(evaluated_on, "evaluated_on")
    rule_set = rule_set_for(evaluated_on)
    level_rule = rule_set.level_rule(level)
    if level_rule is None or not level_rule.evaluates:
        raise ValidationError(
            {
                "level": ValidationError(
                    _("Under %(rule_set)s the %(level)s level does not score dossiers."),
                    code=CatalogErrorCode.LEVEL_NOT_EVALUATING.value,
                    params={"rule_set": rule_set.code, "level": level_label(level)},
                )
            }
        )
    _check_level_order(product, rule_set, level_rule, evaluated_on)
    scores = {"score_a": Decimal(score_a), "score_b": Decimal(score_b), "score_c": Decimal(score_c)}
    maxima = {"score_a": rule_set.max_score_a, "score_b": rule_set.max_score_b, "score_c": rule_set.max_score_c}
    errors = {
        field: ValidationError(
            _("The score must be between 0 and %(max)s under %(rule_set)s."),
            code=CatalogErrorCode.SCORE_OUT_OF_RANGE.value,
            params={"max": maxima[field].normalize(), "rule_set": rule_set.code},
        )
        for field, value in scores.items()
        if not Decimal(0) <= value <= maxima[field]
    }
    if errors:
        raise ValidationError(errors)
    total = sum(scores.values(), Decimal(0))
    next_rule = level_rule.next_rule()
    forwarded_to = ""
    if next_rule is not None and next_rule.forward_min_total is not None and total >= next_rule.forward_min_total:
        forwarded_to = next_rule.level
    evaluation = Evaluation.objects.create(
        product=product,
        rule_set=rule_set,
        level=level,
        evaluated_on=evaluated_on,
        council=council,
        total=total,
        stars=rule_set.stars_for_total(total),
        forwarded_to=forwarded_to,
        notes=notes,
        evaluated_by=actor if getattr(actor, "is_authenticated", False) else None,
        **scores,
    )
    audit.log(actor=actor, action="evaluation.recorded", instance=evaluation)
    return evaluation
