from celery import shared_task

from . import services


@shared_task
def pull_marketplace_orders():
    return services.pull_all()
