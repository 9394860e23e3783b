"""The scan page's one in-process cache: rendered parts kept for a few seconds, keyed by all that changes them.

Django's local-memory cache (per process, bounded, thread-safe): a scan is answered from memory without a round
trip to Redis. The live status and the certificate are part of every key and are read from the database on each
request, so a registry change selects another entry at once; the time to live only bounds descriptive parts.
"""

import hashlib
from collections.abc import Callable

from django.core.cache.backends.locmem import LocMemCache

_rendered = LocMemCache("traceability-scan-page", {"OPTIONS": {"MAX_ENTRIES": 5000}})


def cached(parts: tuple, ttl: float, build: Callable[[], str]) -> str:
    """The text ``build()`` made for these key parts less than ``ttl`` seconds ago, or a fresh one (kept ``ttl``)."""
    key = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    text = _rendered.get(key)
    if text is None:
        text = build()
        _rendered.set(key, text, ttl)
    return text
