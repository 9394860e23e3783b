"""What traceability needs to know about sales points, answered by the package that owns them.

Traceability must not depend on integrations, so integrations registers a directory here at start-up
(``register``). Without one no sales point is known: scans record no point and sales-point capture tokens are
refused — the safe side.
"""

import dataclasses
from collections.abc import Iterable
from typing import Protocol


@dataclasses.dataclass(frozen=True)
class KnownPoint:
    id: int
    code: str
    name: str
    #: Approved: it sells and receives its assortment (a suspended or closed point's till is refused).
    open: bool


class Directory(Protocol):
    def canonical_codes(self, codes: Iterable[str]) -> dict[str, str]:
        """For each of ``codes`` that is a point's code (case aside), the point's code as registered."""

    def point(self, point_id: int) -> KnownPoint | None: ...

    def names(self, codes: Iterable[str]) -> dict[str, str]:
        """The name of each of ``codes`` that is a point's code (as EPCIS events name it), for the scan page."""

    def offered_product_ids(self, point_id: int) -> set[int]:
        """The products in the point's assortment."""

    def choices(self) -> list[tuple[int, str]]:
        """(id, label) of every point, for staff issuing a token."""


class _NoPoints:
    def canonical_codes(self, codes):
        return {}

    def point(self, point_id):
        return None

    def names(self, codes):
        return {}

    def offered_product_ids(self, point_id):
        return set()

    def choices(self):
        return []


_directory: Directory = _NoPoints()


def register(directory: Directory) -> None:
    global _directory
    _directory = directory


def directory() -> Directory:
    return _directory
