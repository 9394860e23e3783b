"""Views of traceability, one module per audience: ``scan`` (the scan page's location form; the page and the GS1
resolver themselves are in ``traceability.resolver``), ``staff`` endpoints for lots, the ``epcis_api`` for partners,
and the office's ``approvals`` of new producers' printing. Views parse input, check permissions, call one service
or query, and shape the answer."""

from .approvals import approval_list, decide
from .epcis_api import epcis_capture, epcis_events
from .scan import scan_location
from .staff import (
    issuance_progress,
    item_qr_png,
    item_qr_svg,
    label_download,
    label_progress,
    staff_permission,
    start_issuance,
    start_label_sheet,
)

__all__ = [
    "approval_list",
    "decide",
    "epcis_capture",
    "epcis_events",
    "issuance_progress",
    "item_qr_png",
    "item_qr_svg",
    "label_download",
    "label_progress",
    "scan_location",
    "staff_permission",
    "start_issuance",
    "start_label_sheet",
]
