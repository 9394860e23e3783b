"""What the OCOP office may do with producer accounts (added to catalog's role group after every migrate)."""

from catalog.permissions import OCOP_OFFICE

SUSPEND = "accounts.suspend_producertie"
APPROVE_PROBATION_WORK = "accounts.approve_probation_work"
OFFICE_PERMISSIONS = ["view_producertie", "suspend_producertie", "approve_probation_work", "view_tiecode"]


def ensure_roles(**kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=OCOP_OFFICE)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="accounts", codename__in=OFFICE_PERMISSIONS)
    )
