"""Who may fetch traceability's private files.

A label sheet lists every serial of a lot: whoever holds it can print labels that scan as genuine. It goes to the
producer's own accounts and to staff holding ``traceability.view_labelsheetjob`` — in both cases only for the
products the registry's scoping rule (``catalog.permissions.scope``) lets them see, so the OCOP office sees every
lot and nobody sees another producer's. Both download views (staff and producers' portal) ask ``label_sheets_for``.
"""

from django.db.models import QuerySet

from catalog.permissions import OCOP_OFFICE, membership_of, scope

from .models import LabelSheetJob

#: The province's OCOP office prints and checks labels for any lot (its staff see every record).
ROLE_PERMISSIONS = {OCOP_OFFICE: ["view_labelsheetjob"]}


def label_sheets_for(user) -> QuerySet:
    """The label sheet jobs ``user`` may download (404 for any other)."""
    jobs = LabelSheetJob.objects.all()
    if not getattr(user, "is_active", False):
        return jobs.none()
    membership = membership_of(user)
    producer_account = membership is not None and membership.producer_id is not None
    staff = user.is_staff and user.has_perm("traceability.view_labelsheetjob")
    if not (producer_account or staff):
        return jobs.none()
    return scope(jobs, user)
