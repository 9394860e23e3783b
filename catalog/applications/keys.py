"""The messages of applications, as message keys (see ``catalog.applications.notices``): the notices a producer
gets and the generated part of a step in an application's history; and the labels of the steps' actions."""

from django.utils.translation import gettext_lazy as _

from catalog.models import Level

from .models import Application
from .notices import define

Status = Application.Status

# --- Notices to the producer -----------------------------------------------------------------------------
STATUS_CHANGED = define(
    "applications.status_changed", _("Application #%(id)s (%(product)s): %(status)s."), status=Status.choices
)
DOCUMENTS_REQUESTED = define(
    "applications.documents_requested",
    _("Application #%(id)s (%(product)s): the %(level)s level requests documents: %(what)s"),
    level=Level.choices,
)
CERTIFIED = define(
    "applications.certified", _("Application #%(id)s (%(product)s) is certified %(stars)s★ by decision %(number)s.")
)
REEVALUATION_DUE = define(
    "applications.reevaluation_due",
    _(
        "The OCOP certificate of %(product)s (%(stars)s★) is valid until %(until)s (%(days)s days left). "
        "Apply for re-evaluation now."
    ),
)
ACCOUNT_APPROVED = define("applications.account_approved", _("Your OCOP producer account has been approved."))

# --- The generated part of a step ------------------------------------------------------------------------
RULE_SET_CHANGED = define(
    "applications.step.rule_set_changed",
    _("%(new)s replaced %(old)s on %(date)s: the application goes on at the %(level)s level."),
    level=Level.choices,
)
DOCUMENT_ADDED = define("applications.step.document_added", _("%(kind)s: %(file)s"), recognisable=False)
SCORED = define("applications.step.scored", _("%(total)s points (%(stars)s★) from %(count)s member(s). %(notes)s"))
NOT_QUALIFIED = define(
    "applications.step.not_qualified",
    _("%(total)s points (%(stars)s★) from %(count)s member(s). Below 50 points: not qualified. %(notes)s"),
)
FORWARDED = define(
    "applications.step.forwarded",
    _("%(total)s points (%(stars)s★) from %(count)s member(s). Forwarded to the %(level)s level. %(notes)s"),
    level=Level.choices,
)
DECISION = define("applications.step.decision", _("Decision %(number)s of %(date)s."))

#: What the history shows for each step's action (an action not listed shows as it is stored).
ACTIONS = {
    "created": _("Created"),
    "document.added": _("Document added"),
    "submitted": _("Submitted"),
    "documents.requested": _("Documents requested"),
    "documents.provided": _("Documents provided"),
    "pre_assessment.passed": _("Pre-assessment passed"),
    "pre_assessment.failed": _("Pre-assessment failed"),
    "council_score.recorded": _("Council score recorded"),
    "scoring.closed": _("Scoring closed"),
    "decision.issued": _("Decision issued"),
    "rule_set.changed": _("Rule set changed"),
}
