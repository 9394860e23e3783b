"""The OCOP application workflow: the producer's side (create, documents, submit, respond) and the levels' side
(request documents, pre-assessment, council scores, decision). The rules every operation keeps are in the
package's docstring (``catalog.applications.services``).
"""

import datetime
import functools
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog import audit, formats
from catalog import services as registry
from catalog.applications import keys
from catalog.applications.error_codes import ApplicationErrorCode as Code
from catalog.applications.models import (
    DOCUMENTS_FOLDER,
    Application,
    ApplicationDocument,
    ApplicationStep,
    CouncilScore,
    DocumentKind,
    LevelSeat,
)
from catalog.applications.rule_set_change import placement_under
from catalog.applications.validators import check_document_file
from catalog.models import Level, Producer, Product, RuleSet
from catalog.querysets import MIN_CERTIFIED_STARS, local_today
from ocop.files.private import random_name

from .notifying import _actor_label, _level_label, _plain, _status_label, notify_producer
from .roles import acts_at, producer_of, seats_of

Status = Application.Status
SCORE_PARTS = ("score_a", "score_b", "score_c")


def _refuse_unless(allowed: bool, message=None) -> None:
    if not allowed:
        raise ValidationError(
            message or _("You do not act for this application's commune, council or authority."),
            code=Code.NOT_ALLOWED.value,
        )


def _check_producer_account(actor, application: Application) -> None:
    _refuse_unless(
        producer_of(actor) is not None and producer_of(actor).pk == application.producer_id,
        _("Only an account of %(producer)s may do this.") % {"producer": application.producer.name},
    )


def _check_turn(application: Application, level: str, statuses) -> None:
    """Refuse a level acting out of turn: not part of the rule set, or not where the application stands."""
    if application.rule_set.level_rule(level) is None:
        raise ValidationError(
            _("Under %(rule_set)s the %(level)s level has no part in the evaluation."),
            code=Code.LEVEL_NOT_IN_RULE_SET.value,
            params={"rule_set": application.rule_set.code, "level": _level_label(level)},
        )
    if application.status == Status.NOT_QUALIFIED:
        raise ValidationError(
            _(
                "This application was closed as not qualified (a total below 50 points or a failed "
                "pre-assessment): it cannot be certified."
            ),
            code=Code.NOT_QUALIFIED.value,
        )
    if application.current_level != level or application.status not in statuses:
        raise ValidationError(
            _("It is not the %(level)s level's turn: the application is at the %(current)s level (%(status)s)."),
            code=Code.OUT_OF_TURN.value,
            params={
                "level": _level_label(level),
                "current": _level_label(application.current_level),
                "status": _status_label(application.status),
            },
        )


def _check_rule_set_on(application: Application, on: datetime.date) -> None:
    in_force = registry.rule_set_for(on)
    if in_force.pk != application.rule_set_id:
        raise ValidationError(
            _("This application is under %(rule_set)s, but %(other)s was in force on %(date)s."),
            code=Code.RULE_SET_CHANGED.value,
            params={"rule_set": application.rule_set.code, "other": in_force.code, "date": on.strftime("%d/%m/%Y")},
        )


@transaction.atomic
def follow_rule_set(*, application: Application, on: datetime.date | None = None, actor=None) -> Application:
    """Move an open application to the levels of the rule set in force on ``on``, recording the step.

    An application opened under Decision 148 and still open when Decision 1489 took effect (the districts
    were abolished on 01/07/2025) is not stuck: it goes on at the new levels (``rule_set_change``), and the
    step, the audit trail and a notice to the producer say so. Nothing happens when the rule set is the same.
    """
    application = _lock(application)
    on = on or local_today()
    in_force = registry.rule_set_for(on)
    if application.is_closed or in_force.pk == application.rule_set_id:
        return application
    before = audit.snapshot(application)
    old = application.rule_set
    placed = placement_under(in_force, application)
    application.rule_set = in_force
    application.resume_status = placed.resume_status
    step = (
        keys.RULE_SET_CHANGED,
        {"new": in_force.code, "old": old.code, "date": formats.date(in_force.effective_from), "level": placed.level},
    )
    _move(application, status=placed.status, level=placed.level, actor=actor, action="rule_set.changed", step=step)
    audit.log(actor=actor, action="application.rule_set_changed", instance=application, before=before)
    return application


