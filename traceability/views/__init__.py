"""Views of traceability, one module per audience: the public ``scan`` page and the GS1 ``resolver`` (with their
one in-process cache, ``caching``), ``staff`` endpoints for lots, the ``epcis_api`` for partners, and the office's
``approvals`` of new producers' printing. Views parse input, check permissions, call one service or query, and
shape the answer."""

from .approvals import approval_list, decide
from .epcis_api import epcis_capture, epcis_events
from .resolver import LINKSET, resolver_description
from .scan import gs1_item, scan_location, short_item
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
    "LINKSET", "approval_list", "decide", "epcis_capture", "epcis_events", "gs1_item", "issuance_progress",
    "item_qr_png", "item_qr_svg", "label_download", "label_progress", "resolver_description", "scan_location",
    "short_item", "staff_permission", "start_issuance", "start_label_sheet",
]
