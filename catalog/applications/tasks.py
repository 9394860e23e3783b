"""Celery entry points of the applications: thin, idempotent, calling services."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def send_reevaluation_prompts():
    return services.send_reevaluation_prompts()


@shared_task(ignore_result=True)
def follow_rule_sets():
    """Open applications move to the levels of a rule set that has taken effect (with a recorded step)."""
    return services.follow_rule_sets()
