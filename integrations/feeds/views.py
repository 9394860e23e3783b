"""Thin views of the public product feeds (Google Merchant Center, Meta catalogs)."""

from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from . import documents as feeds


@require_GET
def google_feed(request):
    response = HttpResponse(feeds.google_feed(feeds.feed_offers()), content_type="application/rss+xml; charset=utf-8")
    patch_cache_control(response, max_age=300, public=True)
    return response


@require_GET
def meta_feed(request):
    response = HttpResponse(feeds.meta_feed(feeds.feed_offers()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ocop-meta-catalog.csv"'
    patch_cache_control(response, max_age=300, public=True)
    return response
