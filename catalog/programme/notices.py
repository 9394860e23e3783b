"""The programme's notices, as message keys rendered in the reader's language (``catalog.applications.notices``)."""

from django.utils.translation import gettext_lazy as _

from catalog.applications.notices import define

EVENT_ANNOUNCED = define(
    "programme.event.announced",
    _(
        "New event: %(event)s at %(place)s from %(starts)s to %(ends)s. Apply to take part from your portal "
        "until %(closes)s."
    ),
)
SELECTED = define(
    "programme.participation.selected",
    _(
        "You are selected for %(event)s (%(starts)s–%(ends)s, %(place)s), booth %(booth)s. After the event, "
        "report your sales and contacts from your portal."
    ),
)
NOT_SELECTED = define(
    "programme.participation.not_selected",
    _("You were not selected for %(event)s this time. %(note)s"),
)
APPLIED_FOR_OFFICE = define(
    "programme.participation.applied",
    _("%(producer)s applied to take part in %(event)s."),
)
PERIOD_OPENED = define(
    "programme.period.opened",
    _("Report requested: %(title)s (%(starts)s–%(ends)s), due by %(deadline)s."),
)
PERIOD_REMINDER = define(
    "programme.period.reminder",
    _("Your commune has not answered %(title)s yet; it was due by %(deadline)s."),
)
