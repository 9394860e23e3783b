"""Celery entry point of the outbox: drain what is due (after each commit, and periodically as a safety net)."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def drain_outbox():
    return services.drain()
