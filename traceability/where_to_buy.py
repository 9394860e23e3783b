"""Where a scanned product can be bought in person: filled in by the package that knows sales points.

Traceability must not depend on integrations, so integrations registers its lookup here at start-up
(``register``); without one the scan page simply lists no sales points.
"""

import logging
from collections.abc import Callable, Iterable

logger = logging.getLogger(__name__)

_finder: Callable[[object], Iterable] | None = None


def register(finder: Callable[[object], Iterable]) -> None:
    """``finder(product)`` returns the sales points (name, kind, address, latitude, longitude) stocking it."""
    global _finder
    _finder = finder


def sales_points_stocking(product, limit: int = 5) -> list:
    if _finder is None:
        return []
    try:
        return list(_finder(product))[:limit]
    except Exception:  # another package's bug must not take the scan page down
        logger.exception("The sales-point lookup failed for product %s", getattr(product, "pk", product))
        return []
