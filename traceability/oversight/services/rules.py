"""What every oversight operation shares: its limits and the refusal of who may not act."""

from django.core.exceptions import PermissionDenied

MAX_REPORT_TEXT = 5000
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"


def refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
