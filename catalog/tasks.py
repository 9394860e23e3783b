"""Celery entry points of the registry: thin, idempotent, calling services."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def record_certificate_expiries():
    return services.record_expiries()
