"""Operations of the programme: each owns its transaction, checks who may act, logs to the audit trail and
tells the people concerned (notices in their language, e-mail after commit).

A refusal is a ``ValidationError`` with a translated message; a refused operation changes nothing. Changes that
the public pages show (an event announced, a participant selected) are recorded on the outbox, which is also
what versions the cached parts of the scan page.
"""

from .events import (
    announce_event,
    apply_to_event,
    cancel_event,
    close_selection,
    decide,
    report_sales,
    save_event,
    withdraw,
)
from .pipeline import (
    link_application,
    record_potential_product,
)
from .reporting import (
    communes_to_report,
    missing_reports,
    open_period,
    prefill,
    remind,
    submit_report,
)
from .rules import (
    EVENT_CHANGED,
)

__all__ = [
    "EVENT_CHANGED",
    "announce_event",
    "apply_to_event",
    "cancel_event",
    "close_selection",
    "decide",
    "report_sales",
    "save_event",
    "withdraw",
    "link_application",
    "record_potential_product",
    "communes_to_report",
    "missing_reports",
    "open_period",
    "prefill",
    "remind",
    "submit_report",
]
