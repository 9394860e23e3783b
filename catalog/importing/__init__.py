"""Import of the registry from a CSV or XLSX sheet (``importer``), against a template of columns (``template``);
rows are read by ``parsing``, problems reported by ``results``, the services' refusals placed by ``refusals``."""

from .importer import import_registry
from .parsing import clean_text, parse_date, parse_stars
from .results import ImportIssue, ImportResult, Tally
from .template import COLUMNS, MAX_ROWS, template_csv, template_headers, template_xlsx

__all__ = [
    "COLUMNS",
    "MAX_ROWS",
    "ImportIssue",
    "ImportResult",
    "Tally",
    "clean_text",
    "import_registry",
    "parse_date",
    "parse_stars",
    "template_csv",
    "template_headers",
    "template_xlsx",
]
