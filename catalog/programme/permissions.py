"""What each role may do with the programme's records (added to catalog's role groups; rows by the one rule)."""

from catalog.permissions import COMMUNE_OFFICER, DEPARTMENT_OF_INDUSTRY_AND_TRADE, OCOP_OFFICE, PRODUCER

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
    OCOP_OFFICE: [f"{action}_{model}" for model in _ALL for action in ("add", "change", "view")] + ["manage_programme"],
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


def ensure_roles(**kwargs) -> None:
    """Give the role groups this app's permissions (run after every migrate; idempotent)."""
    from django.contrib.auth.models import Group, Permission

    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="programme", codename__in=codenames))


def manages_programme(user) -> bool:
    """The OCOP office: announces events, selects participants, keeps partners, opens reporting periods."""
    return bool(getattr(user, "is_active", False) and user.has_perm("programme.manage_programme"))


def is_commune_officer(user) -> bool:
    from catalog.permissions import membership_of

    membership = membership_of(user)
    return bool(membership and membership.commune_id and user.is_active)
