"""The scan page's one in-process cache: rendered parts kept for a few seconds, keyed by all that changes them.

A plain dictionary per process, keyed by the tuple of key parts itself (no hashing to text, no pickling:
this is looked up on every scan), bounded to ``MAX_ENTRIES`` (the oldest entries go first). The live
status and the certificate are part of every key and are read from the database on each request, so a
registry change selects another entry at once; the time to live only bounds descriptive parts. Two threads
missing the same key at once both build it (the same text): harmless, and no lock on the hot path.
"""

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

MAX_ENTRIES = 5000

_rendered: dict[tuple, tuple[float, object]] = {}


def cached(parts: tuple, ttl: float, build: Callable[[], T]) -> T:
    """What ``build()`` made for these key parts less than ``ttl`` seconds ago, or a fresh one (kept ``ttl``).
    Callers never change what they get (it is shared)."""
    now = time.monotonic()
    entry = _rendered.get(parts)
    if entry is not None and entry[0] > now:
        return entry[1]
    text = build()
    if ttl > 0:
        _rendered.pop(parts, None)  # re-inserted last: the dictionary's order is the order of age
        _rendered[parts] = (now + ttl, text)
        while len(_rendered) > MAX_ENTRIES:
            try:
                del _rendered[next(iter(_rendered))]
            except (KeyError, RuntimeError, StopIteration):  # another thread changed it meanwhile
                break
    return text
