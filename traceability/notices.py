"""Traceability's notices, as message keys rendered in the reader's language (``catalog.applications.notices``)."""

from django.utils.translation import gettext_lazy as _

from catalog.applications.notices import define

WHAT = {"serials": _("serials"), "labels": _("a label sheet")}
HELD_FOR_OFFICE = define(
    "traceability.held.office",
    _(
        "The new account “%(username)s” of %(producer)s asks for %(what)s (%(count)s) for lot %(lot)s of "
        "%(product)s: it waits for your approval."
    ),
    what=WHAT,
)
APPROVED = define(
    "traceability.held.approved",
    _("The OCOP office approved %(what)s (%(count)s) for lot %(lot)s of %(product)s."),
    what=WHAT,
)
REFUSED = define(
    "traceability.held.refused",
    _("The OCOP office refused %(what)s (%(count)s) for lot %(lot)s of %(product)s. Contact the office."),
    what=WHAT,
)