def follows_rule_set(date_argument: str):
    """Run ``follow_rule_set`` (its own transaction, so the move stays even if the action is then refused)
    for the date the action is taken on, before the action."""

    def decorate(action):
        @functools.wraps(action)
        def run(*, application: Application, **kwargs):
            application = follow_rule_set(
                application=application, on=kwargs.get(date_argument), actor=kwargs.get("actor")
            )
            return action(application=application, **kwargs)

        return run

    return decorate


def follow_rule_sets(*, today: datetime.date | None = None) -> int:
    """Move every open application whose rule set is no longer the one in force (daily, idempotent)."""
    today = today or local_today()
    in_force = registry.rule_set_for(today)
    moved = 0
    stale = Application.objects.exclude(status__in=Application.CLOSED).exclude(rule_set=in_force)
    for application in stale.only("pk").iterator():
        follow_rule_set(application=application, on=today)
        moved += 1
    return moved


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("producer__commune", "product", "rule_set", "evaluation")
        .get(pk=application.pk)
    )


def _record_step(application, *, actor, action, from_status, from_level, comment="", step=None) -> ApplicationStep:
    """One line of the history; ``step`` is its generated message, (key, parameters), shown before ``comment``."""
    key, params = step or ("", {})
    return ApplicationStep.objects.create(
        application=application,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=_actor_label(actor),
        action=action,
        from_status=from_status,
        to_status=application.status,
        from_level=from_level,
        to_level=application.current_level,
        comment=comment,
        key=key,
        params=params,
    )


def _move(application, *, status, level=None, actor, action, comment="", step=None, notice=None) -> Application:
    """Change the status (and level), record the step, and tell the producer: ``notice`` (key, parameters), by
    default that the application's status changed."""
    from_status, from_level = application.status, application.current_level
    application.status = status
    if level is not None:
        application.current_level = level
    application.save()
    _record_step(
        application,
        actor=actor,
        action=action,
        from_status=from_status,
        from_level=from_level,
        comment=comment,
        step=step,
    )
    key, params = notice or (keys.STATUS_CHANGED, {"status": status})
    params = {"id": application.pk, "product": application.product.names, **params}
    notify_producer(
        application.producer, key=key, params=params, link=reverse("applications:detail", args=[application.pk])
    )
    return application


# --- Applications: the producer's side ---------------------------------------------------------------


def _check_self_assessment(rule_set: RuleSet, self_assessment: dict) -> dict:
    values = {name: bool(self_assessment.get(name, False)) for name in Application.CRITERIA}
    maxima = {
        "self_score_a": rule_set.max_score_a,
        "self_score_b": rule_set.max_score_b,
        "self_score_c": rule_set.max_score_c,
    }
    errors = {}
    for field, maximum in maxima.items():
        value = Decimal(str(self_assessment.get(field) or 0))
        if not Decimal(0) <= value <= maximum:
            errors[field] = ValidationError(
                _("The score must be between 0 and %(max)s under %(rule_set)s."),
                code=Code.SCORE_OUT_OF_RANGE.value,
                params={"max": _plain(maximum), "rule_set": rule_set.code},
            )
        values[field] = value
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def create_application(
    *,
    producer: Producer,
    actor,
    product: Product | None = None,
    new_product: dict | None = None,
    self_assessment: dict | None = None,
    applied_on: datetime.date | None = None,
    previous: Application | None = None,
) -> Application:
    """Open a draft application for an existing product of the producer, or for a new product sheet."""
    _refuse_unless(
        producer_of(actor) is not None and producer_of(actor).pk == producer.pk,
        _("Only an account of %(producer)s may do this.") % {"producer": producer.name},
    )
    applied_on = applied_on or local_today()
    rule_set = registry.rule_set_for(applied_on)
    values = _check_self_assessment(rule_set, self_assessment or {})
    if product is None and not new_product:
        raise ValidationError(
            {"product": ValidationError(_("Choose a product or describe a new one."), code=Code.REQUIRED.value)}
        )
    if product is not None and product.producer_id != producer.pk:
        raise ValidationError(
            {"product": ValidationError(_("This product belongs to another producer."), code=Code.NOT_ALLOWED.value)}
        )
    if product is None:
        product = Product(producer=producer, **new_product)
        product.full_clean()
        product.save()
        audit.log(actor=actor, action="product.created", instance=product)
    open_one = (
        Application.objects.filter(product=product).exclude(status__in=Application.CLOSED).first()
        if product is not None
        else None
    )
    if open_one is not None:
        raise ValidationError(
            {
                "product": ValidationError(
                    _("Application #%(id)s for this product is still open (%(status)s): continue that one."),
                    code=Code.ALREADY_OPEN.value,
                    params={"id": open_one.pk, "status": _status_label(open_one.status)},
                )
            }
        )
    if previous is not None and previous.producer_id != producer.pk:
        previous = None
    application = Application.objects.create(
        producer=producer,
        product=product,
        rule_set=rule_set,
        applied_on=applied_on,
        previous=previous,
        created_by=actor,
        **values,
    )
    _record_step(application, actor=actor, action="created", from_status="", from_level="")
    return application


