"""Product search for the storefront: ``get_backend()`` picks the backend from settings."""

from django.conf import settings

from .base import SearchBackend, SearchQuery, SearchResults, Sort, store_products

__all__ = ["SearchBackend", "SearchQuery", "SearchResults", "Sort", "get_backend", "store_products"]

_backends: dict = {}


def get_backend() -> SearchBackend:
    """Elasticsearch when ``ELASTICSEARCH_URL`` is set, else the PostgreSQL backend."""
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    index_name = getattr(settings, "ELASTICSEARCH_INDEX", "ocop-products")
    key = (url, index_name)
    if key not in _backends:
        if url:
            from .elasticsearch import ElasticsearchBackend

            _backends[key] = ElasticsearchBackend(url, index_name)
        else:
            from .db import DatabaseBackend

            _backends[key] = DatabaseBackend()
    return _backends[key]
