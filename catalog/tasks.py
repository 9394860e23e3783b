"""Celery entry points of the registry: thin, idempotent, calling services."""

from celery import shared_task

from . import events, services


@shared_task(ignore_result=True)
def drain_outbox():
    return events.drain()


@shared_task(ignore_result=True)
def record_certificate_expiries():
    return services.record_expiries()