def missing_document_kinds(application: Application):
    present = application.documents.values_list("kind_id", flat=True)
    return DocumentKind.objects.filter(required=True, active=True).exclude(pk__in=present)


def add_document(*, application: Application, kind: DocumentKind, upload, actor) -> ApplicationDocument:
    """Store one dossier file. If anything fails, neither the row nor the file remains; other documents stay."""
    checked = check_document_file(upload)
    storage = ApplicationDocument.file.field.storage
    name = random_name(DOCUMENTS_FOLDER, checked.original_name)
    stored_name = None
    try:
        with transaction.atomic():
            application = _lock(application)
            _check_producer_account(actor, application)
            if application.status not in (Status.DRAFT, Status.DOCUMENTS_REQUESTED):
                raise ValidationError(
                    _("Documents can be added to a draft or when documents are requested (now: %(status)s)."),
                    code=Code.OUT_OF_TURN.value,
                    params={"status": _status_label(application.status)},
                )
            if not kind.active:
                raise ValidationError(_("This kind of document is no longer accepted."), code=Code.INVALID.value)
            upload.seek(0)
            stored_name = storage.save(name, upload, max_length=255)
            document = ApplicationDocument.objects.create(
                application=application,
                kind=kind,
                file=stored_name,
                original_name=checked.original_name,
                content_type=checked.content_type,
                size=checked.size,
                uploaded_by=actor,
            )
            _record_step(
                application,
                actor=actor,
                action="document.added",
                from_status=application.status,
                from_level=application.current_level,
                step=(keys.DOCUMENT_ADDED, {"kind": kind.names, "file": checked.original_name}),
            )
    except BaseException:
        # A half-written file or one whose row was rolled back must not stay behind.
        leftover = stored_name or name
        if storage.exists(leftover):
            storage.delete(leftover)
        raise
    return document


@transaction.atomic
def submit_application(*, application: Application, actor, comment: str = "") -> Application:
    application = _lock(application)
    _check_producer_account(actor, application)
    if application.status != Status.DRAFT:
        raise ValidationError(
            _("Only a draft can be submitted (now: %(status)s)."),
            code=Code.OUT_OF_TURN.value,
            params={"status": _status_label(application.status)},
        )
    missing = list(missing_document_kinds(application))
    if missing:
        raise ValidationError(
            _("The dossier is missing required documents: %(kinds)s."),
            code=Code.MISSING_DOCUMENTS.value,
            params={"kinds": "; ".join(kind.local_name for kind in missing)},
        )
    first = application.rule_set.level_rules.order_by("sequence").first()
    application.submitted_at = timezone.now()
    return _move(
        application, status=Status.SUBMITTED, level=first.level, actor=actor, action="submitted", comment=comment
    )


