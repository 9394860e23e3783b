"""Roles of the staff site and the object-level rules that go with them.

Model permissions say what a role may do; ``scope`` says to which rows. Users with
``catalog.view_all_records`` (the province's OCOP office, the Department of Industry and Trade)
see every row; a commune officer sees the rows of the commune in their membership; a producer
account sees its own producer's rows; anyone else sees nothing.
"""

from django.db.models import QuerySet

from .models import (
    AuditLogEntry,
    Certificate,
    CertificationDecision,
    Commune,
    Evaluation,
    Membership,
    PreAssessment,
    Producer,
    Product,
)

OCOP_OFFICE = "Văn phòng Điều phối OCOP tỉnh (OCOP office)"
COMMUNE_OFFICER = "Cán bộ xã (commune officer)"
PRODUCER = "Chủ thể OCOP (producer)"
DEPARTMENT_OF_INDUSTRY_AND_TRADE = "Sở Công Thương (Department of Industry and Trade)"

_CATALOG_MODELS = [
    "commune", "productgroup", "productsubgroup", "producer", "product", "preassessment", "evaluation",
    "certificationdecision", "certificate", "ruleset", "starband", "levelrule", "membership",
]

ROLE_PERMISSIONS = {
    OCOP_OFFICE: [f"catalog.{action}_{model}" for model in _CATALOG_MODELS for action in ("add", "change", "view")]
    + ["catalog.view_all_records", "catalog.view_auditlogentry", "catalog.view_outboxevent",
       "catalog.view_outboxdelivery", "catalog.change_outboxdelivery"],
    COMMUNE_OFFICER: [
        "catalog.view_producer", "catalog.view_product", "catalog.add_preassessment",
        "catalog.view_preassessment", "catalog.view_evaluation", "catalog.view_certificate",
    ],
    PRODUCER: [
        "catalog.view_producer", "catalog.view_product", "catalog.view_preassessment",
        "catalog.view_evaluation", "catalog.view_certificate", "catalog.view_certificationdecision",
    ],
    DEPARTMENT_OF_INDUSTRY_AND_TRADE: [f"catalog.view_{model}" for model in _CATALOG_MODELS]
    + ["catalog.view_all_records", "catalog.view_auditlogentry"],
}

# For each model, the path from it to the commune and to the producer it belongs to.
_PATHS = {
    Commune: ("pk", None),
    Producer: ("commune", "pk"),
    Product: ("producer__commune", "producer"),
    PreAssessment: ("commune", "product__producer"),
    Evaluation: ("product__producer__commune", "product__producer"),
    Certificate: ("product__producer__commune", "product__producer"),
    CertificationDecision: ("certificates__product__producer__commune", "certificates__product__producer"),
}


def membership_of(user) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.ocop_membership
    except Membership.DoesNotExist:
        return None


def sees_everything(user) -> bool:
    return bool(getattr(user, "is_active", False) and user.has_perm("catalog.view_all_records"))


def scope(queryset: QuerySet, user) -> QuerySet:
    """Restrict ``queryset`` to the rows ``user`` may see."""
    if sees_everything(user):
        return queryset
    if queryset.model is AuditLogEntry:
        return queryset.none()
    membership = membership_of(user)
    paths = _PATHS.get(queryset.model)
    if membership is None or paths is None:
        return queryset.none()
    commune_path, producer_path = paths
    if membership.commune_id is not None:
        return queryset.filter(**{commune_path: membership.commune_id}).distinct()
    if membership.producer_id is not None and producer_path is not None:
        return queryset.filter(**{producer_path: membership.producer_id}).distinct()
    return queryset.none()


def can_access(user, obj) -> bool:
    return scope(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


def ensure_roles(**kwargs) -> None:
    """Create the role groups with their permissions (run after every migrate; idempotent)."""
    from django.contrib.auth.models import Group, Permission

    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permissions.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.add(*permissions)
