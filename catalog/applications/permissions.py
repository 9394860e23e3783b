"""What the OCOP office may do with this app's records in the admin (added to catalog's role group)."""

from catalog.permissions import OCOP_OFFICE

OFFICE_PERMISSIONS = [
    "view_application",
    "view_applicationdocument",
    "view_applicationstep",
    "view_councilscore",
    "view_registrationrequest",
    "change_registrationrequest",
    "view_producerinvitation",
    "add_documentkind",
    "change_documentkind",
    "view_documentkind",
    "add_levelseat",
    "change_levelseat",
    "delete_levelseat",
    "view_levelseat",
]


def ensure_roles(**kwargs) -> None:
    """Give the OCOP office group this app's permissions (run after every migrate; idempotent)."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=OCOP_OFFICE)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="applications", codename__in=OFFICE_PERMISSIONS)
    )