@transaction.atomic
def respond_to_request(*, application: Application, actor, comment: str = "") -> Application:
    application = _lock(application)
    _check_producer_account(actor, application)
    if application.status != Status.DOCUMENTS_REQUESTED:
        raise ValidationError(_("No documents are requested for this application."), code=Code.OUT_OF_TURN.value)
    requested_at = application.steps.filter(action="documents.requested").order_by("-at").values("at")[:1]
    has_new_documents = application.documents.filter(uploaded_at__gte=requested_at).exists()
    if not has_new_documents and not comment.strip():
        raise ValidationError(_("Upload the requested documents or explain in a comment."), code=Code.REQUIRED.value)
    resume = application.resume_status or Status.SUBMITTED
    application.resume_status = ""
    application.requested_documents = ""
    return _move(application, status=resume, actor=actor, action="documents.provided", comment=comment)


# --- Applications: the levels' side --------------------------------------------------------------------


@transaction.atomic
def request_documents(*, application: Application, level: str, what: str, actor) -> Application:
    application = _lock(application)
    _check_turn(application, level, (Status.SUBMITTED, Status.SCORING, Status.AWAITING_DECISION))
    _refuse_unless(acts_at(actor, application, level))
    if not what.strip():
        raise ValidationError({"what": ValidationError(_("Say which documents are needed."), code=Code.REQUIRED.value)})
    application.resume_status = application.status
    application.requested_documents = what.strip()
    return _move(
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
    application = _lock(application)
    on = on or local_today()
    _check_turn(application, Level.COMMUNE, (Status.SUBMITTED,))
    _refuse_unless(acts_at(actor, application, Level.COMMUNE))
    _check_rule_set_on(application, on)
    assessment = registry.record_pre_assessment(
        product=application.product, assessed_on=on, criteria=criteria, notes=notes, actor=actor
    )
    application.pre_assessment = assessment
    if not assessment.passed:
        return _move(
            application, status=Status.NOT_QUALIFIED, actor=actor, action="pre_assessment.failed", comment=notes
        )
    return _move(
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
    application = _lock(application)
    _check_turn(application, level, (Status.SCORING,))
    _refuse_unless(acts_at(actor, application, level, (LevelSeat.Role.MEMBER, LevelSeat.Role.CHAIR)))
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
    _record_step(
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
    application = _lock(application)
    on = on or local_today()
    _check_turn(application, level, (Status.SCORING,))
    seats = seats_of(actor, application, level, (LevelSeat.Role.CHAIR,))
    _refuse_unless(
        bool(seats),
        _("Only the chair of the %(level)s council may close the scoring.") % {"level": _level_label(level)},
    )
    _check_rule_set_on(application, on)
    scores = list(CouncilScore.objects.filter(application=application, level=level))
    if not scores:
        raise ValidationError(_("No council member has scored this application yet."), code=Code.NO_SCORES.value)
    means = {
        part: (sum((getattr(score, part) for score in scores), Decimal(0)) / len(scores)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        for part in SCORE_PARTS
    }
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
        return _move(
            application,
            status=Status.NOT_QUALIFIED,
            actor=actor,
            action="scoring.closed",
            comment=notes,
            step=(keys.NOT_QUALIFIED, result),
        )
    if evaluation.forwarded_to:
        return _move(
            application,
            status=Status.SCORING,
            level=evaluation.forwarded_to,
            actor=actor,
            action="scoring.closed",
            comment=notes,
            step=(keys.FORWARDED, {**result, "level": evaluation.forwarded_to}),
        )
    certifying = application.rule_set.certifying_level_for(evaluation.stars)
    return _move(
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
    application = _lock(application)
    _check_turn(application, level, (Status.AWAITING_DECISION,))
    _refuse_unless(acts_at(actor, application, level, (LevelSeat.Role.AUTHORITY,)))
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
    return _move(
        application,
        status=Status.CERTIFIED,
        actor=actor,
        action="decision.issued",
        step=(keys.DECISION, {"number": decision.number, "date": formats.date(signed_on)}),
        notice=(keys.CERTIFIED, {"stars": evaluation.stars, "number": decision.number}),
    )
