"""The OCOP application workflow: what every step shares (refusals, the turn of a level, the rule set an
application follows, the recorded step and move). The producer's side is in ``submitting``, the levels' side in
``assessing``; the rules every operation keeps are in the package's docstring (``catalog.applications.services``).
"""

import datetime
import functools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalog import audit, formats
from catalog import services as registry
from catalog.applications import keys
from catalog.applications.error_codes import ApplicationErrorCode as Code
from catalog.applications.models import (
    Application,
    ApplicationStep,
)
from catalog.applications.rule_set_change import placement_under
from catalog.querysets import local_today

from .notifying import _actor_label, _level_label, _status_label, notify_producer
from .roles import producer_of

Status = Application.Status
SCORE_PARTS = ("score_a", "score_b", "score_c")


def refuse_unless(allowed: bool, message=None) -> None:
    if not allowed:
        raise ValidationError(
            message or _("You do not act for this application's commune, council or authority."),
            code=Code.NOT_ALLOWED.value,
        )


def check_producer_account(actor, application: Application) -> None:
    refuse_unless(
        producer_of(actor) is not None and producer_of(actor).pk == application.producer_id,
        _("Only an account of %(producer)s may do this.") % {"producer": application.producer.name},
    )


def check_turn(application: Application, level: str, statuses) -> None:
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


def check_rule_set_on(application: Application, on: datetime.date) -> None:
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
    application = lock(application)
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
    move(application, status=placed.status, level=placed.level, actor=actor, action="rule_set.changed", step=step)
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


def lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("producer__commune", "product", "rule_set", "evaluation")
        .get(pk=application.pk)
    )


def record_step(application, *, actor, action, from_status, from_level, comment="", step=None) -> ApplicationStep:
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


def move(application, *, status, level=None, actor, action, comment="", step=None, notice=None) -> Application:
    """Change the status (and level), record the step, and tell the producer: ``notice`` (key, parameters), by
    default that the application's status changed."""
    from_status, from_level = application.status, application.current_level
    application.status = status
    if level is not None:
        application.current_level = level
    application.save()
    record_step(
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
