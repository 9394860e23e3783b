"""The records a certification rests on, made in the order of the levels (for the demo, seeds and tests).

``record_path(product, stars=4, on=..., level=...)`` records the commune's passed pre-assessment and each
council's evaluation, level after level of the rule set in force on ``on``, with a total in the band of
``stars``, until the council of ``level`` (the certifying level) has scored it. Every record goes through
``catalog.services``, so the order of levels, the audit trail and the forwarding are the registry's own.
"""

import datetime
from decimal import Decimal

from . import services
from .models import Evaluation, PreAssessment, Product

#: A total in the middle of each certified star band (Decision 148: 3★ 50–69, 4★ 70–89, 5★ 90–100).
TOTAL_FOR_STARS = {3: Decimal("60"), 4: Decimal("80"), 5: Decimal("95")}


def record_path(
    product: Product, *, stars: int, on: datetime.date, level: str | None = None, actor=None
) -> Evaluation | None:
    """Record what a ``stars`` certification by ``level`` on ``on`` rests on; returns the last evaluation."""
    rule_set = services.rule_set_for(on)
    target = level or rule_set.certifying_level_for(stars).level
    services.record_pre_assessment(
        product=product, assessed_on=on, criteria=dict.fromkeys(PreAssessment.CRITERIA, True), actor=actor
    )
    total = TOTAL_FOR_STARS.get(stars, Decimal("60"))
    parts = (rule_set.max_score_a, rule_set.max_score_b, rule_set.max_score_c)
    scores = [(total * part / sum(parts)).quantize(Decimal("0.01")) for part in parts]
    scores[-1] = total - scores[0] - scores[1]
    evaluation = None
    rule = rule_set.level_rules.filter(evaluates=True).order_by("sequence").first()
    while rule is not None:
        evaluation = services.record_evaluation(
            product=product,
            level=rule.level,
            evaluated_on=on,
            score_a=scores[0],
            score_b=scores[1],
            score_c=scores[2],
            council=f"Hội đồng {rule.get_level_display()}",
            actor=actor,
        )
        if rule.level == target or not evaluation.forwarded_to:
            break
        rule = rule_set.level_rule(evaluation.forwarded_to)
    return evaluation
