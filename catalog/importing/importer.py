"""Import of the registry (producers, products, certification decisions) from a CSV or XLSX sheet.

One row is one product in one decision; rows sharing a decision number form that decision. The
import is all-or-nothing: every row is parsed and checked, then everything is written in one
transaction through ``catalog.services.issue_certification`` (so the audit trail and the outbox
events are the registry's own); any error, or a dry run, rolls the whole transaction back.
Re-importing the same file changes nothing: producers and products are only updated where a value
really differs, and a decision already recorded with the same content is skipped.

Every problem is an ``ImportIssue`` (``results``) naming the row, the column and the problem; its message is a
translatable string rendered in Vietnamese and in English (``issue.text("vi")``, ``issue.text("en")``).
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from catalog.querysets import local_today
from ocop.spreadsheets import (
    Sheet,
    SheetRefused,
    fold,
    header_index,
    read_sheet,
)

from .consistency import check_consistency
from .parsing import _Lookup, _parse_row
from .results import ImportResult
from .template import COLUMNS, HEADER_SEARCH_ROWS, IGNORED_HEADERS, MAX_ROWS
from .writer import Rollback, Writer

# --- The import ---------------------------------------------------------------------------------------


def import_registry(
    data: bytes, *, filename: str, actor=None, dry_run: bool = False, today: datetime.date | None = None
) -> ImportResult:
    """Check and import a registry sheet. Writes nothing on a dry run or when any row has an error."""
    result = ImportResult(dry_run=dry_run)
    index = header_index(COLUMNS, IGNORED_HEADERS)
    try:
        sheet = read_sheet(data, filename, max_rows=MAX_ROWS, index=index, header_search_rows=HEADER_SEARCH_ROWS)
        keys = _map_headers(sheet, index, result)
        if result.errors:
            return result
        records = sheet.records(keys)
    except SheetRefused as refused:
        result.add(refused.message, **refused.params)
        return result
    headers = {key: sheet.headers[position] for position, key in keys.items() if key}
    lookup = _Lookup()
    today = today or local_today()
    rows = [_parse_row(number, cells, lookup, today, result, headers) for number, cells in records]
    result.rows = len(rows)
    check_consistency(rows, result, headers)
    if result.errors:
        return result
    try:
        with transaction.atomic(), translation.override("en"):
            # English while writing: the services' parameters (level names) are then message ids that
            # ImportIssue renders in either language.
            Writer(rows, result, headers, actor).run()
            if result.errors or dry_run:
                raise Rollback
    except Rollback:
        pass
    except IntegrityError:  # another import or an editor wrote the same records meanwhile
        result.add(_("The registry changed while the file was being imported; import it again."))
    return result


def _map_headers(sheet: Sheet, index: dict[str, str | None], result: ImportResult) -> dict[int, str | None]:
    """Position of each header → template key (None for ignored columns); unknown and missing are errors."""
    keys: dict[int, str | None] = {}
    seen: set[str] = set()
    for position, header in enumerate(sheet.headers):
        if not header:
            continue
        key = index.get(fold(header), "")
        if key == "":
            result.add(
                _("Unknown column “%(name)s”."), row=sheet.header_row, header=header, code="unknown_column", name=header
            )
        elif key is not None and key in seen:
            result.add(
                _("Column “%(name)s” appears twice."),
                row=sheet.header_row,
                column=key,
                header=header,
                code="duplicate_column",
                name=header,
            )
        else:
            if key is not None:
                seen.add(key)
            keys[position] = key
    for column in COLUMNS:
        if column.required and column.key not in seen:
            result.add(
                _("Required column “%(name)s” is missing."),
                row=sheet.header_row,
                column=column.key,
                code="missing_column",
                name=f"{column.header_vi} ({column.key})",
            )
    return keys
