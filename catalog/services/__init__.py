"""Operations of the registry. Each owns its transaction, its row locks, the audit record and the events.

Every refusal is a ``ValidationError`` with a code from ``CatalogErrorCode`` and a message that is
translated (Vietnamese and English); a refused operation changes nothing.
"""

from .decisions import (
    Award,
    issue_certification,
    record_expiries,
    revoke_certificates,
)
from .evaluations import (
    record_evaluation,
    record_pre_assessment,
)
from .rules import (
    level_label,
    refuse_future,
    rule_set_for,
)

__all__ = [
    "level_label",
    "refuse_future",
    "rule_set_for",
    "record_evaluation",
    "record_pre_assessment",
    "Award",
    "issue_certification",
    "record_expiries",
    "revoke_certificates",
]
