"""Roles of the sales-point side and their object-level rule.

The Department of Industry and Trade (``integrations.view_all_points``) sees and manages every point; a
sales-point operator's account sees and reports only for the points of the organisation(s) it belongs to
(``PointOperatorMembership``); anyone else sees no point. Every view, API and admin page goes through
``points_for`` / ``scope``.
"""

from django.db.models import QuerySet

from catalog.permissions import DEPARTMENT_OF_INDUSTRY_AND_TRADE, OCOP_OFFICE
from catalog.roles import managing
from integrations.models import (
    Assortment,
    FollowUpAction,
    Inspection,
    InspectionFinding,
    InspectionPhoto,
    OperatorNotice,
    OperatorOrganisation,
    PointOperatorMembership,
    SalesPoint,
    SalesPointStatusChange,
    SalesReport,
)

POINT_OPERATOR = "Đơn vị vận hành điểm bán (sales-point operator)"

_MANAGED = [
    "salespoint",
    "operatororganisation",
    "pointoperatormembership",
    "assortment",
    "inspection",
    "inspectionfinding",
    "inspectionphoto",
    "followupaction",
    "pointcriterion",
    "salesreport",
    "locationkind",
    "stocklistentry",
]

ROLE_PERMISSIONS = {
    DEPARTMENT_OF_INDUSTRY_AND_TRADE: managing(_MANAGED)
    + [
        "integrations.delete_assortment",
        "integrations.delete_inspectionphoto",
        "integrations.delete_followupaction",
        "integrations.delete_inspectionfinding",
        "integrations.view_salespointstatuschange",
        "integrations.view_operatornotice",
        "integrations.view_listingstate",
        "integrations.view_destination",
        "integrations.view_all_points",
        "integrations.report_sales",
    ],
    POINT_OPERATOR: [
        "integrations.view_salespoint",
        "integrations.view_assortment",
        "integrations.view_salespointstatuschange",
        "integrations.view_inspection",
        "integrations.view_inspectionfinding",
        "integrations.view_inspectionphoto",
        "integrations.view_followupaction",
        "integrations.view_operatornotice",
        "integrations.view_salesreport",
        "integrations.add_salesreport",
        "integrations.change_salesreport",
        "integrations.report_sales",
    ],
    # The OCOP office reads the Department's figures on its dashboard too.
    OCOP_OFFICE: ["integrations.view_salespoint", "integrations.view_salesreport"],
}

# For each model, the path from it to its point.
_POINT_PATHS = {
    SalesPoint: "pk",
    Assortment: "point",
    SalesPointStatusChange: "point",
    Inspection: "point",
    InspectionFinding: "inspection__point",
    InspectionPhoto: "inspection__point",
    FollowUpAction: "inspection__point",
    SalesReport: "point",
}


def manages_all_points(user) -> bool:
    return bool(getattr(user, "is_active", False) and user.has_perm("integrations.view_all_points"))


def points_for(user) -> QuerySet:
    """The points ``user`` may see: all for the Department, its organisation's points for an operator."""
    if manages_all_points(user):
        return SalesPoint.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return SalesPoint.objects.none()
    return SalesPoint.objects.filter(operator__memberships__user=user).distinct()


def organisations_of(user) -> QuerySet:
    if manages_all_points(user):
        return OperatorOrganisation.objects.all()
    if not getattr(user, "is_authenticated", False):
        return OperatorOrganisation.objects.none()
    return OperatorOrganisation.objects.filter(memberships__user=user)


def scope(queryset: QuerySet, user) -> QuerySet:
    """Restrict ``queryset`` to the rows of the points ``user`` may see."""
    if manages_all_points(user):
        return queryset
    model = queryset.model
    if model is OperatorNotice:
        return queryset.filter(organisation__in=organisations_of(user))
    if model is OperatorOrganisation:
        return queryset.filter(pk__in=organisations_of(user))
    if model is PointOperatorMembership:
        return queryset.filter(user=user) if getattr(user, "is_authenticated", False) else queryset.none()
    path = _POINT_PATHS.get(model)
    if path is None:
        return queryset.none()
    return queryset.filter(**{f"{path}__in": points_for(user).values("pk")})


def can_report_for(user, point: SalesPoint) -> bool:
    return user.has_perm("integrations.report_sales") and points_for(user).filter(pk=point.pk).exists()
