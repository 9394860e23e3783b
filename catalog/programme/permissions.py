"""What each role may do with the programme's records (added to catalog's role groups; rows by the one rule)."""

from catalog.permissions import COMMUNE_OFFICER, DEPARTMENT_OF_INDUSTRY_AND_TRADE, OCOP_OFFICE, PRODUCER
from catalog.roles import managing

_ALL = (
    "partner",
    "tourroute",
    "tourstop",
    "event",
    "participation",
    "eventsale",
    "potentialproduct",
    "reportingperiod",
    "communereport",
)

ROLE_PERMISSIONS = {
    OCOP_OFFICE: managing(_ALL) + ["manage_programme"],
    DEPARTMENT_OF_INDUSTRY_AND_TRADE: [f"view_{model}" for model in _ALL],
    COMMUNE_OFFICER: [
        "view_potentialproduct",
        "add_potentialproduct",
        "change_potentialproduct",
        "view_reportingperiod",
        "view_communereport",
        "add_communereport",
        "change_communereport",
        "view_event",
    ],
    PRODUCER: ["view_event", "view_participation", "add_participation", "view_eventsale", "add_eventsale"],
}


def manages_programme(user) -> bool:
    """The OCOP office: announces events, selects participants, keeps partners, opens reporting periods."""
    return bool(getattr(user, "is_active", False) and user.has_perm("programme.manage_programme"))


def is_commune_officer(user) -> bool:
    from catalog.permissions import membership_of

    membership = membership_of(user)
    return bool(membership and membership.commune_id and user.is_active)
