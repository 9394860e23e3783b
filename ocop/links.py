"""Absolute public addresses (QR codes, feeds, e-mails, the Saleor App manifest) from ``PUBLIC_BASE_URL``."""

from django.conf import settings


def public_url(path: str = "") -> str:
    """``PUBLIC_BASE_URL`` joined with a site path such as ``/products/3/`` (no trailing slash when empty)."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + path
