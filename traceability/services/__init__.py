"""Operations of traceability, one module per part: ``lots`` and their serials, a producer's own lots
(``producer_lots``, the portal), ``label_sheets``, EPCIS ``capture`` and an item's history, and ``scans`` with
the flags on suspicious serials.

Services own their transactions; background work is queued with ``on_commit`` and re-reads by id.
"""

from .capture import capture_events, events_for_item, events_for_lot, history_steps
from .label_sheets import expire_label_sheets, run_label_sheet, start_label_sheet
from .lots import MAX_ISSUANCE, create_lot, run_issuance, start_issuance
from .producer_lots import (
    create_producer_lot,
    producer_items,
    producer_lots,
    serials_taken,
    start_producer_issuance,
    start_producer_label_sheet,
)
from .scans import (
    SCAN_DROPPED_KEY,
    SCAN_QUEUE_KEY,
    coarse,
    distance_km,
    evaluate_flags,
    flush_scan_buffer,
    ingest_scans,
    queue_scan,
    record_location,
)

__all__ = [
    "MAX_ISSUANCE",
    "SCAN_DROPPED_KEY",
    "SCAN_QUEUE_KEY",
    "capture_events",
    "coarse",
    "create_lot",
    "create_producer_lot",
    "distance_km",
    "evaluate_flags",
    "events_for_item",
    "events_for_lot",
    "expire_label_sheets",
    "flush_scan_buffer",
    "history_steps",
    "ingest_scans",
    "producer_items",
    "producer_lots",
    "queue_scan",
    "record_location",
    "run_issuance",
    "run_label_sheet",
    "serials_taken",
    "start_issuance",
    "start_label_sheet",
    "start_producer_issuance",
    "start_producer_label_sheet",
]
