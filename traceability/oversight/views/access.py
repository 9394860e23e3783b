"""Who may open the staff pages of oversight."""

from ocop.access import signed_in_and

LOGIN_URL = "applications:login"


def staff(check):
    """Signed-in users for whom ``check(user)`` holds; others get 403."""
    return signed_in_and(check, login_url=LOGIN_URL)


def sees_inspections(user) -> bool:
    return bool(user.is_active and user.has_perm("oversight.view_inspection"))
