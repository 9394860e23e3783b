"""Celery entry points of the applications: thin, idempotent, calling services."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def send_reevaluation_prompts():
    return services.send_reevaluation_prompts()
