"""Pages of oversight: the public report form, and the staff pages (reports, inspections, proposals, history,
figures). Thin: parse the form, find the object within the user's scope (404 outside it), call one service."""

from .inspections import (
    evidence_file,
    inspection_detail,
    inspection_list,
    inspection_new,
    product_history,
    proposal_detail,
)
from .reports import (
    dashboard,
    report,
    report_detail,
    report_list,
    report_photo,
    report_sent,
)

__all__ = [
    "dashboard",
    "report",
    "report_detail",
    "report_list",
    "report_photo",
    "report_sent",
    "evidence_file",
    "inspection_detail",
    "inspection_list",
    "inspection_new",
    "product_history",
    "proposal_detail",
]
