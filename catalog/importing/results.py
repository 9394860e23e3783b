"""What an import answers: every problem as an ``ImportIssue`` (row, column, message in two languages) and the
counts of what was created, updated and left unchanged."""

import dataclasses
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _

from catalog.error_codes import CatalogErrorCode
from ocop.spreadsheets import (
    SheetIssue,
    fold,
)

from .template import COLUMNS_BY_KEY

# --- Issues (errors) in two languages ---------------------------------------------------------------


class ImportIssue(SheetIssue):
    """One problem of the import, with the error code of the catalog (``CatalogErrorCode`` or a column problem)."""

    columns: ClassVar = COLUMNS_BY_KEY

    @property
    def column_label(self) -> str:
        """The column as the file names it, with the template key: 'Hạng sao (stars)'."""
        if self.column is None:
            return self.header
        shown = self.header or COLUMNS_BY_KEY[self.column].header_vi
        return shown if fold(shown) == fold(self.column) else f"{shown} ({self.column})"

    def __str__(self) -> str:
        where = [f"row {self.row}" if self.row is not None else "file"]
        if self.column_label:
            where.append(f"column {self.column_label}")
        return f"{', '.join(where)}: {self.text('vi')} / {self.text('en')}"

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "header": self.column_label,
            "code": self.code,
            "message_vi": self.text("vi"),
            "message_en": self.text("en"),
        }


@dataclasses.dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclasses.dataclass
class ImportResult:
    dry_run: bool = False
    rows: int = 0
    errors: list[ImportIssue] = dataclasses.field(default_factory=list)
    communes: Tally = dataclasses.field(default_factory=Tally)
    producers: Tally = dataclasses.field(default_factory=Tally)
    products: Tally = dataclasses.field(default_factory=Tally)
    decisions: Tally = dataclasses.field(default_factory=Tally)
    certificates: Tally = dataclasses.field(default_factory=Tally)

    TALLIES = {
        "communes": _("Communes"),
        "producers": _("Producers"),
        "products": _("Products"),
        "decisions": _("Decisions"),
        "certificates": _("Certificates"),
    }

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def committed(self) -> bool:
        return self.ok and not self.dry_run

    def _total(self, name: str) -> int:
        return sum(getattr(getattr(self, tally), name) for tally in self.TALLIES)

    @property
    def created(self) -> int:
        return self._total("created")

    @property
    def updated(self) -> int:
        return self._total("updated")

    @property
    def unchanged(self) -> int:
        return self._total("unchanged")

    def tallies(self) -> list[tuple[str, Any, Tally]]:
        """(name, translated label, tally) of each kind of record."""
        return [(name, label, getattr(self, name)) for name, label in self.TALLIES.items()]

    def add(self, message, *, row=None, column=None, header="", code=CatalogErrorCode.INVALID.value, **params):
        self.errors.append(ImportIssue(message, row, column, header, params, code))
