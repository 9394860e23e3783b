"""Who reviews producers' listing changes: the province's OCOP office (added to catalog's role group)."""

from catalog.permissions import OCOP_OFFICE

OFFICE_PERMISSIONS = ["review_listingchange", "view_listingchange"]


def ensure_roles(**kwargs) -> None:
    """Give the OCOP office group this app's review permissions (run after every migrate; idempotent)."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=OCOP_OFFICE)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="storefront", codename__in=OFFICE_PERMISSIONS)
    )


def may_review(user) -> bool:
    return bool(getattr(user, "is_active", False) and user.has_perm("storefront.review_listingchange"))
