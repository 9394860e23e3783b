"""Celery entry points of traceability: thin, taking ids, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def issue_serials(job_id: int):
    services.run_issuance(job_id)


@shared_task(ignore_result=True)
def build_label_sheet(job_id: int):
    services.run_label_sheet(job_id)


@shared_task(ignore_result=True)
def ingest_scans():
    return services.ingest_scans()


@shared_task(ignore_result=True)
def expire_label_sheets():
    return services.expire_label_sheets()
