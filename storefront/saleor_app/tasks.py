"""Celery entry points of the Saleor app: thin, take ids, safe to run twice."""

from celery import shared_task

from . import services, webhooks
from .client import SaleorError
from .models import SaleorInstance


@shared_task(ignore_result=True, autoretry_for=(SaleorError,), retry_backoff=2, retry_backoff_max=600, max_retries=8)
def full_sync(instance_id: int):
    instance = SaleorInstance.objects.filter(pk=instance_id, is_active=True).first()
    if instance is not None:
        return services.full_sync(instance=instance).pk


@shared_task(ignore_result=True)
def reconcile_saleor():
    """Periodic: repair drift between Saleor's publication state and the listing rule, for every instance."""
    return [services.reconcile(instance=instance).pk for instance in SaleorInstance.objects.filter(is_active=True)]


@shared_task(ignore_result=True)
def prune_webhook_deliveries():
    """Periodic: forget processed webhook deliveries older than the replay window."""
    return webhooks.prune_deliveries()
