"""Who may do what in oversight, and on which rows.

Model permissions (given to catalog's role groups) say what a role may do; ``inspections_for`` and
``products_for`` say to which rows: the province's OCOP office sees everything, a commune officer the
producers of their commune, a producer account its own. Consumer reports are for the OCOP office only;
reporters' contact details need their own permission, which no commune or producer role holds.
"""

from django.db.models import QuerySet

from catalog.models import Product
from catalog.permissions import (
    COMMUNE_OFFICER,
    DEPARTMENT_OF_INDUSTRY_AND_TRADE,
    OCOP_OFFICE,
    PRODUCER,
    scope,
    sees_everything,
)

#: Reviewing a revocation proposal means issuing a decision in the registry.
REVIEW_PERMISSION = "catalog.add_certificationdecision"

_VIEW_INSPECTIONS = ["view_inspection", "view_inspectioncheck", "view_inspectionevidence", "view_correction"]

ROLE_PERMISSIONS = {
    OCOP_OFFICE: [
        "view_report",
        "change_report",
        "triage_report",
        "view_reporter_contact",
        "view_reportevent",
        "add_inspection",
        "change_inspection",
        "add_inspectionevidence",
        "add_correction",
        "change_correction",
        "add_revocationproposal",
        "view_revocationproposal",
        "view_inspectionplan",
        "add_inspectionplan",
        "change_inspectionplan",
        "view_checklistitem",
        "add_checklistitem",
        "change_checklistitem",
        *_VIEW_INSPECTIONS,
    ],
    DEPARTMENT_OF_INDUSTRY_AND_TRADE: [*_VIEW_INSPECTIONS, "view_revocationproposal", "view_inspectionplan"],
    COMMUNE_OFFICER: list(_VIEW_INSPECTIONS),
    PRODUCER: list(_VIEW_INSPECTIONS),
}


def inspections_for(queryset: QuerySet, user) -> QuerySet:
    """The inspections ``user`` may see (catalog's scoping rule, through the inspected producer)."""
    if not (getattr(user, "is_active", False) and user.has_perm("oversight.view_inspection")):
        return queryset.none()
    return scope(queryset, user)


def products_for(user) -> QuerySet:
    """Products whose oversight page ``user`` may open."""
    if not (getattr(user, "is_active", False) and user.has_perm("oversight.view_inspection")):
        return Product.objects.none()
    return scope(Product.objects.all(), user)


def may_triage(user) -> bool:
    active = getattr(user, "is_active", False)
    return bool(active and user.has_perm("oversight.triage_report") and sees_everything(user))


def may_see_contact(user) -> bool:
    return bool(may_triage(user) and user.has_perm("oversight.view_reporter_contact"))


def may_record_inspections(user) -> bool:
    active = getattr(user, "is_active", False)
    return bool(active and user.has_perm("oversight.add_inspection") and sees_everything(user))


def may_review(user) -> bool:
    return bool(getattr(user, "is_active", False) and user.has_perm(REVIEW_PERMISSION))


def sees_province_figures(user) -> bool:
    return sees_everything(user)
