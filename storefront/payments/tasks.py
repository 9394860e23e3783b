"""Celery entry points of the payments: thin, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def sweep_attempts():
    """Periodic: ask VNPay about payments whose IPN has not come, then expire what is still unpaid."""
    return {"queried": services.query_vnpay(), "expired": services.expire_due()}
