"""Celery entry points of the storefront: thin, idempotent, taking ids."""

from celery import shared_task

from .search import get_backend


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def index_products(product_ids):
    get_backend().index_products(product_ids)


@shared_task(ignore_result=True)
def rebuild_search_index():
    return get_backend().rebuild()
