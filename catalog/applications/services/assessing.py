"""The levels' side of an application: request documents, the commune's pre-assessment, council scores, closing
the scoring and the decision."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog import formats
from catalog import services as registry
from catalog.applications import keys
from catalog.applications.error_codes import ApplicationErrorCode as Code
from catalog.applications.models import (
    Application,
    CouncilScore,
    LevelSeat,
)
from catalog.models import Level
from catalog.querysets import MIN_CERTIFIED_STARS, local_today

from .notifying import _level_label, _plain
from .roles import acts_at, seats_of
from .workflow import (
    SCORE_PARTS,
    Status,
    check_rule_set_on,
    check_turn,
    follows_rule_set,
    lock,
    move,
    record_step,
    refuse_unless,
)


@transaction.atomic
def request_documents(*, application: Application, level: str, what: str, actor) -> Application:
    application = lock(application)
    check_turn(application, level, (Status.SUBMITTED, Status.SCORING, Status.AWAITING_DECISION))
    refuse_unless(acts_at(actor, application, level))
    if not what.strip():
        raise ValidationError({"what": ValidationError(_("Say which documents are needed."), code=Code.REQUIRED.value)})
    application.resume_status = application.status
    application.requested_documents = what.strip()
    return move(
        application,
        status=Status.DOCUMENTS_REQUESTED,
        actor=actor,
        action="documents.requested",
        comment=what.strip(),
        notice=(keys.DOCUMENTS_REQUESTED, {"level": level, "what": what.strip()}),
    )


def _next_evaluating_level(application: Application, after_level: str) -> str | None:
    current = application.rule_set.level_rule(after_level)
    rule = (
        application.rule_set.level_rules.filter(sequence__gt=current.sequence, evaluates=True)
        .order_by("sequence")
        .first()
    )
    return rule.level if rule else None


@follows_rule_set("on")
@transaction.atomic
def record_commune_pre_assessment(
    *, application: Application, criteria: dict, actor, notes: str = "", on: datetime.date | None = None
) -> Application:
    application = lock(application)
    on = on or local_today()
    check_turn(application, Level.COMMUNE, (Status.SUBMITTED,))
    refuse_unless(acts_at(actor, application, Level.COMMUNE))
    check_rule_set_on(application, on)
    assessment = registry.record_pre_assessment(
        product=application.product, assessed_on=on, criteria=criteria, notes=notes, actor=actor
    )
    application.pre_assessment = assessment
    if not assessment.passed:
        return move(
            application, status=Status.NOT_QUALIFIED, actor=actor, action="pre_assessment.failed", comment=notes
        )
    return move(
        application,
        status=Status.SCORING,
        level=_next_evaluating_level(application, Level.COMMUNE),
        actor=actor,
        action="pre_assessment.passed",
        comment=notes,
    )


@transaction.atomic
def record_council_score(
    *, application: Application, level: str, score_a, score_b, score_c, actor, comment: str = ""
) -> CouncilScore:
    application = lock(application)
    check_turn(application, level, (Status.SCORING,))
    refuse_unless(acts_at(actor, application, level, (LevelSeat.Role.MEMBER, LevelSeat.Role.CHAIR)))
    rule_set = application.rule_set
    scores = {"score_a": Decimal(str(score_a)), "score_b": Decimal(str(score_b)), "score_c": Decimal(str(score_c))}
    maxima = {"score_a": rule_set.max_score_a, "score_b": rule_set.max_score_b, "score_c": rule_set.max_score_c}
    errors = {
        field: ValidationError(
            _("The score must be between 0 and %(max)s under %(rule_set)s."),
            code=Code.SCORE_OUT_OF_RANGE.value,
            params={"max": _plain(maxima[field]), "rule_set": rule_set.code},
        )
        for field, value in scores.items()
        if not Decimal(0) <= value <= maxima[field]
    }
    if errors:
        raise ValidationError(errors)
    score, _created = CouncilScore.objects.update_or_create(
        application=application, level=level, member=actor, defaults={**scores, "comment": comment}
    )
    record_step(
        application,
        actor=actor,
        action="council_score.recorded",
        from_status=application.status,
        from_level=application.current_level,
    )
    return score


@follows_rule_set("on")
@transaction.atomic
def close_scoring(
    *, application: Application, level: str, actor, notes: str = "", on: datetime.date | None = None
) -> Application:
    """The chair closes the council's scoring: the mean of the members' scores becomes the registry's evaluation."""
    application = lock(application)
    on = on or local_today()
    check_turn(application, level, (Status.SCORING,))
    seats = seats_of(actor, application, level, (LevelSeat.Role.CHAIR,))
    refuse_unless(
        bool(seats),
        _("Only the chair of the %(level)s council may close the scoring.") % {"level": _level_label(level)},
    )
    check_rule_set_on(application, on)
    scores = list(CouncilScore.objects.filter(application=application, level=level))
    if not scores:
        raise ValidationError(_("No council member has scored this application yet."), code=Code.NO_SCORES.value)
    means = {
        part: (sum((getattr(score, part) for score in scores), Decimal(0)) / len(scores)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        for part in SCORE_PARTS
    }
    with translation.override("vi"):  # the registry names the council as its records do, whoever closes
        council = " ".join(part for part in (gettext("Council"), _level_label(level), seats[0].area) if part)
    evaluation = registry.record_evaluation(
        product=application.product,
        level=level,
        evaluated_on=on,
        council=council,
        notes=notes,
        actor=actor,
        **means,
    )
    application.evaluation = evaluation
    result = {"total": float(evaluation.total), "stars": evaluation.stars, "count": len(scores), "notes": notes}
    if evaluation.stars < MIN_CERTIFIED_STARS:
        return move(
            application,
            status=Status.NOT_QUALIFIED,
            actor=actor,
            action="scoring.closed",
            comment=notes,
            step=(keys.NOT_QUALIFIED, result),
        )
    if evaluation.forwarded_to:
        return move(
            application,
            status=Status.SCORING,
            level=evaluation.forwarded_to,
            actor=actor,
            action="scoring.closed",
            comment=notes,
            step=(keys.FORWARDED, {**result, "level": evaluation.forwarded_to}),
        )
    certifying = application.rule_set.certifying_level_for(evaluation.stars)
    return move(
        application,
        status=Status.AWAITING_DECISION,
        level=certifying.level,
        actor=actor,
        action="scoring.closed",
        comment=notes,
        step=(keys.SCORED, result),
    )


def default_authority_name(application: Application, level: str) -> str:
    rule = application.rule_set.level_rule(level)
    commune = application.producer.commune
    area = {Level.DISTRICT: commune.district, Level.PROVINCE: commune.province}.get(level, "")
    return " ".join(part for part in ((rule.authority if rule else ""), area) if part)


@follows_rule_set("signed_on")
@transaction.atomic
def issue_decision(
    *,
    application: Application,
    level: str,
    number: str,
    signed_on: datetime.date,
    actor,
    authority_name: str = "",
) -> Application:
    """The certifying authority issues its decision from the application's evaluation, without retyping."""
    application = lock(application)
    check_turn(application, level, (Status.AWAITING_DECISION,))
    refuse_unless(acts_at(actor, application, level, (LevelSeat.Role.AUTHORITY,)))
    evaluation = application.evaluation
    decision = registry.issue_certification(
        number=number,
        signed_on=signed_on,
        authority_level=level,
        authority_name=authority_name.strip() or default_authority_name(application, level),
        # The certificate rests on the certifying level's council total: the application's last evaluation when it
        # was made there, else the registry takes that level's own (a province total of 3★ under 148 is certified
        # by the district, on the district's evaluation).
        awards=[
            registry.Award(
                product=application.product,
                stars=evaluation.stars,
                evaluation=evaluation if evaluation.level == level else None,
            )
        ],
        actor=actor,
    )
    application.certificate = decision.certificates.get(product=application.product)
    return move(
        application,
        status=Status.CERTIFIED,
        actor=actor,
        action="decision.issued",
        step=(keys.DECISION, {"number": decision.number, "date": formats.date(signed_on)}),
        notice=(keys.CERTIFIED, {"stars": evaluation.stars, "number": decision.number}),
    )
