"""Where an open application stands under a new rule set (e.g. 148/QĐ-TTg → 1489/QĐ-TTg on 06/07/2025).

When the rule set in force changes, an open application moves to the levels of the new one instead of being
stuck; ``services.follow_rule_set`` records the move as a step. This module only answers where it goes.

- A dossier waiting for the commune stays with the commune (every rule set starts there).
- A dossier being scored at a level that still scores stays there; otherwise it goes to the first scoring level
  of the new rule set at or above its level (a district council's dossier goes to the province council).
- A dossier waiting for a decision stays with its certifying authority when, under the new rule set, that
  level still certifies its stars; otherwise the council of the level that now certifies them scores it (the
  certificate rests on that level's evaluation, ``catalog.services``).
"""

import dataclasses

from catalog.models import Level, RuleSet

from .models import Application

Status = Application.Status
#: Levels from the closest to the producer upwards.
LEVEL_ORDER = [Level.COMMUNE, Level.DISTRICT, Level.PROVINCE, Level.CENTRAL]


@dataclasses.dataclass(frozen=True)
class Placement:
    status: str
    level: str
    resume_status: str


def _scoring_level_from(rule_set: RuleSet, level: str) -> str:
    rank = LEVEL_ORDER.index(level) if level in LEVEL_ORDER else 0
    rules = list(rule_set.level_rules.filter(evaluates=True).order_by("sequence"))
    for rule in rules:
        if LEVEL_ORDER.index(rule.level) >= rank:
            return rule.level
    return rules[-1].level


def placement_under(rule_set: RuleSet, application: Application) -> Placement:
    """Status, level and resume status of ``application`` once it follows ``rule_set``."""
    waiting = application.status == Status.DOCUMENTS_REQUESTED
    status = application.resume_status if waiting else application.status
    level = application.current_level
    if status == Status.SUBMITTED or status == Status.DRAFT:
        first = rule_set.level_rules.order_by("sequence").first()
        placed = Placement(status, first.level if level else "", "")
    elif status == Status.SCORING:
        rule = rule_set.level_rule(level)
        placed = Placement(status, level if rule and rule.evaluates else _scoring_level_from(rule_set, level), "")
    elif status == Status.AWAITING_DECISION:
        stars = application.evaluation.stars
        certifying = rule_set.certifying_level_for(stars)
        if certifying is not None and certifying.level == application.evaluation.level:
            placed = Placement(status, certifying.level, "")
        else:
            target = certifying.level if certifying is not None and certifying.evaluates else level
            placed = Placement(Status.SCORING, _scoring_level_from(rule_set, target), "")
    else:
        placed = Placement(status, level, "")
    if waiting:
        return Placement(Status.DOCUMENTS_REQUESTED, placed.level, placed.status)
    return placed
